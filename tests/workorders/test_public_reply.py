"""Issue 14 point 5: the public pages publish a reply only as the office's public version: prefilled
with the reply, numbers masked, names flagged to be removed or confirmed; a new reply needs a new one."""

import pytest
from django.urls import reverse

from workorders.models import State, WorkOrder, WorkOrderEvent
from workorders.services.base import WorkOrderBlocked
from workorders.services.lifecycle import workorder_reject, workorder_submit
from workorders.services.public_reply import workorder_publish_reply

from .workorder_fixtures import RECTIFICATION, move

pytestmark = pytest.mark.django_db

NAMED_REPLY = "钱七您好，已由高小红同志联系您，如有疑问请拨打 138 0000 1111。"


@pytest.fixture
def replied(new_order, people) -> WorkOrder:
    order = move(new_order, State.HANDLING, office=people["office"], handler=people["handler"])
    return workorder_submit(order, by=people["handler"], rectification=RECTIFICATION, reply=NAMED_REPLY)


def test_issue14_the_office_approves_an_edited_public_version(replied, people):
    text = "您好，已联系您并说明整改安排，如有疑问请拨打 138 0000 1111。"
    order = workorder_publish_reply(replied, by=people["office"], text=text, names_confirmed=False)
    order.refresh_from_db()
    assert order.public_reply == "您好，已联系您并说明整改安排，如有疑问请拨打 138****1111。"
    assert order.public_reply_by == people["office"] and order.public_reply_at is not None
    event = order.events.get(action="publish_reply")
    assert event.kind == WorkOrderEvent.Kind.NOTE and event.actor == people["office"]
    assert "138****1111" in event.note and "1380000" not in event.note


def test_issue14_flagged_names_must_be_removed_or_confirmed(replied, people):
    with pytest.raises(WorkOrderBlocked, match="钱七、高小红"):
        workorder_publish_reply(replied, by=people["office"], text=NAMED_REPLY, names_confirmed=False)
    replied.refresh_from_db()
    assert replied.public_reply_at is None and not replied.events.filter(action="publish_reply").exists()
    # Confirmed (the office judged the marks wrong): accepted, with the numbers still masked.
    order = workorder_publish_reply(replied, by=people["office"], text=NAMED_REPLY, names_confirmed=True)
    assert "138****1111" in order.public_reply


@pytest.mark.parametrize("who", ["handler", "auditor", "outside_office", "hotline"])
def test_issue14_only_the_office_in_scope_approves_a_public_version(replied, people, who):
    with pytest.raises(WorkOrderBlocked):
        workorder_publish_reply(replied, by=people[who], text="已整改。", names_confirmed=False)
    replied.refresh_from_db()
    assert replied.public_reply == "" and replied.public_reply_at is None


def test_issue14_no_public_version_before_the_department_replies(new_order, people):
    order = move(new_order, State.HANDLING, office=people["office"], handler=people["handler"])
    with pytest.raises(WorkOrderBlocked, match="提交整改答复后"):
        workorder_publish_reply(order, by=people["office"], text="已整改。", names_confirmed=False)


def test_issue14_a_new_reply_withdraws_the_approved_public_version(replied, people):
    workorder_publish_reply(replied, by=people["office"], text="已整改。", names_confirmed=False)
    order = workorder_reject(WorkOrder.objects.get(pk=replied.pk), by=people["office"], note="答复不具体")
    order = workorder_submit(order, by=people["handler"], rectification=RECTIFICATION, reply="新的答复")
    order.refresh_from_db()
    assert order.public_reply == "" and order.public_reply_at is None and order.public_reply_by is None


def test_issue14_the_form_is_prefilled_masked_with_the_names_marked(client, replied, people):
    client.force_login(people["office"])
    html = client.get(reverse("workorders:detail", args=[replied.number])).content.decode()
    assert 'id="action-publish_reply"' in html
    assert '<mark class="pii-name">钱七</mark>' in html and '<mark class="pii-name">高小红</mark>' in html
    box = html.split('name="publish_reply-public_reply"')[1].split("</textarea>")[0]
    assert "138****1111" in box and "138 0000 1111" not in box
    assert "未审定：好差评专区只显示“答复已送达评价人”。" in html


def test_issue14_the_form_refuses_unconfirmed_names_and_keeps_the_input(client, replied, people):
    client.force_login(people["office"])
    url = reverse("workorders:act", args=[replied.number, "publish_reply"])
    data = {"publish_reply-seen_state": State.REVIEWING, "publish_reply-public_reply": "钱七您好，已整改。"}
    response = client.post(url, data)
    assert response.status_code == 422
    assert "公开答复中仍有疑似姓名：钱七" in response.content.decode()
    data["publish_reply-public_reply"] = "您好，已整改。"
    assert client.post(url, data).status_code == 302
    replied.refresh_from_db()
    assert replied.public_reply == "您好，已整改。" and replied.public_reply_at is not None


def test_issue14_the_handler_is_not_offered_the_public_version(client, replied, people):
    client.force_login(people["handler"])
    html = client.get(reverse("workorders:detail", args=[replied.number])).content.decode()
    assert 'id="action-publish_reply"' not in html
    url = reverse("workorders:act", args=[replied.number, "publish_reply"])
    data = {"publish_reply-seen_state": State.REVIEWING, "publish_reply-public_reply": "已整改。"}
    assert client.post(url, data).status_code == 403
