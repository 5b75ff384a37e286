"""The suite's clock: ``TEST_TODAY=YYYY-MM-DD`` runs every test as if that day, at 10:00 Beijing time and
ticking, were today; without it the suite runs on the real today.

time-machine moves the clock at the C level, so ``timezone.now()``, ``timezone.localdate()``,
``date.today()`` and ``time.time()`` follow it in every thread: the live server's, the tasks Celery runs
eagerly, the demo and the fixtures. Loaded with ``-p tests.today`` (pyproject's addopts), before any
test module is imported.
"""

import os
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine

BEIJING = ZoneInfo("Asia/Shanghai")
SUITE_HOUR = time(10)

_traveller: time_machine.travel | None = None


def suite_today() -> date | None:
    """The day named by TEST_TODAY, or None when the suite runs on the real today."""
    value = os.environ.get("TEST_TODAY", "").strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise pytest.UsageError(f"TEST_TODAY must be a date as YYYY-MM-DD, not {value!r}") from None


def pytest_configure(config: pytest.Config) -> None:
    global _traveller
    day = suite_today()
    if day is not None:
        _traveller = time_machine.travel(datetime.combine(day, SUITE_HOUR, tzinfo=BEIJING), tick=True)
        _traveller.start()


def pytest_unconfigure(config: pytest.Config) -> None:
    global _traveller
    if _traveller is not None:
        _traveller.stop()
        _traveller = None


def pytest_report_header(config: pytest.Config) -> str:
    day = suite_today()
    if day is None:
        return "TEST_TODAY not set: the suite runs on the real today"
    return f"TEST_TODAY={day.isoformat()}: the suite runs as if it were {day.isoformat()} 10:00 Beijing time"
