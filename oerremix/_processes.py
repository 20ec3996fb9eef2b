"""Telling a build's temporary folders from those a killed build left behind.

A build names its temporary folders after its process (``…-<pid>-…``); the next build removes
a folder only when no process has that id any more, so two builds running at once never remove
each other's work.
"""

from __future__ import annotations

import os

__all__ = ["gone", "pid_after"]


def gone(pid: int) -> bool | None:
    """Whether no process has ``pid``: True, False (it runs, perhaps another user's), or None
    when that cannot be asked — on Windows ``os.kill(pid, 0)`` would end the process.

    >>> gone(os.getpid())
    False
    """
    if os.name != "posix":
        return None
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except (OSError, OverflowError):
        return False  # it exists but is not ours to signal, or no process can have that id
    return False


def pid_after(name: str, prefix: str) -> int | None:
    """The process id in a folder name ``<prefix><pid>`` or ``<prefix><pid>-…``, else None.

    >>> pid_after(".out.new-4242-k3j2", ".out.new-"), pid_after(".out.new-k3j2", ".out.new-")
    (4242, None)
    """
    if not name.startswith(prefix):
        return None
    digits = name[len(prefix) :].split("-", 1)[0]
    return int(digits) if digits.isdigit() else None
