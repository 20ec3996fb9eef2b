"""Running a pure function over many items in worker processes, when the caller asks for it.

oerremix never starts processes on its own: ``jobs=1`` (the default everywhere) maps in the
calling process. With more jobs, workers are *spawned* (fresh interpreters, as on Windows and
macOS), never forked, so threads and open files of the caller are not copied into them; like
every use of :mod:`multiprocessing`, a script that asks for jobs must guard its entry point with
``if __name__ == "__main__":``.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

from oerremix.errors import OerRemixError

__all__ = ["MIN_PER_JOB", "jobs_for", "ordered_map"]

T = TypeVar("T")
R = TypeVar("R")

MIN_PER_JOB = 16
"""Items each worker should have at least: below that, starting a worker (an interpreter
importing oerremix, about 0.2 s) costs more than it saves."""


def jobs_for(jobs: int | None) -> int:
    """The number of processes ``jobs`` asks for: a positive number as given, 0 or None one
    per CPU this process may use.

    >>> jobs_for(3), jobs_for(1)
    (3, 1)
    """
    if jobs is None or jobs == 0:
        try:
            return max(1, len(os.sched_getaffinity(0)))
        except AttributeError:  # not on Linux
            return os.cpu_count() or 1
    if jobs < 0:
        raise ValueError(f"jobs must be a positive number, or 0 for one per CPU, not {jobs}")
    return jobs


def ordered_map(
    function: Callable[[T], R], items: Sequence[T], jobs: int | None = 1, *, where: str = ""
) -> list[R]:
    """``[function(item) for item in items]``, spread over ``jobs`` processes when there are
    enough items (see :data:`MIN_PER_JOB`). ``function`` must be a module-level function and
    items and results picklable; the first exception raised is raised here, as it was raised.
    A worker that dies (out of memory, killed) is an :class:`~oerremix.errors.OerRemixError`
    naming ``where``.

    >>> ordered_map(abs, [-2, 1, -3])
    [2, 1, 3]
    """
    workers = min(jobs_for(jobs), len(items) // MIN_PER_JOB)
    if sys.platform == "win32":
        workers = min(workers, _WINDOWS_MAX)
    if workers <= 1:
        return [function(item) for item in items]
    chunk = max(1, len(items) // (workers * 8))
    context = multiprocessing.get_context("spawn")
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            return list(pool.map(function, items, chunksize=chunk))
    except BrokenProcessPool:
        raise OerRemixError(
            "a worker process stopped abruptly (out of memory, or killed); try again with one "
            "process (jobs=1, or without -j)",
            where=where or None,
        ) from None


_WINDOWS_MAX = 61
"""The most processes a pool may have on Windows (``ProcessPoolExecutor`` refuses more)."""
