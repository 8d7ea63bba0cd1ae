"""Reading and writing files: one partition per file, resumable by byte offset."""

import csv
import os
import zlib
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Union

from bytewax.inputs import FixedPartitionedSource, StatefulSourcePartition, batch
from bytewax.outputs import FixedPartitionedSink, StatefulSinkPartition

__all__ = ["CSVSource", "DirSink", "DirSource", "FileSink", "FileSource"]


def _get_path_dev(path: Path) -> str:
    return hex(path.parent.stat().st_dev)


def _part_key(fs_id: str, path: Any) -> str:
    if "::" in fs_id:
        msg = f"result of `get_fs_id` must not contain `::`; got {fs_id!r}"
        raise ValueError(msg)
    return f"{fs_id}::{path}"


def _open_lines(path: Path, resume_state: Optional[int]):
    f = open(path, "rt", newline="")  # noqa: SIM115 - closed by the partition
    if resume_state is not None:
        f.seek(resume_state)
    return f


class _FileLinesPartition(StatefulSourcePartition[str, int]):
    def __init__(self, path: Path, batch_size: int, resume_state: Optional[int]):
        self._f = _open_lines(path, resume_state)
        self._batches = batch(self._lines(), batch_size)

    def _lines(self):
        while True:
            line = self._f.readline()
            if not line:
                return
            yield line.rstrip("\n")

    def next_batch(self) -> List[str]:
        return next(self._batches)

    def snapshot(self) -> int:
        return self._f.tell()

    def close(self) -> None:
        self._f.close()


def _missing(path: Path, what: str) -> FileNotFoundError:
    return FileNotFoundError(f"{what} `{path}` does not exist")


class FileSource(FixedPartitionedSource[str, int]):
    """Reads a text file line by line (without the trailing newline)."""

    def __init__(
        self,
        path: Union[Path, str],
        batch_size: int = 1000,
        get_fs_id: Callable[[Path], str] = _get_path_dev,
    ):
        self._path = Path(path)
        self._batch_size = batch_size
        self._get_fs_id = get_fs_id

    def list_parts(self) -> List[str]:
        if not self._path.exists():
            raise _missing(self._path, "input file")
        if not self._path.is_file():
            msg = f"input file `{self._path}` is not a file"
            raise ValueError(msg)
        return [_part_key(self._get_fs_id(self._path), self._path)]

    def build_part(self, step_id: str, for_part: str, resume_state: Optional[int]):
        return self._build(self._path, resume_state)

    def _build(self, path: Path, resume_state: Optional[int]) -> StatefulSourcePartition:
        return _FileLinesPartition(path, self._batch_size, resume_state)


class _CSVPartition(StatefulSourcePartition[Dict[str, str], int]):
    def __init__(self, path: Path, batch_size: int, resume_state, fmtparams):
        self._f = open(path, "rt", newline="")  # noqa: SIM115 - closed by the partition
        header_line = self._f.readline()
        self._header = next(csv.reader([header_line], **fmtparams))
        if resume_state is not None:
            self._f.seek(resume_state)
        self._fmtparams = fmtparams
        self._batches = batch(self._rows(), batch_size)

    def _rows(self):
        while True:
            line = self._f.readline()
            if not line:
                return
            values = next(csv.reader([line], **self._fmtparams))
            yield dict(zip(self._header, values))

    def next_batch(self) -> List[Dict[str, str]]:
        return next(self._batches)

    def snapshot(self) -> int:
        return self._f.tell()

    def close(self) -> None:
        self._f.close()


class CSVSource(FileSource):
    """Reads a CSV file with a header row; each item is a `dict` of one row.

    `fmtparams` are passed to `csv.reader` (e.g. `delimiter=";"`).
    """

    def __init__(
        self,
        path: Union[Path, str],
        batch_size: int = 1000,
        get_fs_id: Callable[[Path], str] = _get_path_dev,
        **fmtparams,
    ):
        super().__init__(path, batch_size, get_fs_id)
        self._fmtparams = fmtparams

    def _build(self, path: Path, resume_state: Optional[int]) -> StatefulSourcePartition:
        return _CSVPartition(path, self._batch_size, resume_state, self._fmtparams)


class DirSource(FixedPartitionedSource[str, int]):
    """Reads every file in a directory matching `glob_pat`, one partition per file."""

    def __init__(
        self,
        dir_path: Union[Path, str],
        glob_pat: str = "*",
        batch_size: int = 1000,
        get_fs_id: Callable[[Path], str] = _get_path_dev,
    ):
        self._dir_path = Path(dir_path)
        if not self._dir_path.exists():
            msg = f"input directory `{self._dir_path}` does not exist"
            raise ValueError(msg)
        if not self._dir_path.is_dir():
            msg = f"input directory `{self._dir_path}` is not a directory"
            raise ValueError(msg)
        self._glob_pat = glob_pat
        self._batch_size = batch_size
        self._get_fs_id = get_fs_id

    def list_parts(self) -> List[str]:
        fs_id = self._get_fs_id(self._dir_path / "x")
        return [
            _part_key(fs_id, path.relative_to(self._dir_path))
            for path in sorted(self._dir_path.glob(self._glob_pat))
            if path.is_file()
        ]

    def build_part(self, step_id: str, for_part: str, resume_state: Optional[int]):
        _fs_id, rel = for_part.split("::", 1)
        return _FileLinesPartition(self._dir_path / rel, self._batch_size, resume_state)


class _FileWritePartition(StatefulSinkPartition[str, int]):
    def __init__(self, path: Path, end: str, resume_state: Optional[int]):
        # Resuming truncates whatever was written after the snapshot, so nothing repeats.
        mode = "r+t" if resume_state is not None and path.exists() else "wt"
        self._f = open(path, mode, newline="")  # noqa: SIM115 - closed by the partition
        if resume_state is not None:
            self._f.seek(resume_state)
            self._f.truncate()
        self._end = end

    def write_batch(self, values: List[Any]) -> None:
        for value in values:
            self._f.write(f"{value}{self._end}")
        self._f.flush()
        os.fsync(self._f.fileno())

    def snapshot(self) -> int:
        return self._f.tell()

    def close(self) -> None:
        self._f.close()


class FileSink(FixedPartitionedSink[str, int]):
    """Writes each value (of `(key, value)` items) as a line of one file."""

    def __init__(self, path: Union[Path, str], end: str = "\n"):
        self._path = Path(path)
        self._end = end

    def list_parts(self) -> List[str]:
        return [str(self._path)]

    def part_fn(self, item_key: str) -> int:
        return 0

    def build_part(self, step_id: str, for_part: str, resume_state: Optional[int]):
        if not self._path.parent.is_dir():
            raise _missing(self._path.parent, "output directory")
        return _FileWritePartition(self._path, self._end, resume_state)


def _default_file_namer(i: int, _n: int) -> str:
    return f"part_{i}"


def _default_assign_file(key: str) -> int:
    return zlib.adler32(key.encode())


class DirSink(FixedPartitionedSink[str, int]):
    """Writes values to `file_count` files in a directory, choosing a file per key."""

    def __init__(
        self,
        dir_path: Union[Path, str],
        file_count: int,
        file_namer: Callable[[int, int], str] = _default_file_namer,
        assign_file: Callable[[str], int] = _default_assign_file,
        end: str = "\n",
    ):
        self._dir_path = Path(dir_path)
        self._file_count = file_count
        self._file_namer = file_namer
        self._assign_file = assign_file
        self._end = end

    def list_parts(self) -> List[str]:
        return [self._file_namer(i, self._file_count) for i in range(self._file_count)]

    def part_fn(self, item_key: str) -> int:
        return self._assign_file(item_key)

    def build_part(self, step_id: str, for_part: str, resume_state: Optional[int]):
        if not self._dir_path.is_dir():
            raise _missing(self._dir_path, "output directory")
        return _FileWritePartition(self._dir_path / for_part, self._end, resume_state)
