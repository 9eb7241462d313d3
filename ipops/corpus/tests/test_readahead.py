"""Reading in a second process gives exactly what reading in-process gives, errors included."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

from ipcore.formats.base import FileFormatError
from ipcore.formats.registry import reader_for
from ipops.corpus.readahead import read_ahead

ROOT = Path(__file__).resolve().parents[3]
PARQUET = ROOT / "demo" / "corpus" / "pv-patents-us-sample.parquet"
LENS = ROOT / "demo" / "corpus" / "lens-drones-sample.csv.gz"


@pytest.mark.parametrize(("path", "name"), [(PARQUET, "patentsview"), (LENS, "lens")])
def test_the_same_records_in_the_same_order(path: Path, name: str) -> None:
    factory = functools.partial(reader_for, name)
    ahead = list(read_ahead(factory, path, chunk=97, depth=2))
    here = list(factory().read(path))
    assert len(ahead) == len(here) > 1000
    assert [repr(result) for result in ahead] == [repr(result) for result in here]


def test_a_broken_file_raises_the_format_error_here(tmp_path: Path) -> None:
    broken = tmp_path / "broken.parquet"
    broken.write_bytes(b"PAR1 this is not parquet")
    with pytest.raises(FileFormatError, match=r"broken\.parquet"):
        list(read_ahead(functools.partial(reader_for, "patentsview"), broken))
