"""已联系评价人: the contact limit can be kept and seen (Tianjin art. 20: 回访 within 1 working day for
simple and general cases; Ganzhou art. 17: 答复 within 1, complex cases 联系 within 2), and an action a
rule blocks is shown disabled with the reason rather than offered and refused, or hidden."""

from datetime import timedelta

import pytest
from django.utils import timezone

from evaluations.models import Preset
from evaluations.workdays import add_working_days
from workorders.models import ContactWay, State, WorkOrder, WorkOrderEvent
from workorders.services.base import WorkOrderBlocked
from workorders.services.contact import workorder_record_contact
from workorders.services.extensions import extension_request

from .workorder_fixtures import anonymous_order, move, use_preset

pytestmark = [pytest.mark.django_db, pytest.mark.calendar]


def handling(order, people) -> WorkOrder:
    return move(order, State.HANDLING, office=people["office"], handler=people["handler"])


def post_contact(client, order, **fields):
    data = {"contact-seen_state": order.state, "contact-way": "phone", "contact-note": "", **fields}
    return client.post(f"/orders/{order.number}/act/contact/", data)


def local_minute(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_the_handler_records_the_contact_on_the_page_and_the_limit_shows_kept(client, new_order, people):
    """Ganzhou art. 17: the reply is due within 1 working day of dispatch; recording it keeps the limit."""
    order = handling(new_order, people)
    assert order.contact_due == add_working_days(timezone.localdate(), 1)
    WorkOrder.objects.filter(pk=order.pk).update(dispatched_at=timezone.now() - timedelta(hours=1))
    client.force_login(people["handler"])
    page = client.get(f"/orders/{order.number}/").text
    assert "联系剩余 1 个工作日" in page and 'id="action-contact"' in page
    at = timezone.now() - timedelta(minutes=5)
    response = post_contact(
        client, order, **{"contact-contacted_at": local_minute(at), "contact-note": "已致歉"}
    )
    assert response.status_code == 302
    order = WorkOrder.objects.get(pk=order.pk)
    assert (order.contact_way, order.contact_note, order.contacted_on_time) == (
        ContactWay.PHONE,
        "已致歉",
        True,
    )
    assert order.state == State.HANDLING  # a milestone, not a state
    event = order.events.get(kind=WorkOrderEvent.Kind.CONTACT)
    assert (event.actor, event.note) == (
        people["handler"],
        f"{local_minute(at).replace('T', ' ')} 通过电话联系评价人。已致歉",
    )
    page = client.get(f"/orders/{order.number}/").text
    assert "已按时联系" in page and 'id="action-contact"' not in page  # recorded once; not offered again


def test_a_contact_after_the_limit_is_recorded_as_late(client, new_order, people):
    order = handling(new_order, people)
    WorkOrder.objects.filter(pk=order.pk).update(contact_due=timezone.localdate() - timedelta(days=3))
    order = workorder_record_contact(order, by=people["handler"], at=timezone.now(), way=ContactWay.VISIT)
    assert order.contacted_on_time is False
    assert "（超过联系时限" in order.events.get(kind=WorkOrderEvent.Kind.CONTACT).note
    client.force_login(people["office"])
    assert "超时联系" in client.get(f"/orders/{order.number}/").text


def test_an_uncontacted_order_past_its_limit_says_so(client, new_order, people):
    order = handling(new_order, people)
    WorkOrder.objects.filter(pk=order.pk).update(contact_due=add_working_days(timezone.localdate(), -2))
    client.force_login(people["office"])
    assert "联系已超时 2 个工作日" in client.get(f"/orders/{order.number}/").text
    assert "联系已超时 2 个工作日" in client.get("/orders/?tab=all").text


def test_bad_contact_input_is_refused_next_to_the_field_and_nothing_is_written(client, new_order, people):
    order = handling(new_order, people)
    client.force_login(people["handler"])
    future = timezone.now() + timedelta(hours=2)
    response = post_contact(client, order, **{"contact-contacted_at": local_minute(future)})
    assert response.status_code == 422 and "联系时间不能晚于现在。" in response.text
    response = post_contact(
        client, order, **{"contact-contacted_at": local_minute(timezone.now()), "contact-way": "reply"}
    )
    assert response.status_code == 422  # the reply SMS is recorded by the system, never chosen
    before = timezone.localtime(order.dispatched_at) - timedelta(days=1)
    response = post_contact(client, order, **{"contact-contacted_at": local_minute(before)})
    assert response.status_code == 422 and "联系时间不能早于派发时间。" in response.text
    assert WorkOrder.objects.get(pk=order.pk).contacted_at is None
    assert not order.events.filter(kind=WorkOrderEvent.Kind.CONTACT).exists()


def test_only_the_handling_department_records_a_contact_once(new_order, people):
    order = handling(new_order, people)
    for outsider in (people["other_handler"], people["hotline"]):
        with pytest.raises(WorkOrderBlocked, match="无权"):
            workorder_record_contact(order, by=outsider, at=timezone.now(), way=ContactWay.PHONE)
    workorder_record_contact(order, by=people["handler"], at=timezone.now(), way=ContactWay.PHONE)
    with pytest.raises(WorkOrderBlocked, match="已登记过联系评价人"):
        workorder_record_contact(order, by=people["handler"], at=timezone.now(), way=ContactWay.SMS)


def test_the_reply_sent_on_submit_is_the_contact_when_none_was_recorded(new_order, people):
    """Tianjin art. 20: the department answers the citizen; the reply SMS on submit reaches them."""
    order = move(new_order, State.REVIEWING, office=people["office"], handler=people["handler"])
    assert (order.contact_way, order.contacted_at) == (ContactWay.REPLY, order.submitted_at)
    assert order.events.filter(kind=WorkOrderEvent.Kind.CONTACT, note__contains="通过整改答复短信").exists()


def test_a_review_without_a_phone_has_no_contact_limit(org, people):
    order = anonymous_order(org["zhanggong"]["window"])
    order = move(order, State.HANDLING, office=people["office"], handler=people["handler"])
    assert (order.contact_due, order.due is not None) == (None, True)


# --- actions a rule blocks are shown with the reason -------------------------------------------------


def blocks(client, order) -> dict[str, str]:
    response = client.get(f"/orders/{order.number}/")
    return {b.action.name: b.reason for b in response.context["blocks"]}


def test_an_appeal_past_its_window_is_shown_disabled_with_the_days(client, new_order, people, regions):
    """Tianjin art. 21: a department appeals within 1 working day of dispatch; after that the page says so."""
    use_preset(regions["city"], Preset.TIANJIN)
    order = handling(new_order, people)
    client.force_login(people["handler"])
    assert blocks(client, order)["appeal"] == ""  # within the window: offered
    dispatched = add_working_days(timezone.localdate(), -2)
    moment = timezone.make_aware(
        timezone.datetime.combine(dispatched, timezone.datetime.min.time().replace(hour=10))
    )
    WorkOrder.objects.filter(pk=order.pk).update(dispatched_at=moment)
    reason = blocks(client, order)["appeal"]
    assert reason == f"申诉期限已过（派发后 1 个工作日内，截至 {add_working_days(dispatched, 1)}）。"
    html = client.get(f"/orders/{order.number}/").text
    assert 'class="wo-action wo-action-off" id="action-appeal"' in html and reason in html
    assert f"/orders/{order.number}/act/appeal/" not in html  # no form to be refused


def test_extensions_say_why_they_cannot_be_asked(client, new_order, people, regions):
    """Tianjin art. 20 allows no extension; Ganzhou art. 17 at most two; one pending at a time."""
    use_preset(regions["city"], Preset.TIANJIN)
    order = handling(new_order, people)
    client.force_login(people["handler"])
    assert blocks(client, order)["extension"] == "本地区的规则不允许延期，请在整改时限内办结。"
    use_preset(regions["zhanggong"], Preset.GANZHOU)
    assert blocks(client, order)["extension"] == ""
    new_due = add_working_days(order.due, 2)
    extension_request(order, by=people["handler"], reason="需外单位配合", new_due=new_due)
    assert blocks(client, order)["extension"] == f"该工单已有一项待审核的延期申请（申请延至 {new_due}）。"
    WorkOrder.objects.filter(pk=order.pk).update(extensions_used=2)
    order.extensions.update(status="rejected")
    assert blocks(client, order)["extension"] == "该工单已延期 2 次，已达上限（最多 2 次）。"
