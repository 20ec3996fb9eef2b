"""Run a command and write its peak memory and wall time: ``python -S peak.py OUT CMD…``.

``run.py`` measures through this small launcher because on Linux a child's ``ru_maxrss``
starts at its parent's resident size at ``fork`` (kept across ``exec``): measured straight
from the benchmark process, every run would weigh at least as much as the benchmark itself.
Forked from this launcher instead, the floor is this launcher's few MiB.

A command that starts processes of its own (``oerremix build -j auto``) uses the memory of all
of them at once, which ``ru_maxrss`` (the largest single process) does not tell: every 10 ms
the launcher adds up the resident memory of the command and its descendants (``/proc``), and
the peak is the larger of that sum's largest value and ``ru_maxrss``. OUT gets ``<peak KiB>
<wall seconds>``; the exit code is the command's.
"""

import os
import sys
import threading
import time

PAGE_KIB = os.sysconf("SC_PAGE_SIZE") // 1024


def tree_kib(pid: int) -> int:
    """Resident memory of ``pid`` and its descendants, in KiB (0 once they are gone)."""
    total, todo = 0, [str(pid)]
    while todo:
        process = todo.pop()
        try:
            with open(f"/proc/{process}/statm") as statm:
                total += int(statm.read().split()[1]) * PAGE_KIB
            for task in os.listdir(f"/proc/{process}/task"):
                with open(f"/proc/{process}/task/{task}/children") as children:
                    todo.extend(children.read().split())
        except (OSError, IndexError, ValueError):
            continue  # it ended meanwhile
    return total


out, *cmd = sys.argv[1:]
start = time.perf_counter()
pid = os.fork()
if pid == 0:
    try:
        os.execvp(cmd[0], cmd)
    finally:
        os._exit(127)
peak = [0]


def watch() -> None:
    while True:
        peak[0] = max(peak[0], tree_kib(pid))
        time.sleep(0.01)


threading.Thread(target=watch, daemon=True).start()
_pid, status, usage = os.wait4(pid, 0)  # the wall time is taken when the command ends
wall = time.perf_counter() - start
with open(out, "w") as f:
    f.write(f"{max(usage.ru_maxrss, peak[0])} {wall}\n")
sys.exit(os.waitstatus_to_exitcode(status))
