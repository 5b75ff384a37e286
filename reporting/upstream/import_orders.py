"""Historical import, the other half: a predecessor system's bad review comes with its rectification,
reply and revisit, and is kept here as a **closed** work order with that history (docs/upstream.md,
"Historical import"). Nothing starts today: no SMS, no deadlines, no transition signals (so no
upstream milestones either — the old system reported them); the timeline's times are the file's.

Columns (all optional): rectification, replyContent, rectifyTime, revisitResult, revisitWay,
revisitTime, in the national names and codes of the work-order milestones (mapping.py).
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from evaluations.models import BAD_GRADES, Evaluation
from workorders.models import State, WorkOrder, WorkOrderEvent
from workorders.services.opening import managing_region, next_number, suggested_category

from . import mapping
from .import_rows import PlannedRow, parse_time, text

Kind = WorkOrderEvent.Kind

# Their Chinese names are in import_rows.COLUMNS with the others.
HISTORY_COLUMNS = (
    "rectification",
    "replyContent",
    "rectifyTime",
    "revisitResult",
    "revisitWay",
    "revisitTime",
)
IMPORTED = "历史数据导入：原系统已办结，未发短信、未设时限。"


@dataclass
class History:
    rectification: str = ""
    reply: str = ""
    rectified_at: datetime | None = None
    revisit_result: str = ""
    revisit_way: str = ""
    revisited_at: datetime | None = None


def plan_history(planned: PlannedRow, row: dict[str, Any]) -> None:
    """Read the history columns of a row into ``planned.history``; mistakes fail the row."""
    value = {name: text(row.get(name)) for name in HISTORY_COLUMNS}
    if not any(value.values()):
        return
    rating = planned.rating
    if rating is None or rating.grade not in BAD_GRADES:
        planned.fail("rectification", _("只有差评（满意度 1、2）才能导入整改与回访记录。"))
        return
    times: dict[str, datetime | None] = {}
    for name in ("rectifyTime", "revisitTime"):
        try:
            times[name] = parse_time(value[name])
        except ValueError as exc:
            planned.fail(name, str(exc))
            times[name] = None
        moment = times[name]
        if moment is not None and (moment > timezone.now() or (rating.rated_at and moment < rating.rated_at)):
            planned.fail(name, _("应在评价时间之后、当前时间之前。"))
    rectified, revisited = times["rectifyTime"], times["revisitTime"]
    if rectified and revisited and revisited < rectified:
        planned.fail("revisitTime", _("回访时间早于整改时间。"))
    result = (
        mapping.invert(mapping.REVISIT_RESULT).get(value["revisitResult"]) if value["revisitResult"] else ""
    )
    if result is None:
        planned.fail("revisitResult", _("应为 1（满意）、2（不满意）或 3（无法回访）。"))
    way = mapping.invert(mapping.REVISIT_WAY).get(value["revisitWay"]) if value["revisitWay"] else ""
    if way is None:
        planned.fail("revisitWay", _("应为 1（12345 电话）、2（短信）或 3（上门或当面）。"))
    if (result or way) and revisited is None:
        planned.fail("revisitTime", _("有回访结果时必填。"))
    planned.history = History(
        rectification=value["rectification"],
        reply=value["replyContent"],
        rectified_at=rectified,
        revisit_result=result or "",
        revisit_way=way or "",
        revisited_at=revisited,
    )


def order_import(*, evaluation: Evaluation, history: History | None) -> WorkOrder:
    """The closed work order of an imported bad review, with its timeline at the file's times."""
    history = history or History()
    assert evaluation.rated_at is not None
    closed_at = history.revisited_at or history.rectified_at or evaluation.rated_at
    order = WorkOrder.objects.create(
        number=next_number(evaluation.rated_at),
        evaluation=evaluation,
        state=State.CLOSED,  # the first assignment of the protected field: it is born closed
        category=suggested_category(evaluation),
        department=evaluation.department,
        office_region=managing_region(evaluation.region),
        submitted_at=history.rectified_at,
        approved_at=history.rectified_at,
        closed_at=closed_at,
        rectification=history.rectification,
        reply=history.reply,
        revisit_result=history.revisit_result,
        revisit_channel=history.revisit_way,
    )
    WorkOrder.objects.filter(pk=order.pk).update(created_at=evaluation.rated_at)
    # The timeline at the file's times, written once: events are append-only (no UPDATE afterwards).
    events = [
        WorkOrderEvent(kind=Kind.CREATED, to_state=State.CREATED, at=evaluation.rated_at, note=IMPORTED)
    ]
    if history.rectification or history.reply:
        events.append(_step("submit", history.rectified_at or closed_at, State.HANDLING, State.REVIEWING,
                            history.rectification))  # fmt: skip
    if history.revisit_result:
        events.append(_step("record_revisit", closed_at, State.REVISITING, State.CLOSED, _("历史回访记录")))
    else:
        events.append(_step("import", closed_at, State.CREATED, State.CLOSED, IMPORTED))
    for event in events:
        event.order = order
    WorkOrderEvent.objects.bulk_create(events)
    return order


def _step(action: str, at: datetime, before: str, after: str, note: str) -> WorkOrderEvent:
    return WorkOrderEvent(
        kind=Kind.TRANSITION, action=action, from_state=before, to_state=after, at=at, note=note
    )
