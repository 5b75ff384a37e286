"""Deadlines that follow the calendar (issue 13, point 5).

The limits are counted in 工作日 (Ganzhou art. 17: contacted within 2 and finished within 10 working days
from the day after dispatch; an extension names the new 整改时限, at most twice). A year whose holiday
table is not entered is counted Monday-Friday; entering it later must move the dates already counted
across it. Each test fixes its own moment with time-machine: late December 2026, before the 2027 table.
"""

from collections.abc import Iterator
from datetime import date, datetime, time

import pytest
import time_machine
from django.core.management import call_command

from config.celery import app as celery_app
from evaluations.models import Preset, WorkCalendar
from evaluations.workdays import add_working_days, known_years
from tests.today import BEIJING
from workorders.models import State, WorkOrder, WorkOrderEvent
from workorders.services.base import WorkOrderBlocked
from workorders.services.extensions import extension_decide, extension_request
from workorders.services.lifecycle import due_dates, workorder_dispatch
from workorders.services.recalendar import calendar_gap_warning, recompute_due_dates

from .workorder_fixtures import act, bad_order, move, use_preset

pytestmark = [pytest.mark.django_db, pytest.mark.calendar]

Kind = WorkOrderEvent.Kind
NEW_YEAR_2027 = date(2027, 1, 1)  # a Friday


def at(day: date, hour: int = 10) -> time_machine.travel:
    return time_machine.travel(datetime.combine(day, time(hour), tzinfo=BEIJING), tick=True)


@pytest.fixture(autouse=True)
def ganzhou(regions) -> None:
    use_preset(regions["city"], Preset.GANZHOU)  # general orders: contact in 2, finish in 10 working days
    assert 2027 not in known_years(), "these cases need a year without a holiday table: move them on a year"


@pytest.fixture
def eager_celery() -> Iterator[None]:
    before = celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates
    celery_app.conf.task_always_eager = celery_app.conf.task_eager_propagates = True
    yield
    celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates = before


def dispatched_on(day: date, make_record, people) -> WorkOrder:
    """A bad rating of a 章贡区 case, dispatched by the office on ``day``."""
    with at(day):
        return workorder_dispatch(bad_order(make_record()), by=people["office"])


def enter_new_year_2027(django_capture_on_commit_callbacks) -> WorkCalendar:
    """元旦 2027 entered as a holiday, committed: the signal goes out and the recompute runs (eagerly)."""
    with django_capture_on_commit_callbacks(execute=True):
        return WorkCalendar.objects.create(date=NEW_YEAR_2027, kind=WorkCalendar.Kind.HOLIDAY, name="元旦")


def deadline_notes(order: WorkOrder) -> list[str]:
    return list(order.events.filter(kind=Kind.DEADLINE).values_list("note", flat=True))


# --- recomputing when a year's calendar is entered ----------------------------------------------


def test_entering_a_holiday_moves_the_due_date_counted_across_it(
    make_record, people, eager_celery, django_capture_on_commit_callbacks
):
    """Ganzhou art. 17 (10 工作日): dispatched Wednesday 23 December 2026 with 2027 unknown, the 10th
    working day is Wednesday 6 January; once 元旦 2027 is a holiday it is Thursday 7 January."""
    order = dispatched_on(date(2026, 12, 23), make_record, people)
    assert (order.contact_due, order.due) == (date(2026, 12, 25), date(2027, 1, 6))
    with at(date(2026, 12, 30)):
        WorkOrder.objects.filter(pk=order.pk).update(warned_at=datetime(2026, 12, 29, 9, tzinfo=BEIJING))
        enter_new_year_2027(django_capture_on_commit_callbacks)
    order.refresh_from_db()
    assert (order.contact_due, order.due) == (date(2026, 12, 25), date(2027, 1, 7))
    assert deadline_notes(order) == ["时限因工作日历调整由 2027-01-06 改为 2027-01-07。"]
    assert order.events.get(kind=Kind.DEADLINE).actor is None  # the system, after the calendar changed
    assert (order.warned_at, order.overdue_flagged_at) == (None, None)  # warned again for the new date


def test_the_contact_limit_moves_too_and_the_note_says_so(make_record, people):
    """Ganzhou art. 17 (2 工作日 to contact): dispatched Thursday 31 December 2026, contact is due on the
    2nd working day, Monday 4 January once 元旦 is off (Friday 1 January before)."""
    order = dispatched_on(date(2026, 12, 31), make_record, people)
    assert (order.contact_due, order.due) == (date(2027, 1, 4), date(2027, 1, 14))
    WorkCalendar.objects.create(date=NEW_YEAR_2027, kind=WorkCalendar.Kind.HOLIDAY, name="元旦")
    with at(date(2027, 1, 4)):
        assert recompute_due_dates({2027}) == 1
    order.refresh_from_db()
    assert (order.contact_due, order.due) == (date(2027, 1, 5), date(2027, 1, 15))
    assert deadline_notes(order) == [
        "时限因工作日历调整由 2027-01-14 改为 2027-01-15。联系时限由 2027-01-04 改为 2027-01-05。"
    ]


def test_recomputing_twice_changes_nothing_the_second_time(make_record, people):
    """Idempotent: the dates are counted from the dispatch, not shifted from the stored ones."""
    order = dispatched_on(date(2026, 12, 23), make_record, people)
    WorkCalendar.objects.create(date=NEW_YEAR_2027, kind=WorkCalendar.Kind.HOLIDAY, name="元旦")
    with at(date(2026, 12, 30)):
        assert recompute_due_dates({2027}) == 1
        assert recompute_due_dates({2027}) == 0
        assert recompute_due_dates({2026, 2027}) == 0
    order.refresh_from_db()
    assert order.due == date(2027, 1, 7)
    assert len(deadline_notes(order)) == 1


def test_closed_orders_and_orders_away_from_the_year_are_untouched(make_record, people):
    """Only open orders whose counting (dispatch, due] touches the changed year are recounted."""
    closed = dispatched_on(date(2026, 12, 23), make_record, people)
    with at(date(2026, 12, 24)):
        closed = move(closed, State.CLOSED, office=people["office"], handler=people["handler"])
    earlier = dispatched_on(date(2026, 12, 9), make_record, people)  # due 23 December 2026
    WorkCalendar.objects.create(date=NEW_YEAR_2027, kind=WorkCalendar.Kind.HOLIDAY, name="元旦")
    with at(date(2026, 12, 30)):
        assert recompute_due_dates({2027}) == 0
    for order, due in ((closed, date(2027, 1, 6)), (earlier, date(2026, 12, 23))):
        order.refresh_from_db()
        assert order.due == due
        assert deadline_notes(order) == []


def test_an_approved_extension_on_a_new_holiday_moves_to_the_next_working_day(
    make_record, people, eager_celery, django_capture_on_commit_callbacks
):
    """Ganzhou art. 17: the office approved 整改时限 Friday 1 January 2027 (a working day while 2027 was
    unknown). The date a person chose is kept unless it is no longer a working day: then Monday 4 January."""
    order = dispatched_on(date(2026, 12, 16), make_record, people)
    assert order.due == date(2026, 12, 30)
    with at(date(2026, 12, 28)):
        order = move(order, State.HANDLING, office=people["office"], handler=people["handler"])
        request = extension_request(
            order, by=people["handler"], reason="需协调登记中心", new_due=NEW_YEAR_2027
        )
        extension_decide(request, by=people["office"], approve=True)
        enter_new_year_2027(django_capture_on_commit_callbacks)
    order.refresh_from_db()
    request.refresh_from_db()
    assert (order.due, order.extensions_used, request.new_due) == (date(2027, 1, 4), 1, NEW_YEAR_2027)
    assert deadline_notes(order)[-1] == "时限因工作日历调整由 2027-01-01 改为 2027-01-04。"


def test_working_days_given_back_after_an_appeal_are_counted_again(make_record, people):
    """Ganzhou art. 19: the paused days of an upheld appeal are given back in 工作日 (recorded at the
    decision); recounted on the new calendar after the dispatch limit."""
    order = dispatched_on(date(2026, 12, 23), make_record, people)
    with at(date(2026, 12, 24)):
        order = move(order, State.APPEALING, office=people["office"], handler=people["handler"])
    with at(date(2026, 12, 28)):  # Thursday 24 to Monday 28: 2 working days paused
        order = act(order, "uphold", people["office"])
    assert (order.due, order.appeals.get().days_returned) == (date(2027, 1, 8), 2)
    WorkCalendar.objects.create(date=NEW_YEAR_2027, kind=WorkCalendar.Kind.HOLIDAY, name="元旦")
    with at(date(2026, 12, 30)):
        assert recompute_due_dates({2027}) == 1
    order.refresh_from_db()
    assert order.due == date(2027, 1, 11)  # 7 January + 2 working days
    assert deadline_notes(order)[-1] == "时限因工作日历调整由 2027-01-08 改为 2027-01-11。"


def test_a_holiday_deleted_in_the_admin_moves_the_date_back(
    client, make_record, people, eager_celery, django_capture_on_commit_callbacks
):
    """The admin's add and delete both reach the recompute (after the commit of the request)."""
    order = dispatched_on(date(2026, 12, 23), make_record, people)
    with at(date(2026, 12, 30)), django_capture_on_commit_callbacks(execute=True):
        client.force_login(people["sysadmin"])  # sessions expire: signed in at the travelled time
        response = client.post(
            "/admin/evaluations/workcalendar/add/", {"date": "2027-01-01", "kind": "holiday", "name": "元旦"}
        )
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.due == date(2027, 1, 7)
    row = WorkCalendar.objects.get(date=NEW_YEAR_2027)
    with at(date(2026, 12, 30), hour=11), django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/admin/evaluations/workcalendar/{row.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.due == date(2027, 1, 6)
    assert deadline_notes(order) == [
        "时限因工作日历调整由 2027-01-06 改为 2027-01-07。",
        "时限因工作日历调整由 2027-01-07 改为 2027-01-06。",
    ]


def test_workdays_sync_recomputes_and_rewrites_only_what_differs(
    make_record, people, eager_celery, django_capture_on_commit_callbacks, capsys
):
    """``manage.py workdays sync`` restoring the National Day 2026 holidays moves an order counted
    without them; a second sync writes nothing (no year announced, no event)."""
    october = WorkCalendar.objects.filter(date__range=(date(2026, 10, 1), date(2026, 10, 10)))
    removed = october.count()
    with django_capture_on_commit_callbacks(execute=True):
        october.delete()  # as if the table had been entered wrongly (no order yet to recount)
    order = dispatched_on(date(2026, 9, 29), make_record, people)
    with at(date(2026, 9, 30)), django_capture_on_commit_callbacks(execute=True):
        call_command("workdays", "sync", "--from-year", "2026", "--to-year", "2026")
    assert f"{removed} new, 0 changed" in capsys.readouterr().out
    order.refresh_from_db()
    expected = due_dates(order, date(2026, 9, 29))[1]
    assert order.due == expected == add_working_days(date(2026, 9, 29), 10)
    assert expected > date(2026, 10, 13)  # the holiday week is no longer counted as working
    with at(date(2026, 9, 30)), django_capture_on_commit_callbacks(execute=True) as callbacks:
        call_command("workdays", "sync", "--from-year", "2026", "--to-year", "2026")
    assert callbacks == [] and "0 new, 0 changed" in capsys.readouterr().out
    assert len(deadline_notes(order)) == 1


# --- the warning at dispatch --------------------------------------------------------------------


def test_dispatching_into_a_year_without_a_calendar_warns_the_office(client, make_record, people):
    """The office sees, after dispatching, that the limit is provisional; within a known year it does not."""
    with at(date(2026, 12, 23)):
        client.force_login(people["office"])
        order = bad_order(make_record())
        data = {"dispatch-seen_state": "created", "dispatch-category": "general"}
        response = client.post(f"/orders/{order.number}/act/dispatch/", data, follow=True)
    assert response.status_code == 200
    assert (
        "整改时限 2027-01-06 所在的 2027 年尚未录入工作日历，暂按周一至周五计算；录入后将自动重算。"
        in response.text
    )
    assert "已派发" in response.text
    earlier = dispatched_on(date(2026, 12, 1), make_record, people)
    assert earlier.due is not None and earlier.due.year == 2026
    assert calendar_gap_warning(earlier) is None


# --- an extension ends on a working day ---------------------------------------------------------


@pytest.fixture
def handling(make_record, people) -> WorkOrder:
    """Dispatched Friday 20 November 2026 and accepted: due Friday 4 December (Ganzhou art. 17)."""
    order = dispatched_on(date(2026, 11, 20), make_record, people)
    with at(date(2026, 11, 23)):
        order = move(order, State.HANDLING, office=people["office"], handler=people["handler"])
    assert order.due == date(2026, 12, 4)
    return order


def test_the_service_refuses_an_extension_to_a_sunday(handling, people):
    """Ganzhou art. 17: the new 整改时限 is a limit in working days; Sunday 6 December is none."""
    with at(date(2026, 11, 30)), pytest.raises(WorkOrderBlocked) as refused:
        extension_request(handling, by=people["handler"], reason="需协调", new_due=date(2026, 12, 6))
    assert refused.value.message == "申请延至的日期 2026-12-06 不是工作日，请选择工作日。"
    assert not handling.extensions.exists()
    with at(date(2026, 11, 30)):  # the Monday after is fine
        extension_request(handling, by=people["handler"], reason="需协调", new_due=date(2026, 12, 7))


def test_the_form_says_so_next_to_the_date(client, handling, people):
    """On the page: 422 and the refusal beside the date field, nothing asked."""
    data = {
        "extension-seen_state": "handling",
        "extension-new_due": "2026-12-06",
        "extension-reason": "需协调",
    }
    with at(date(2026, 11, 30)):
        client.force_login(people["handler"])
        response = client.post(
            f"/orders/{handling.number}/act/extension/", data, headers={"HX-Request": "true"}
        )
    assert response.status_code == 422
    message = "申请延至的日期 2026-12-06 不是工作日，请选择工作日。"
    assert response.context["block"].form.errors["new_due"] == [message]
    assert message in response.text and 'id="action-extension"' in response.text
    assert not handling.extensions.exists()
