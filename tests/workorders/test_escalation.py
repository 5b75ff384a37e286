"""Escalation: a warning before the due date, and on overdue an event, a flag and notices to the
managing office and the next level up — once, however often (and however concurrently) it runs."""

import threading
from datetime import date, datetime, timedelta

import pytest
from django.db import connections
from django.utils import timezone

from evaluations.models import Role, SmsMessage, User
from evaluations.services.intake import Rating, evaluation_record
from evaluations.workdays import add_working_days
from workorders.models import WorkOrder, WorkOrderEvent
from workorders.services.contact import workorder_record_contact
from workorders.services.escalation import escalate
from workorders.services.lifecycle import workorder_accept, workorder_dispatch

pytestmark = pytest.mark.calendar


@pytest.fixture
def people(regions, org) -> dict[str, User]:
    def user(name: str, role: str, phone: str, **scope) -> User:
        return User.objects.create_user(username=name, password="x", role=role, phone=phone, **scope)

    return {
        "district": user("district", Role.OFFICE, "13900000001", region=regions["zhanggong"]),
        "city": user("city", Role.OFFICE, "13900000002", region=regions["city"]),
        "province": user("province", Role.OFFICE, "13900000003", region=regions["province"]),
        "handler": user("handler", Role.DEPARTMENT, "13900000004", department=org["zhanggong"]["department"]),
    }


@pytest.fixture
def uncontacted(make_record, people) -> WorkOrder:
    """Dispatched and accepted today; the citizen not yet contacted."""
    rating = Rating(target="matter", stage="completion", grade=1, channel="pc", tags=["M1-03"])
    evaluation = evaluation_record(rating=rating, record=make_record()).evaluation
    order = workorder_dispatch(evaluation.work_order, by=people["district"])
    return workorder_accept(order, by=people["handler"])


@pytest.fixture
def order(uncontacted, people) -> WorkOrder:
    """As ``uncontacted``, with the citizen contacted at once: only the rectification limit is left."""
    return workorder_record_contact(uncontacted, by=people["handler"], at=timezone.now(), way="phone")


NOTHING = {"warned": 0, "overdue": 0, "contact_warned": 0, "contact_overdue": 0, "late_appeal_reviews": 0}


def set_due(order: WorkOrder, due: date) -> None:
    WorkOrder.objects.filter(pk=order.pk).update(due=due)


def notices() -> list[str]:
    return sorted(message.phone for message in SmsMessage.objects.filter(kind="notice"))


@pytest.mark.django_db
def test_an_order_due_tomorrow_is_warned_once(order, people):
    set_due(order, add_working_days(timezone.localdate(), 1))
    assert escalate() == {**NOTHING, "warned": 1}
    assert escalate() == NOTHING
    assert WorkOrderEvent.objects.filter(order=order, kind="warning").count() == 1
    assert notices() == [people["handler"].phone]


@pytest.mark.django_db
def test_an_overdue_order_is_flagged_and_reported_to_the_office_and_the_level_above(order, people):
    set_due(order, timezone.localdate() - timedelta(days=3))
    assert escalate()["overdue"] == 1
    assert escalate()["overdue"] == 0
    order = WorkOrder.objects.get(pk=order.pk)  # a protected FSM field cannot be refreshed in place
    assert order.overdue_flagged_at is not None and order.state == "handling"  # overdue is not a state
    assert WorkOrderEvent.objects.filter(order=order, kind="overdue").count() == 1
    # 章贡区's office and the city office above it; not the province, two levels up.
    assert notices() == sorted([people["district"].phone, people["city"].phone, people["handler"].phone])


@pytest.mark.django_db
def test_closed_and_paused_orders_are_not_escalated(order):
    set_due(order, timezone.localdate() - timedelta(days=3))
    WorkOrder.objects.filter(pk=order.pk).update(state="appealing", paused_at=timezone.now())
    assert escalate() == NOTHING


@pytest.mark.django_db
def test_notices_wait_for_the_next_working_day_unless_urgent(order, regions):
    set_due(order, date(2025, 9, 30))
    national_day = datetime(2025, 10, 3, 10, 0, tzinfo=timezone.get_default_timezone())
    escalate(now=national_day)
    first = timezone.localtime(SmsMessage.objects.order_by("send_after").first().send_after)
    assert (first.date(), first.hour) == (date(2025, 10, 9), 8)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_escalate_an_order_once(order):
    set_due(order, timezone.localdate() - timedelta(days=3))
    results: list[dict] = []
    barrier = threading.Barrier(2)

    def run() -> None:
        try:
            barrier.wait()
            results.append(escalate())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(result["overdue"] for result in results) == [0, 1]
    assert WorkOrderEvent.objects.filter(order=order, kind="overdue").count() == 1


@pytest.mark.django_db
def test_an_appeal_left_undecided_past_the_review_limit_is_reported_once(order, people):
    from workorders.services.appeals import workorder_appeal

    appealing = workorder_appeal(order, by=people["handler"], reason="评价人误操作").order
    two_weeks_ago = timezone.now() - timedelta(days=14)
    WorkOrder.objects.filter(pk=appealing.pk).update(paused_at=two_weeks_ago)
    assert escalate()["late_appeal_reviews"] == 1
    assert escalate()["late_appeal_reviews"] == 0
    event = WorkOrderEvent.objects.get(order=appealing, action="appeal_review")
    assert "申诉已超过 3 个工作日未复核" in event.note
    assert notices() == sorted([people["district"].phone, people["city"].phone])


# --- the contact limit (Tianjin art. 20: 回访 within 1 working day; Ganzhou art. 17: 答复 within 1) ----


@pytest.mark.django_db
def test_the_contact_limit_is_warned_then_escalated_once_each(uncontacted, people):
    """Ganzhou art. 17: the reply is due within 1 working day of dispatch; the task warns the department
    while it runs and, once it has passed uncontacted, tells the office and the level above, once."""
    order = WorkOrder.objects.get(pk=uncontacted.pk)
    assert order.contact_due == add_working_days(timezone.localdate(), 1)
    assert escalate() == {**NOTHING, "contact_warned": 1}
    assert escalate() == NOTHING
    warning = WorkOrderEvent.objects.get(order=order, kind="warning", action="contact")
    assert (
        warning.note == f"工单 {order.number} 须于 {order.contact_due} 前联系评价人，联系后请在工单中登记。"
    )
    assert notices() == [people["handler"].phone]

    WorkOrder.objects.filter(pk=order.pk).update(contact_due=timezone.localdate() - timedelta(days=3))
    assert escalate() == {**NOTHING, "contact_overdue": 1}
    assert escalate() == NOTHING
    flagged = WorkOrderEvent.objects.get(order=order, kind="overdue", action="contact")
    assert "已超过联系时限" in flagged.note and "仍未联系评价人" in flagged.note
    assert WorkOrder.objects.get(pk=order.pk).state == "handling"  # late contact is not a state either
    assert notices() == sorted(
        [people["handler"].phone] * 2 + [people["district"].phone, people["city"].phone]
    )


@pytest.mark.django_db
def test_a_recorded_contact_is_not_chased(uncontacted, people):
    WorkOrder.objects.filter(pk=uncontacted.pk).update(contact_due=timezone.localdate() - timedelta(days=3))
    workorder_record_contact(uncontacted, by=people["handler"], at=timezone.now(), way="phone")
    assert escalate()["contact_overdue"] == 0
