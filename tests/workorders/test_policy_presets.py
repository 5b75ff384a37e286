"""A region that adopts a regulation gets every rule of it (DESIGN §5), set through ``manage.py policy``.

One test per preset drives real cases and orders of a 章贡区 department, whose city adopts the
preset, through each rule of the preset's column: what an unrated case becomes when its window
closes, the contact and finish limits per category, the appeal window and what a successful appeal
records, how many extensions, and the points and weights of the composite score. The expected
numbers are written out from the regulations here, not read from PRESETS.
"""

from dataclasses import dataclass
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from evaluations.models import Evaluation
from evaluations.policies import policy_for_region
from evaluations.services.timeouts import timeouts_apply
from evaluations.workdays import add_working_days
from reporting.scoring import Scale, Totals, composite
from tests.helpers import working_days_ago
from workorders.models import Category, State, WorkOrder
from workorders.services import appeals, extensions, lifecycle
from workorders.services.base import WorkOrderBlocked

from .workorder_fixtures import bad_order, move

pytestmark = [pytest.mark.django_db, pytest.mark.calendar]


@dataclass(frozen=True)
class Column:
    preset: str
    timeout: tuple[str, int | None]  # (marker kind, grade) of a case left unrated
    categories: dict[str, tuple[int | None, int]]  # category -> (contact days, finish days)
    appeal_days: int
    invalid_outcome: str
    max_extensions: int


COLUMNS = {
    # 国办发〔2019〕51号 sets no numbers: the national preset reads it as the seeds do (see policy.py).
    "national": Column(
        "national", ("unevaluated", None), {"simple": (1, 1), "general": (1, 5), "complex": (1, 15)}, 3,
        "not_adopted", 2,
    ),
    # 天津细则 第十六条 (5 days, 未评), 第二十条 (1/1, 1/5, —/15), 第二十一条 (1 day, 未评); no extensions.
    "tianjin": Column(
        "tianjin", ("unevaluated", None), {"simple": (1, 1), "general": (1, 5), "complex": (None, 15)}, 1,
        "unevaluated", 0,
    ),
    # 赣州办法 第十六条 (default 满意), 第十七条 (clear: 1; complex: contact 2, finish 10; 2 extensions),
    # 第十九条 (appeal within 3 working days, not adopted).
    "ganzhou": Column(
        "ganzhou", ("default", 4), {"simple": (1, 1), "general": (2, 10), "complex": (2, 10)}, 3,
        "not_adopted", 2,
    ),
    # 青岛办法 第十三条: revisited at once, rectified within 5 working days, invalid = 不属实.
    "qingdao": Column(
        "qingdao", ("unevaluated", None), {"simple": (1, 5), "general": (1, 5), "complex": (1, 5)}, 3,
        "untrue", 0,
    ),
}  # fmt: skip


def adopt(region_code: str, preset: str) -> None:
    call_command("policy", "set", region_code, preset, stdout=StringIO())


def check_timeout(closed_case, column: Column) -> None:
    timeouts_apply()
    marker = Evaluation.objects.get(record=closed_case)
    assert (marker.kind, marker.grade) == column.timeout


def check_deadlines(make_record, people, column: Column) -> None:
    today = timezone.localdate()
    for category, (contact_days, finish_days) in column.categories.items():
        order = bad_order(make_record())
        lifecycle.workorder_dispatch(order, by=people["office"], category=category)
        order.refresh_from_db()
        due = add_working_days(today, finish_days)
        contact = None if contact_days is None else min(add_working_days(today, contact_days), due)
        assert (order.contact_due, order.due) == (contact, due), category


def check_appeal(make_record, people, column: Column) -> None:
    late = move(bad_order(make_record()), State.HANDLING, office=people["office"], handler=people["handler"])
    WorkOrder.objects.filter(pk=late.pk).update(dispatched_at=working_days_ago(column.appeal_days + 1))
    with pytest.raises(WorkOrderBlocked):
        appeals.workorder_appeal(late, by=people["handler"], reason="评价人误操作")

    order = move(bad_order(make_record()), State.HANDLING, office=people["office"], handler=people["handler"])
    WorkOrder.objects.filter(pk=order.pk).update(dispatched_at=working_days_ago(column.appeal_days))
    appeals.workorder_appeal(order, by=people["handler"], reason="评价人误操作，已电话确认")
    order.refresh_from_db()
    appeals.workorder_void(order, by=people["office"], note="调取录像核实，属误评")
    assert Evaluation.objects.get(work_order__pk=order.pk).validity == column.invalid_outcome


def check_extensions(make_record, people, column: Column) -> None:
    order = bad_order(make_record())
    lifecycle.workorder_dispatch(order, by=people["office"], category=Category.GENERAL)
    for _granted in range(column.max_extensions):
        order.refresh_from_db()
        new_due = add_working_days(order.due, 2)
        request = extensions.extension_request(
            order, by=people["handler"], reason="需协调市级部门", new_due=new_due
        )
        extensions.extension_decide(request, by=people["office"], approve=True, note="同意")
    order.refresh_from_db()
    assert order.extensions_used == column.max_extensions
    with pytest.raises(WorkOrderBlocked):
        extensions.extension_request(
            order, by=people["handler"], reason="还需时间", new_due=add_working_days(order.due, 2)
        )


def check_scoring(regions) -> None:
    """天津细则 第二十三条: 30 % quality (10/10/8/5/0 points) + 15 % active + 30 % rectified + 25 % revisit.

    Two 非常满意, one 基本满意, one 非常不满意: (10 + 10 + 8 + 0) / 4 = 7 of 10 → 21; 4 active of 5
    settled cases → 12; the one bad review rectified → 30; its revisit satisfied → 25: 88.
    """
    totals = Totals(
        g5=2, g3=1, g1=1, case_active=4, unevaluated=1, orders=1, rectified=1, revisit_satisfied=1
    )
    assert composite(totals, Scale.from_policy(policy_for_region(regions["zhanggong"]))) == 88.0


@pytest.mark.parametrize("preset", list(COLUMNS))
def test_a_region_that_adopts_a_preset_applies_every_rule_of_its_column(
    preset, regions, make_record, closed_case, people
):
    adopt(regions["city"].code, preset)  # 章贡区 inherits its city's policy
    column = COLUMNS[preset]
    check_timeout(closed_case, column)
    check_deadlines(make_record, people, column)
    check_appeal(make_record, people, column)
    check_extensions(make_record, people, column)
    check_scoring(regions)


def test_switching_back_and_forth_leaves_nothing_of_the_previous_preset(regions, make_record, people):
    """The bug this issue began with: 天津 chosen over 赣州 kept Ganzhou's appeal window and extensions."""
    adopt(regions["city"].code, "ganzhou")
    adopt(regions["city"].code, "tianjin")
    check_appeal(make_record, people, COLUMNS["tianjin"])
    check_extensions(make_record, people, COLUMNS["tianjin"])
