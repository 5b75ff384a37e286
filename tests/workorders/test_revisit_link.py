"""The revisit by SMS: approval sends the citizen a signed link; their answer closes the order."""

import pytest

from evaluations.models import Role, SmsMessage, User
from evaluations.services.intake import Rating, evaluation_record
from workorders.models import WorkOrder
from workorders.services import lifecycle
from workorders.services.revisit_link import revisit_token

pytestmark = [pytest.mark.django_db, pytest.mark.calendar]


@pytest.fixture
def approved(make_record, owner, colleague, django_capture_on_commit_callbacks) -> WorkOrder:
    rating = Rating(target="matter", stage="completion", grade=1, channel="pc", tags=["M1-02"])
    order = evaluation_record(rating=rating, record=make_record()).evaluation.work_order
    order = lifecycle.workorder_dispatch(order, by=owner)
    order = lifecycle.workorder_accept(order, by=colleague)
    order = lifecycle.workorder_submit(
        order, by=colleague, rectification="补充材料清单", reply="已补充材料清单"
    )
    with django_capture_on_commit_callbacks(execute=True):
        return lifecycle.workorder_approve(order, by=owner)


def test_approval_texts_the_citizen_a_revisit_link(approved):
    message = SmsMessage.objects.get(kind="revisit")
    assert message.phone == "13812345678"
    assert f"/r/revisit/{revisit_token(approved)}/" in message.body


def test_the_citizen_answers_and_the_order_closes(client, approved):
    url = f"/r/revisit/{revisit_token(approved)}/"
    page = client.get(url)
    assert "您对整改结果是否满意？" in page.text and "已补充材料清单" in page.text
    assert client.post(url, {}).status_code == 422  # no answer: asked again, nothing recorded
    response = client.post(url, {"answer": "no", "comment": "窗口还是没有样本"})
    assert response.status_code == 200 and "感谢您的反馈" in response.text
    order = WorkOrder.objects.get(pk=approved.pk)
    assert (order.state, order.revisit_result, order.revisit_channel) == ("closed", "dissatisfied", "sms")
    event = order.events.order_by("-pk").first()
    assert event.actor is None and "窗口还是没有样本" in event.note
    assert "感谢您的反馈" in client.post(url, {"answer": "yes"}).text  # a second answer changes nothing
    assert WorkOrder.objects.get(pk=approved.pk).revisit_result == "dissatisfied"


def test_a_tampered_link_is_not_found(client, approved):
    assert client.get(f"/r/revisit/{revisit_token(approved)}x/").status_code == 404


def test_a_12345_agent_of_the_region_may_record_the_revisit(approved, regions):
    agent = User.objects.create_user(
        username="agent", password="x", role=Role.HOTLINE, region=regions["zhanggong"]
    )
    order = lifecycle.workorder_record_revisit(approved, by=agent, result="satisfied", channel="hotline")
    assert order.state == "closed"
