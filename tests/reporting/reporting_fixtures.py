"""Building ratings and work orders directly for reporting tests, then folding them into the rollups.

``rate(side, grade, …)`` writes one Evaluation row for a unit of the ``org`` fixture (bypassing intake,
whose rules are tested elsewhere); ``order(evaluation, …)`` gives it a work order at a given stage.
Times default to 2026-10-15 10:00 Beijing time.
"""

import datetime as dt
import itertools

from evaluations.models import Evaluation
from reporting.rollups.build import rollup_rebuild
from workorders.models import State, WorkOrder

TZ = dt.timezone(dt.timedelta(hours=8))
OCTOBER = dt.datetime(2026, 10, 15, 10, 0, tzinfo=TZ)
# The moment these data sets' tests run at (the november_2026 fixture), whatever TEST_TODAY says.
NOVEMBER_2026 = dt.datetime(2026, 11, 20, 10, 0, tzinfo=TZ)
_numbers = itertools.count(1)


def rate(
    side: dict,
    grade: int | None,
    *,
    kind: str = "active",
    validity: str = "valid",
    channel: str = "qr",
    at: dt.datetime = OCTOBER,
    target: str = "matter",
    stage: str = "completion",
    assess_number: int = 1,
    real_name: bool = False,
    tags: list[str] | None = None,
    comment: str = "",
) -> Evaluation:
    """One rating of ``side`` (an entry of the org fixture: department, hall, window, staff, matter)."""
    return Evaluation.objects.create(
        target=target,
        stage=stage,
        assess_number=assess_number,
        grade=grade,
        kind=kind,
        validity=validity,
        channel=channel,
        rated_at=at,
        matter=side["matter"],
        staff=side["staff"],
        window=side["window"],
        department=side["department"],
        region=side["department"].region,
        real_name=real_name,
        evaluator_phone="13812345678" if real_name else "",
        tags=tags or [],
        comment=comment,
    )


def order(
    evaluation: Evaluation,
    *,
    state: str = State.HANDLING,
    rectified: bool = False,
    on_time: bool = True,
    revisit: str = "",
) -> WorkOrder:
    """A work order of a bad rating; ``rectified`` = approved by the office (submitted before/after due)."""
    at = evaluation.rated_at
    due = (at + dt.timedelta(days=7)).date()
    submitted = at + dt.timedelta(days=3 if on_time else 10)
    return WorkOrder.objects.create(
        number=f"CPTEST-{next(_numbers):06d}",
        evaluation=evaluation,
        state=state,
        department=evaluation.department,
        office_region=evaluation.department.region,
        dispatched_at=at,
        due=due,
        submitted_at=submitted if rectified else None,
        approved_at=submitted + dt.timedelta(hours=2) if rectified else None,
        revisit_result=revisit,
    )


def rebuild(first: dt.date = dt.date(2026, 7, 1), last: dt.date = dt.date(2026, 12, 31)) -> None:
    rollup_rebuild(first=first, last=last)


def month_start(year: int, month: int) -> dt.datetime:
    return dt.datetime(year, month, 1, 10, 0, tzinfo=TZ)


def publish_month(region, period, by=None):
    """``period``'s circular of ``region`` through the whole lifecycle: drafted, frozen and published."""
    from reporting.circulars.service import circular_freeze, circular_generate, circular_publish

    draft = circular_generate(region=region, period=period, by=by)
    return circular_publish(circular=circular_freeze(circular=draft, by=by), by=by)
