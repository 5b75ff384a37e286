"""PostgreSQL's own CPU, for ``bench_intake --mode cpu``: the CPU seconds all ``postgres`` processes of
this machine have used (user + system, from /proc), or None where they cannot be read (another
machine's server, no /proc). Read before and after a run of requests, the difference is what the
server spent on them, as long as nothing else uses the server meanwhile (the benchmark's database is
its own; on a shared machine other databases' work is counted too, so the figure is an upper bound).
"""

import os
from pathlib import Path


def postgres_cpu_seconds() -> float | None:
    ticks, found = 0, False
    try:
        entries = list(Path("/proc").iterdir())
    except OSError:
        return None
    for entry in entries:
        if not entry.name.isdigit():
            continue
        try:
            if not (entry / "comm").read_text().startswith("postgres"):
                continue
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # the process ended meanwhile, or is not ours to read
            continue
        ticks += int(fields[11]) + int(fields[12])  # utime, stime (proc(5): fields 14 and 15)
        found = True
    return ticks / os.sysconf("SC_CLK_TCK") if found else None
