"""Running a pure function over many items in worker processes, when the caller asks for it.

The library never starts processes on its own: ``jobs=1`` (the default of every function)
maps in the calling process; the command line asks for ``-j auto`` unless told otherwise.
With more jobs, workers are *spawned* (fresh interpreters, as on Windows and macOS), never
forked, so threads and open files of the caller are not copied into them; like every use of
:mod:`multiprocessing`, a script that asks for jobs must guard its entry point with
``if __name__ == "__main__":``. Where processes cannot be started at all (no working
``sem_open``, as on some serverless hosts), the items are mapped in the calling process.

A build reads its sources and writes its pages inside :func:`shared_workers`: the workers
started for the read (an interpreter importing oerremix each, about 0.2 s) serve the writers
too, which ask for the build's jobs with :func:`ambient_jobs`.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TypeVar

from oerremix.errors import OerRemixError

__all__ = ["AUTO_MAX", "MIN_PER_JOB", "ambient_jobs", "jobs_for", "ordered_map", "shared_workers"]

T = TypeVar("T")
R = TypeVar("R")

MIN_PER_JOB = 128
"""Items each new worker should have at least: starting one (an interpreter importing
oerremix and compiling its patterns, about 0.3 s) costs more than it saves below that. On two
CPUs a 160-chapter book built in 1.1 s in one process and 1.2 s in two; 320 chapters in 1.6 s
and 1.5 s. Workers already running (:func:`shared_workers`) take any number of items."""


AUTO_MAX = 8
"""The most processes ``jobs=0`` (``-j auto``) starts, however many CPUs there are: assembling
and writing a book stay in one process, so more rarely pays for their memory (each worker is
an interpreter with oerremix loaded, 50–60 MiB)."""


def jobs_for(jobs: int | None) -> int:
    """The number of processes ``jobs`` asks for: a positive number as given, 0 or None one
    per CPU this process may use, at most :data:`AUTO_MAX`.

    >>> jobs_for(3), jobs_for(1), 1 <= jobs_for(0) <= AUTO_MAX
    (3, 1, True)
    """
    if jobs is None or jobs == 0:
        try:
            cpus = len(os.sched_getaffinity(0))
        except AttributeError:  # not on Linux
            cpus = os.cpu_count() or 1
        return max(1, min(cpus, AUTO_MAX))
    if jobs < 0:
        raise ValueError(f"jobs must be a positive number, or 0 for one per CPU, not {jobs}")
    return jobs


@dataclass(slots=True)
class _Shared:
    jobs: int
    pool: ProcessPoolExecutor | None = None
    size: int = 0


_SHARED: ContextVar[_Shared | None] = ContextVar("oerremix_shared_workers", default=None)


@contextlib.contextmanager
def shared_workers(jobs: int | None) -> Iterator[None]:
    """Inside, :func:`ordered_map` calls asking for ``jobs`` share one pool of workers,
    started when a call first has enough items for two (and grown when a call has enough for
    more), stopped on leaving; :func:`ambient_jobs` is ``jobs``.

    >>> with shared_workers(3):
    ...     ambient_jobs(), ordered_map(abs, [-1, 2], 3)
    (3, [1, 2])
    """
    shared = _Shared(jobs_for(jobs))
    token = _SHARED.set(shared)
    try:
        yield
    finally:
        _SHARED.reset(token)
        if shared.pool is not None:
            shared.pool.shutdown(cancel_futures=True)


def ambient_jobs() -> int:
    """The jobs of the enclosing :func:`shared_workers`, else 1 (no processes)."""
    shared = _SHARED.get()
    return shared.jobs if shared is not None else 1


def ordered_map(
    function: Callable[[T], R], items: Sequence[T], jobs: int | None = 1, *, where: str = ""
) -> list[R]:
    """``[function(item) for item in items]``, spread over ``jobs`` processes when there are
    enough items (see :data:`MIN_PER_JOB`), or over the running workers of
    :func:`shared_workers`. ``function`` must be a module-level function and items and
    results picklable; the first exception raised is raised here, as it was raised. A worker
    that dies (out of memory, killed) is an :class:`~oerremix.errors.OerRemixError` naming
    ``where``.

    >>> ordered_map(abs, [-2, 1, -3])
    [2, 1, 3]
    """
    wanted = min(jobs_for(jobs), len(items) // MIN_PER_JOB)
    if sys.platform == "win32":
        wanted = min(wanted, _WINDOWS_MAX)
    shared = _SHARED.get()
    if shared is not None and shared.jobs != jobs_for(jobs):
        shared = None  # asked for another number: a pool of its own
    running = shared.size if shared is not None and shared.pool is not None else 0
    workers = max(wanted, running)
    if workers <= 1 or len(items) < 2:
        return [function(item) for item in items]
    chunk = max(1, len(items) // (workers * 8))
    with contextlib.ExitStack() as stack:
        try:
            if shared is None:
                pool = stack.enter_context(_pool(workers))
            else:
                if wanted > running and shared.pool is not None:
                    shared.pool.shutdown(cancel_futures=True)  # too small for this call
                    shared.pool = None
                if shared.pool is None:
                    shared.pool, shared.size = _pool(workers), workers
                pool = shared.pool
            return list(pool.map(function, items, chunksize=chunk))
        except BrokenProcessPool:
            if shared is not None:
                shared.pool = None
            raise OerRemixError(
                "a worker process stopped abruptly (out of memory, or killed); try again with "
                "one process (jobs=1, or -j 1)",
                where=where or None,
            ) from None
        except _CANNOT_START as exc:
            if not _cannot_start(exc):
                raise  # the function's own error, raised in a worker
    return [function(item) for item in items]  # processes cannot be started here


_CANNOT_START = (OSError, ImportError, NotImplementedError)


def _cannot_start(exc: BaseException) -> bool:
    """Whether ``exc`` was raised starting the workers (no ``sem_open``, no ``fork``/``exec``),
    not by the function in a worker (which carries the worker's traceback as its cause)."""
    return type(exc.__cause__).__name__ != "_RemoteTraceback"


def _pool(workers: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_quiet_on_interrupt,
    )


def _quiet_on_interrupt() -> None:
    """Ctrl-C is the calling process's to handle (it stops the pool): a worker ignores it,
    rather than printing a traceback of its own."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


_WINDOWS_MAX = 61
"""The most processes a pool may have on Windows (``ProcessPoolExecutor`` refuses more)."""
