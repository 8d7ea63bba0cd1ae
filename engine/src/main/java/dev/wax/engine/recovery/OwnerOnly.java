package dev.wax.engine.recovery;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Recovery partitions hold pickled state, which a resumed run unpickles: whoever can change it can
 * run code in the flow. So Wax makes them its user's alone, and says when they are not.
 */
final class OwnerOnly {
  private static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> OTHERS_WRITE =
      Set.of(PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE);

  private OwnerOnly() {}

  /** Creates {@code dir} for its owner alone, or narrows an existing one to its owner. */
  static void createDirectory(Path dir) {
    try {
      Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(DIRECTORY));
    } catch (FileAlreadyExistsException e) {
      setPermissions(dir, DIRECTORY);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir, e);
    }
  }

  /** Narrows every file directly in {@code dir} to its owner (those a database just wrote). */
  static void restrictFiles(Path dir) {
    try (Stream<Path> entries = Files.list(dir)) {
      entries.filter(Files::isRegularFile).forEach(file -> setPermissions(file, FILE));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }

  private static void setPermissions(Path path, Set<PosixFilePermission> permissions) {
    try {
      Files.setPosixFilePermissions(path, permissions);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot set the permissions of " + path, e);
    }
  }

  /**
   * What in recovery directory {@code dir} others can reach: {@code dir} itself if others may
   * change it (and so swap its partitions), and each partition others may enter at all.
   */
  static List<String> openToOthers(Path dir, Collection<Path> partitions) {
    List<String> open = new ArrayList<>();
    Set<PosixFilePermission> own = permissions(dir);
    if (own.stream().anyMatch(OTHERS_WRITE::contains)) {
      open.add(dir + " (" + PosixFilePermissions.toString(own) + ") can be changed by other users:"
          + " they could put their own partitions in it; `chmod go-w " + dir + "`");
    }
    for (Path partition : partitions) {
      Set<PosixFilePermission> permissions = permissions(partition);
      if (!DIRECTORY.containsAll(permissions)) {
        open.add(partition + " (" + PosixFilePermissions.toString(permissions) + ") is open to other users:"
            + " its pickled state is code the next run executes; `chmod 700 " + partition + "`");
      }
    }
    return open;
  }

  private static Set<PosixFilePermission> permissions(Path path) {
    try {
      return Files.getPosixFilePermissions(path);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the permissions of " + path, e);
    }
  }
}
