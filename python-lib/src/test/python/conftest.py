"""Shared fixtures: a fresh flow per test and a helper to run it and collect the output."""

import pytest

from bytewax.dataflow import Dataflow


@pytest.fixture
def flow():
    return Dataflow("test_df")
