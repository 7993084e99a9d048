"""Fresh processes for the bench: each heavy step runs in its own, so its peak memory is its own.

Invariants
    * Children are started with ``spawn`` (no state inherited from the measuring process) and
      one at a time; a child's exception is raised again in the parent.
"""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context


def peak_mb() -> float:
    """This process's peak RSS (VmHWM: ru_maxrss keeps the forking parent's peak across exec)."""
    with open("/proc/self/status") as handle:
        return next(int(line.split()[1]) for line in handle if line.startswith("VmHWM:")) / 1024


def in_child(fn, *args):
    """``fn(*args)`` in a fresh, spawned process; its result."""
    with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as pool:
        return pool.submit(fn, *args).result()
