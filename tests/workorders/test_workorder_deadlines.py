"""Due dates in working days by the region's policy and the order's category, and extensions (延期).

Dates are not frozen: the calendar cases call ``due_dates(order, start)`` with the dispatch date, and
``workorder_dispatch`` is checked against ``due_dates(order, today)``.
"""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from evaluations.models import Preset, SmsMessage
from evaluations.workdays import add_working_days
from workorders.models import Category, Decision, ExtensionRequest, State, WorkOrder, WorkOrderEvent
from workorders.services.base import WorkOrderBlocked
from workorders.services.extensions import extension_decide, extension_request
from workorders.services.lifecycle import due_dates, workorder_dispatch

from .workorder_fixtures import CHINESE, move, use_preset

pytestmark = [pytest.mark.django_db, pytest.mark.calendar]

Kind = WorkOrderEvent.Kind


def with_category(order: WorkOrder, category: str) -> WorkOrder:
    WorkOrder.objects.filter(pk=order.pk).update(category=category)
    return WorkOrder.objects.select_related("department__region").get(pk=order.pk)


def blocked(call, *args, **kwargs) -> str:
    with pytest.raises(WorkOrderBlocked) as caught:
        call(*args, **kwargs)
    assert CHINESE.search(caught.value.message)
    return caught.value.message


# --- due dates ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("preset", "category", "start", "contact_due", "due"),
    [
        # Tianjin art. 20: 1 / 5 / 15 working days; 1-8 October 2025 off, Saturday 11 October worked.
        (Preset.TIANJIN, Category.GENERAL, date(2025, 9, 30), date(2025, 10, 9), date(2025, 10, 14)),
        # Art. 20 (三): complex cases are answered in 15; the regulation sets no contact limit for them.
        (Preset.TIANJIN, Category.COMPLEX, date(2025, 9, 30), None, date(2025, 10, 28)),
        # Spring Festival 2026: the adjusted Saturday 14 February is a working day.
        (Preset.TIANJIN, Category.SIMPLE, date(2026, 2, 13), date(2026, 2, 14), date(2026, 2, 14)),
        (Preset.TIANJIN, Category.GENERAL, date(2026, 2, 13), date(2026, 2, 14), date(2026, 2, 27)),
        # Ganzhou art. 17: complex -> contact in 2, finished in 10; clear cases answered in 1.
        (Preset.GANZHOU, Category.COMPLEX, date(2025, 9, 30), date(2025, 10, 10), date(2025, 10, 21)),
        (Preset.GANZHOU, Category.SIMPLE, date(2025, 9, 30), date(2025, 10, 9), date(2025, 10, 9)),
        # Qingdao art. 13: rectified within 5 working days, whatever the category.
        (Preset.QINGDAO, Category.COMPLEX, date(2025, 9, 30), date(2025, 10, 9), date(2025, 10, 14)),
    ],
)
def test_due_dates_count_working_days_by_policy_and_category(
    new_order, regions, preset, category, start, contact_due, due
):
    use_preset(regions["city"], preset)  # inherited by the district below
    assert due_dates(with_category(new_order, category), start) == (contact_due, due)


def test_a_contact_deadline_never_falls_after_the_finish_deadline(new_order, regions):
    use_preset(regions["zhanggong"], Preset.GANZHOU)
    order = with_category(new_order, Category.SIMPLE)
    for start in (date(2025, 9, 30), date(2026, 2, 13), date(2025, 6, 6)):
        contact, due = due_dates(order, start)
        assert contact is not None and contact <= due


def test_dispatch_sets_the_due_dates_from_today(new_order, people, regions):
    use_preset(regions["city"], Preset.TIANJIN)
    workorder_dispatch(new_order, by=people["office"])
    new_order.refresh_from_db()
    assert new_order.dispatched_at is not None
    assert (new_order.contact_due, new_order.due) == due_dates(new_order, timezone.localdate())


def test_the_office_may_change_the_category_at_dispatch(new_order, people, regions):
    use_preset(regions["city"], Preset.GANZHOU)
    assert new_order.category == Category.GENERAL
    workorder_dispatch(new_order, by=people["office"], category=Category.COMPLEX)
    new_order.refresh_from_db()
    assert new_order.category == Category.COMPLEX
    assert new_order.due == add_working_days(timezone.localdate(), 10)


# --- extensions ---------------------------------------------------------------------------------


@pytest.fixture
def handling(new_order, people, regions) -> WorkOrder:
    """An order being rectified in 章贡区 under the Ganzhou rules (at most 2 extensions)."""
    use_preset(regions["city"], Preset.GANZHOU)
    return move(new_order, State.HANDLING, office=people["office"], handler=people["handler"])


def ask(order: WorkOrder, by, days: int = 3, reason: str = "需协调登记中心共同整改") -> ExtensionRequest:
    order.refresh_from_db()
    return extension_request(order, by=by, reason=reason, new_due=add_working_days(order.due, days))


def test_an_approved_extension_moves_the_due_date_and_tells_the_citizen(
    handling, people, django_capture_on_commit_callbacks
):
    old_due = handling.due
    request = ask(handling, people["handler"])
    assert (request.status, request.old_due) == (Decision.PENDING, old_due)
    assert handling.events.filter(kind=Kind.EXTENSION, actor=people["handler"]).exists()
    with django_capture_on_commit_callbacks(execute=True):
        extension_decide(request, by=people["office"], approve=True)
        assert not SmsMessage.objects.exists()  # the citizen hears of it after the commit
    handling.refresh_from_db()
    request.refresh_from_db()
    assert (handling.due, handling.extensions_used) == (request.new_due, 1)
    assert (request.status, request.decided_by) == (Decision.APPROVED, people["office"])
    event = handling.events.filter(kind=Kind.DEADLINE).get()
    assert event.actor == people["office"] and str(request.new_due) in event.note
    message = SmsMessage.objects.get()
    assert (message.kind, message.phone) == (SmsMessage.Kind.REPLY, "13812345678")
    assert f"{request.new_due:%Y年%m月%d日}" in message.body


def test_a_refused_extension_needs_a_reason_and_keeps_the_due_date(handling, people):
    request = ask(handling, people["handler"])
    assert "理由" in blocked(extension_decide, request, by=people["office"], approve=False, note=" ")
    request.refresh_from_db()
    assert request.status == Decision.PENDING
    extension_decide(request, by=people["office"], approve=False, note="属立行立改事项，不予延期")
    handling.refresh_from_db()
    request.refresh_from_db()
    assert (request.status, handling.due, handling.extensions_used) == (Decision.REJECTED, request.old_due, 0)
    assert "属立行立改事项，不予延期" in handling.events.get(kind=Kind.DEADLINE).note
    assert not SmsMessage.objects.exists()


def test_ganzhou_allows_two_extensions_and_no_third(handling, people):
    for _ in range(2):
        extension_decide(ask(handling, people["handler"]), by=people["office"], approve=True)
    assert "上限" in blocked(ask, handling, people["handler"])
    handling.refresh_from_db()
    assert handling.extensions_used == 2
    assert handling.extensions.count() == 2


def test_tianjin_allows_no_extension(new_order, people, regions):
    use_preset(regions["city"], Preset.TIANJIN)
    order = move(new_order, State.HANDLING, office=people["office"], handler=people["handler"])
    assert "不允许延期" in blocked(ask, order, people["handler"])
    assert not order.extensions.exists()


def test_only_one_extension_request_waits_at_a_time(handling, people):
    ask(handling, people["handler"])
    assert "待审核" in blocked(ask, handling, people["handler"], days=5)
    assert handling.extensions.filter(status=Decision.PENDING).count() == 1


@pytest.mark.parametrize(
    ("days", "reason", "expected"),
    [(0, "需协调", "须晚于"), (-1, "需协调", "须晚于"), (2, " ", "延期理由")],
)
def test_an_extension_asks_for_a_later_date_and_a_reason(handling, people, days, reason, expected):
    assert expected in blocked(ask, handling, people["handler"], days=days, reason=reason)
    assert not handling.extensions.exists()


def test_an_extension_is_asked_before_the_due_date_passes(handling, people):
    WorkOrder.objects.filter(pk=handling.pk).update(due=timezone.localdate() - timedelta(days=1))
    assert "届满前" in blocked(ask, handling, people["handler"])
    assert not handling.extensions.exists()


@pytest.mark.parametrize("role", ["other_handler", "office", "hotline"])
def test_only_the_responsible_department_asks_for_an_extension(handling, people, role):
    blocked(ask, handling, people[role])
    assert not handling.extensions.exists()


@pytest.mark.parametrize("role", ["outside_office", "handler", "hotline"])
def test_only_the_office_over_the_order_decides_an_extension(handling, people, role):
    request = ask(handling, people["handler"])
    assert "无权" in blocked(extension_decide, request, by=people[role], approve=True)
    request.refresh_from_db()
    handling.refresh_from_db()
    assert (request.status, handling.due, handling.extensions_used) == (Decision.PENDING, request.old_due, 0)


def test_an_extension_cannot_be_approved_once_the_order_is_finished(handling, people):
    request = ask(handling, people["handler"])
    closed = move(handling, State.CLOSED, office=people["office"], handler=people["handler"])
    assert "不能再延期" in blocked(extension_decide, request, by=people["office"], approve=True)
    closed.refresh_from_db()
    request.refresh_from_db()
    assert (closed.due, closed.extensions_used, request.status) == (request.old_due, 0, Decision.PENDING)
