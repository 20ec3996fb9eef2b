"""Run a command and write its peak memory and wall time: ``python -S peak.py OUT CMD…``.

``run.py`` measures through this small launcher because on Linux a child's ``ru_maxrss``
starts at its parent's resident size at ``fork`` (kept across ``exec``): measured straight
from the benchmark process, every run would weigh at least as much as the benchmark itself.
Forked from this launcher instead, the floor is this launcher's few MiB. OUT gets
``<ru_maxrss KiB> <wall seconds>``; the exit code is the command's.
"""

import os
import sys
import time

out, *cmd = sys.argv[1:]
start = time.perf_counter()
pid = os.fork()
if pid == 0:
    try:
        os.execvp(cmd[0], cmd)
    finally:
        os._exit(127)
_pid, status, usage = os.wait4(pid, 0)
wall = time.perf_counter() - start
with open(out, "w") as f:
    f.write(f"{usage.ru_maxrss} {wall}\n")
sys.exit(os.waitstatus_to_exitcode(status))
