"""申诉复核: the department appeals within the policy's working days; the office upholds the review
(the paused working days are given back) or voids it (the rating is marked by the policy's outcome)."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from evaluations.models import Evaluation, Preset, Validity
from evaluations.workdays import add_working_days, is_working_day
from workorders.models import Appeal, Decision, State, WorkOrder, WorkOrderEvent
from workorders.services.appeals import workorder_appeal, workorder_uphold, workorder_void
from workorders.services.base import WorkOrderBlocked

from .workorder_fixtures import move, use_preset

pytestmark = [pytest.mark.django_db, pytest.mark.calendar]

Kind = WorkOrderEvent.Kind
REASON = "评价人当场表示误按按键，窗口录像可证明"


def working_days_ago(days: int) -> datetime:
    """10:00 Beijing time on the ``days``-th working day before today."""
    day = add_working_days(timezone.localdate(), -days)
    return timezone.make_aware(datetime.combine(day, time(10)))


def blocked(call, *args, **kwargs) -> str:
    with pytest.raises(WorkOrderBlocked) as caught:
        call(*args, **kwargs)
    return caught.value.message


@pytest.fixture
def handling(new_order, people) -> WorkOrder:
    return move(new_order, State.HANDLING, office=people["office"], handler=people["handler"])


@pytest.fixture
def appealing(handling, people) -> WorkOrder:
    workorder_appeal(handling, by=people["handler"], reason=REASON, evidence="录像编号 2025-118")
    handling.refresh_from_db()
    return handling


# --- filing -------------------------------------------------------------------------------------


def test_the_department_appeals_within_the_window_and_the_clock_pauses(appealing, people):
    assert appealing.state == State.APPEALING
    assert appealing.paused_at is not None
    appeal = Appeal.objects.get(order=appealing)
    assert (appeal.filed_by, appeal.reason, appeal.evidence, appeal.status) == (
        people["handler"],
        REASON,
        "录像编号 2025-118",
        Decision.PENDING,
    )
    event = appealing.events.latest("pk")
    assert (event.action, event.to_state, event.note) == ("appeal", State.APPEALING, REASON)


def test_an_appeal_needs_a_reason(handling, people):
    assert "申诉理由" in blocked(workorder_appeal, handling, by=people["handler"], reason="  ")
    handling.refresh_from_db()
    assert handling.state == State.HANDLING
    assert not handling.appeals.exists()


@pytest.mark.parametrize(
    ("preset", "days_ago", "allowed", "days"),
    [
        (Preset.TIANJIN, 1, True, 1),  # Tianjin art. 21: within 1 working day
        (Preset.TIANJIN, 2, False, 1),
        (Preset.GANZHOU, 3, True, 3),  # Ganzhou art. 19: within 3 working days
        (Preset.GANZHOU, 4, False, 3),
        (Preset.NATIONAL, 4, False, 3),
    ],
)
def test_the_appeal_window_is_counted_in_working_days_from_dispatch(
    handling, people, regions, preset, days_ago, allowed, days
):
    use_preset(regions["city"], preset)
    WorkOrder.objects.filter(pk=handling.pk).update(dispatched_at=working_days_ago(days_ago))
    if allowed:
        workorder_appeal(handling, by=people["handler"], reason=REASON)
        handling.refresh_from_db()
        assert handling.state == State.APPEALING
        return
    events = handling.events.count()
    message = blocked(workorder_appeal, handling, by=people["handler"], reason=REASON)
    dispatched = timezone.localtime(working_days_ago(days_ago)).date()
    last_day = add_working_days(dispatched, days)
    assert message == f"申诉期限已过（派发后 {days} 个工作日内，截至 {last_day}）。"
    handling.refresh_from_db()
    assert (handling.state, handling.paused_at, handling.events.count()) == (State.HANDLING, None, events)
    assert not handling.appeals.exists()


# --- upholding ----------------------------------------------------------------------------------


def test_upholding_returns_to_handling_and_gives_back_the_paused_working_days(appealing, people):
    paused_at = working_days_ago(2)
    WorkOrder.objects.filter(pk=appealing.pk).update(paused_at=paused_at)
    paused_day, today = timezone.localtime(paused_at).date(), timezone.localdate()
    paused_days = sum(
        is_working_day(paused_day + timedelta(days=n)) for n in range(1, (today - paused_day).days + 1)
    )
    assert paused_days >= 1
    old_due = appealing.due
    workorder_uphold(appealing, by=people["office"], note="经电话核实，差评属实")
    appealing.refresh_from_db()
    assert (appealing.state, appealing.paused_at) == (State.HANDLING, None)
    assert appealing.due == add_working_days(old_due, paused_days)
    deadline = appealing.events.get(kind=Kind.DEADLINE)
    assert f"暂停计时 {paused_days} 个工作日" in deadline.note and str(appealing.due) in deadline.note
    appeal = appealing.appeals.get()
    assert (appeal.status, appeal.decided_by, appeal.days_returned) == (
        Decision.REJECTED,
        people["office"],
        paused_days,
    )
    assert appeal.decision_note == "经电话核实，差评属实"


def test_an_appeal_decided_the_same_day_moves_nothing(appealing, people):
    old_due = appealing.due
    workorder_uphold(appealing, by=people["office"], note="差评属实")
    appealing.refresh_from_db()
    assert (appealing.state, appealing.due) == (State.HANDLING, old_due)
    assert not appealing.events.filter(kind=Kind.DEADLINE).exists()
    assert appealing.appeals.get().days_returned == 0


@pytest.mark.parametrize("call", [workorder_uphold, workorder_void])
def test_a_decision_on_an_appeal_needs_the_office_note(appealing, people, call):
    assert "复核意见" in blocked(call, appealing, by=people["office"], note="")
    appealing.refresh_from_db()
    assert appealing.state == State.APPEALING
    assert appealing.appeals.get().status == Decision.PENDING


# --- voiding ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("preset", "outcome", "badge"),
    [
        (None, Validity.NOT_ADOPTED, "申诉成立（不予采纳）"),  # no policy of its own: the national rule
        (Preset.TIANJIN, Validity.UNEVALUATED, "申诉成立（归为“未评”）"),  # Tianjin art. 21: recorded as 未评
        (Preset.GANZHOU, Validity.NOT_ADOPTED, "申诉成立（不予采纳）"),  # Ganzhou art. 19: 不予采纳
        (Preset.QINGDAO, Validity.UNTRUE, "申诉成立（不属实）"),  # Qingdao art. 14: marked 不属实
    ],
)
def test_voiding_marks_the_rating_by_policy_and_leaves_what_was_rated(
    client, handling, people, regions, preset, outcome, badge
):
    if preset:
        use_preset(regions["city"], preset)
    before = Evaluation.objects.get(pk=handling.evaluation_id)
    workorder_appeal(handling, by=people["handler"], reason=REASON)
    workorder_void(WorkOrder.objects.get(pk=handling.pk), by=people["office"], note="调取录像核实，属误评")
    handling.refresh_from_db()
    assert (handling.state, handling.paused_at) == (State.VOIDED, None)
    assert handling.closed_at is not None and not handling.is_open
    evaluation = Evaluation.objects.get(pk=handling.evaluation_id)
    assert (evaluation.validity, evaluation.validity_reason) == (outcome, "调取录像核实，属误评")
    assert evaluation.validity_changed_at is not None
    assert (evaluation.grade, evaluation.comment, evaluation.tags, evaluation.rated_at) == (
        before.grade,
        before.comment,
        before.tags,
        before.rated_at,
    )
    appeal = handling.appeals.get()
    assert (appeal.status, appeal.decided_by, appeal.decision_note) == (
        Decision.APPROVED,
        people["office"],
        "调取录像核实，属误评",
    )
    # The status badge names the region's outcome, on the order's page and in the inbox.
    client.force_login(people["office"])
    for url in (f"/orders/{handling.number}/", "/orders/?tab=all"):
        html = client.get(url).text
        assert f'<span class="wo-state wo-state-voided">{badge}</span>' in html, url


def test_a_voided_order_takes_no_further_step(appealing, people):
    workorder_void(appealing, by=people["office"], note="属恶意评价")
    appealing.refresh_from_db()
    events = appealing.events.count()
    message = blocked(workorder_appeal, appealing, by=people["handler"], reason=REASON)
    assert message == "工单当前状态为“申诉成立”，不能申诉。"
    appealing.refresh_from_db()
    assert (appealing.state, appealing.events.count()) == (State.VOIDED, events)


def test_an_order_is_appealed_once(appealing, people):
    handling = workorder_uphold(appealing, by=people["office"], note="差评属实")
    with pytest.raises(WorkOrderBlocked, match="已申诉过一次"):
        workorder_appeal(handling, by=people["handler"], reason="再申诉一次")
    assert WorkOrder.objects.get(pk=appealing.pk).state == State.HANDLING
