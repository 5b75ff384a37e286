"""Issue 15 point 5, "history both ways": an imported bad review comes with the predecessor's
rectification, reply and revisit and is kept as a closed work order with that timeline — no SMS, no
deadlines, no upstream milestones (docs/upstream.md, "Historical import")."""

import pytest
import tablib

from evaluations.models import SmsMessage
from reporting.models import UpstreamMessage
from reporting.upstream.importer import history_import
from workorders.models import WorkOrder

from .upstream_rows import HEADERS, beijing, case_codes, row

pytestmark = pytest.mark.django_db
HISTORY = ["rectification", "replyContent", "rectifyTime", "revisitResult", "revisitWay", "revisitTime"]
BAD = {"satisfaction": "1", "evalDetail": "M1-01", "writingEvaluation": "材料清单不清楚"}


def history_rows(codes, *rows: tuple[str, dict, list[str]]) -> tablib.Dataset:
    return tablib.Dataset(
        *[row(codes, serial, **fields) + history for serial, fields, history in rows],
        headers=HEADERS + HISTORY,
    )


def test_provincial_interfaces_history_a_bad_review_comes_as_a_closed_order_with_its_timeline(org):
    codes = case_codes(org)
    history = [
        "补充了材料清单",
        "已电话致歉并告知清单",
        "2024-03-06 11:00:00",
        "1",
        "1",
        "2024-03-08 16:00:00",
    ]
    result = history_import(dataset=history_rows(codes, ("SN-O-001", BAD, history)))
    assert result.ok, [str(error) for error in result.errors]
    order = WorkOrder.objects.get()
    assert (order.state, order.rectification, order.reply) == (
        "closed",
        "补充了材料清单",
        "已电话致歉并告知清单",
    )
    assert (order.revisit_result, order.revisit_channel) == ("satisfied", "hotline")
    assert (order.submitted_at, order.closed_at) == (beijing(6, 11), beijing(8, 16))
    assert (order.due, order.contact_due, order.dispatched_at) == (None, None, None)  # no deadlines today
    timeline = list(order.events.order_by("at").values_list("action", "from_state", "to_state", "at"))
    assert timeline == [
        ("", "", "created", beijing(5, 9)),
        ("submit", "handling", "reviewing", beijing(6, 11)),
        ("record_revisit", "revisiting", "closed", beijing(8, 16)),
    ]
    assert not SmsMessage.objects.exists()  # nobody is texted about an old case
    assert set(UpstreamMessage.objects.values_list("kind", flat=True)) == {"evaluation"}  # no milestones


def test_provincial_interfaces_history_without_history_columns_the_order_is_closed_at_the_rating(org):
    codes = case_codes(org)
    result = history_import(dataset=history_rows(codes, ("SN-O-002", BAD, [""] * 6)))
    assert result.ok and result.orders == 1
    order = WorkOrder.objects.get()
    assert (order.state, order.closed_at) == ("closed", beijing(5, 9))
    assert list(order.events.values_list("action", "to_state")) == [("", "created"), ("import", "closed")]


def test_provincial_interfaces_history_rows_with_wrong_history_are_refused_and_nothing_is_kept(org):
    codes = case_codes(org)
    result = history_import(
        dataset=history_rows(
            codes,
            ("SN-O-003", {}, ["整改", "", "", "", "", ""]),  # a good rating has no rectification
            ("SN-O-004", BAD, ["整改", "", "2024-03-07 10:00:00", "1", "1", "2024-03-06 10:00:00"]),
            ("SN-O-005", BAD, ["", "", "", "7", "9", "2024-03-06 10:00:00"]),
            ("SN-O-006", BAD, ["", "", "", "1", "1", ""]),
        )
    )
    assert {(error.row, error.column): error.message for error in result.errors} == {
        (2, "rectification"): "只有差评（满意度 1、2）才能导入整改与回访记录。",
        (3, "revisitTime"): "回访时间早于整改时间。",
        (4, "revisitResult"): "应为 1（满意）、2（不满意）或 3（无法回访）。",
        (4, "revisitWay"): "应为 1（12345 电话）、2（短信）或 3（上门或当面）。",
        (5, "revisitTime"): "有回访结果时必填。",
    }
    assert not WorkOrder.objects.exists()
