"""Sampling a running province benchmark once a second: ratings stored, ratings the ranking counts,
upstream messages written and sent, and the memory of every web and Celery process.

The ranking's lag at a moment t is how old the ratings are that it does not count yet: the time since
the stored count was last at most what the rollups (reporting_departmentmonthly, what the department
ranking reads) hold at t; 0 when they hold every stored rating.
"""

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

COUNTS = """
SELECT (SELECT count(*) FROM evaluations_evaluation),
       (SELECT coalesce(sum(g1 + g2 + g3 + g4 + g5 + held + ruled + voided), 0)
        FROM reporting_departmentmonthly),
       (SELECT count(*) FROM reporting_upstreammessage),
       (SELECT count(*) FROM reporting_upstreammessage WHERE status = 'sent')
"""


@dataclass
class Sample:
    at: float
    stored: int
    ranked: int
    messages: int
    sent: int


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except (FileNotFoundError, ProcessLookupError):
        pass
    return 0.0


def descendants(pid: int) -> list[int]:
    """The process and all its children, grandchildren… (gunicorn's and Celery's workers)."""
    found, queue = [], [pid]
    while queue:
        current = queue.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*/children"):
            try:
                queue += [int(child) for child in task.read_text().split()]
            except OSError:  # the thread or the process ended between listing and reading
                continue
    return found


@dataclass
class Monitor:
    url: str
    groups: dict[str, Callable[[], list[int]]]  # name -> the pids to measure now
    samples: list[Sample] = field(default_factory=list)
    rss_peak: dict[str, float] = field(default_factory=dict)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join(timeout=10)

    def _run(self) -> None:
        with psycopg.connect(self.url, autocommit=True) as connection:
            while not self._stop.is_set():
                row = connection.execute(COUNTS).fetchone()
                assert row is not None  # scalar subqueries always answer one row
                self.samples.append(Sample(time.time(), *row))
                for name, pids in self.groups.items():
                    for pid in pids():
                        self.rss_peak[name] = max(self.rss_peak.get(name, 0.0), rss_mb(pid))
                self._stop.wait(1.0)

    def latest(self) -> Sample:
        return self.samples[-1]

    def lags(self, since: float = 0.0) -> list[float]:
        """The ranking's lag at every sample taken at or after ``since``."""
        lags = []
        for index, sample in enumerate(self.samples):
            if sample.at < since:
                continue
            covered = [earlier.at for earlier in self.samples[: index + 1] if earlier.stored <= sample.ranked]
            lags.append(sample.at - max(covered) if covered else sample.at - self.samples[0].at)
        return lags
