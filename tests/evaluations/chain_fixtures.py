"""Helpers of the hash-chain tests (DESIGN §9; Qingdao art. 16 "评价数据自动生成、不可更改")."""

import datetime as dt
import io

import time_machine
from django.core.management import call_command

from evaluations.models import Evaluation
from evaluations.services.sealing import chain_seal

TZ = dt.timezone(dt.timedelta(hours=8))
# Tuesday 10 November 2026, 10:00 Beijing time: the chain tests fix their own moments.
TUESDAY = dt.datetime(2026, 11, 10, 10, 0, tzinfo=TZ)
SETTLED = dt.timedelta(minutes=2)  # longer than CHAIN_SEAL_SETTLE_SECONDS (60)


def rate(side: dict, *, at: dt.datetime = TUESDAY, grade: int = 5, comment: str = "", **extra) -> Evaluation:
    """A window rating of ``side`` (an entry of the org fixture) submitted at ``at``."""
    with time_machine.travel(at, tick=False):
        return Evaluation.objects.create(
            target="staff",
            stage="completion",
            grade=grade,
            comment=comment,
            channel="window",
            rated_at=at,
            matter=side["matter"],
            staff=side["staff"],
            window=side["window"],
            department=side["department"],
            region=side["department"].region,
            **extra,
        )


def seal_at(at: dt.datetime):
    with time_machine.travel(at, tick=False):
        return chain_seal()


def verify(*args: str) -> str:
    """``manage.py ratings verify`` with ``args``; its output (CommandError propagates)."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("ratings", "verify", *args, stdout=out, stderr=err)
    finally:
        verify.stderr = err.getvalue()  # type: ignore[attr-defined]
    return out.getvalue()
