"""A bad review the office rules 刷评 or 恶意评价 on its flag review takes its work order with it.

The clauses: 51号 五(二) "建立申诉复核机制，排除误评和恶意差评" and 四(一) "核实为误评或恶意差评的，
评价结果不予采纳". Before this, the ruling took the rating out of every figure but left its order
open: the department was still chased (deadlines, overdue flags, the citizen's call-back) to rectify
a review found to be fake.
"""

from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from evaluations.models import FlagDecision, Validity
from evaluations.services.flags import flag_review_decide
from reporting.models import UpstreamMessage
from reporting.public.selectors import department_bad_reviews
from workorders.models import OPEN_STATES, Appeal, Decision, State, WorkOrder
from workorders.services.appeals import workorder_appeal

from .workorder_fixtures import bad_order, move

pytestmark = pytest.mark.django_db

BURST = "同一地址 2 分钟内评价超过 3 次"
REASON = "同一设备 2 分钟内连续提交 5 条差评，与办件记录不符"


def flagged_order(make_record) -> WorkOrder:
    """A bad rating held for review as a burst from one address, and the order it opened."""
    return bad_order(make_record(), flag_reason=BURST)


def flagged_order_in(state: str, make_record, people) -> WorkOrder:
    return move(flagged_order(make_record), state, office=people["office"], handler=people["handler"])


def rule(order: WorkOrder, by, decision: str = FlagDecision.RULED) -> WorkOrder:
    assert order.evaluation is not None
    flag_review_decide(evaluation=order.evaluation, decision=decision, reason=REASON, by=by)
    return WorkOrder.objects.select_related("evaluation").get(pk=order.pk)


@pytest.mark.parametrize("state", [State.CREATED, State.DISPATCHED, State.HANDLING, State.REVIEWING])
def test_51hao_a_review_ruled_malicious_withdraws_its_open_order_from_where_it_stands(
    make_record, people, state
):
    order = flagged_order_in(state, make_record, people)
    withdrawn = rule(order, people["office"])
    assert withdrawn.state == State.VOIDED and withdrawn.state not in OPEN_STATES
    assert withdrawn.evaluation.validity == Validity.RULED
    assert withdrawn.closed_at is not None and withdrawn.paused_at is None
    assert withdrawn.state_label == "已撤销（认定刷评或恶意评价）"  # not 申诉成立: nobody appealed
    event = withdrawn.events.latest("pk")
    assert (event.action, event.actor, event.from_state, event.to_state) == (
        "withdraw", people["office"], state, State.VOIDED
    )  # fmt: skip
    assert REASON in event.note


def test_a_pending_appeal_against_the_same_review_is_granted_by_the_ruling(make_record, people):
    order = flagged_order_in(State.HANDLING, make_record, people)
    workorder_appeal(order, by=people["handler"], reason="评价人并未办理本事项")
    withdrawn = rule(WorkOrder.objects.get(pk=order.pk), people["office"])
    assert withdrawn.state == State.VOIDED
    appeal = Appeal.objects.get(order=withdrawn)
    assert (appeal.status, appeal.decided_by) == (Decision.APPROVED, people["office"])
    assert REASON in appeal.decision_note


def test_a_review_confirmed_as_valid_keeps_its_order_where_it_was(make_record, people):
    order = flagged_order_in(State.HANDLING, make_record, people)
    kept = rule(order, people["office"], decision=FlagDecision.CONFIRMED)
    assert kept.state == State.HANDLING
    assert kept.events.latest("pk").action == "accept"


def test_a_closed_order_stays_closed_when_its_review_is_ruled_afterwards(make_record, people):
    order = flagged_order_in(State.CLOSED, make_record, people)
    ruled = rule(order, people["office"])
    assert ruled.state == State.CLOSED
    assert ruled.evaluation.validity == Validity.RULED  # the figures drop it all the same


def test_the_platform_is_told_the_review_was_set_aside_as_not_adopted(make_record, people, settings):
    """The upstream milestone of a void: orderStatus 4, invalidType 1 (不予采纳, 51号 四(一)) whatever the
    region's appeal outcome, with the reviewer's reason."""
    order = flagged_order_in(State.HANDLING, make_record, people)
    withdrawn = rule(order, people["office"])
    message = UpstreamMessage.objects.get(kind=UpstreamMessage.Kind.VOIDED, order=withdrawn)
    payload = message.payload
    stated = (payload["workOrderNo"], payload["orderStatus"], payload["invalidType"])
    assert stated == (withdrawn.number, "4", "1")
    assert REASON in payload["invalidReason"]


def test_through_the_review_page_the_order_leaves_the_inbox_and_its_page_says_why(
    client, make_record, people
):
    order = flagged_order_in(State.HANDLING, make_record, people)
    client.force_login(people["office"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the reviewer reads the pages in English
    prefix = f"flag-{order.evaluation_id}"
    response = client.post(
        reverse("reviews:flag_decide", args=[order.evaluation_id]),
        {f"{prefix}-decision": FlagDecision.RULED, f"{prefix}-reason": REASON},
    )
    assert response.status_code == 302
    queue = client.get(response["Location"]).content.decode()
    assert f"work order {order.number} it opened has been withdrawn" in queue  # what the ruling ended
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    # The timeline's note is a record, kept in the system's language whatever the reviewer's pages.
    assert order.events.latest("pk").note.startswith("评价经核查认定为刷评或恶意评价，工单撤销：")
    client.force_login(people["handler"])
    inbox = client.get(reverse("workorders:inbox")).content.decode()
    assert order.number not in inbox
    page = client.get(reverse("workorders:detail", args=[order.number])).content.decode()
    assert "已撤销（认定刷评或恶意评价）" in page
    assert "认定刷评撤销" in page and REASON in page
    assert "→ 已撤销" in page  # the timeline's step, not the state's 申诉成立: nobody appealed


def test_a_ruled_review_is_not_published_as_a_citizens_bad_review(make_record, people):
    order = flagged_order_in(State.HANDLING, make_record, people)
    rule(order, people["office"])
    today = timezone.localdate()
    listed = department_bad_reviews(order.department, today - timedelta(days=3), today + timedelta(days=1))
    assert order.pk not in {row.pk for row in listed}
