"""Process inspection for tests that check nothing is left running (Linux /proc)."""

from __future__ import annotations

import time
from pathlib import Path


def children_of(parent: int) -> set[int]:
    """The pids whose parent is ``parent``."""
    children = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == parent:
            children.add(int(stat.parent.name))
    return children


def all_gone(pids: set[int], seconds: float = 5.0) -> bool:
    """Whether every one of ``pids`` has ended within ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not any(Path(f"/proc/{pid}").exists() for pid in pids):
            return True
        time.sleep(0.1)
    return False
