"""Reading the reference tables shipped in ``ipcore/data`` (see its PROVENANCE.md)."""

from __future__ import annotations

import csv
import io
from importlib import resources


def read_data_csv(name: str) -> list[dict[str, str]]:
    """Rows of ``ipcore/data/<name>`` as dicts, read through importlib.resources.

    Going through importlib.resources (not ``__file__``) keeps this working from a wheel or a
    zipped install.
    """
    text = (resources.files("ipcore") / "data" / name).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text, newline="")))
