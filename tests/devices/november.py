"""The November 2026 days the devices' upload tests travel to (Beijing time), and the clock to get there."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from zoneinfo import ZoneInfo

import time_machine

BEIJING = ZoneInfo("Asia/Shanghai")


def at(day: int, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=BEIJING)


@contextmanager
def clock(moment: datetime) -> Iterator[None]:
    with time_machine.travel(moment, tick=True):
        yield
