"""Issue 14 point 5 and DESIGN §9 (masked in every list, full value only to whoever must call back,
each reveal logged): numbers typed into comments, replies and notes are masked on the staff pages and
in the admin; the handler and the office may see them as written, logged; the auditor never."""

import pytest
from django.urls import reverse

from workorders.models import State, WorkOrderEvent
from workorders.services.lifecycle import workorder_submit

from .workorder_fixtures import move

pytestmark = pytest.mark.django_db

COMMENT = "请回电 138 0000 1111，我的身份证 360702199001011234"
REPLY = "已整改，请拨打＋８６ １３９ １２３４ ５６７８ 联系窗口"


@pytest.fixture
def order(make_record, people):
    from .workorder_fixtures import bad_order

    opened = bad_order(make_record(), comment=COMMENT)
    handling = move(opened, State.HANDLING, office=people["office"], handler=people["handler"])
    return workorder_submit(handling, by=people["handler"], rectification="约谈窗口人员", reply=REPLY)


def _detail(client, user, order) -> str:
    client.force_login(user)
    return client.get(reverse("workorders:detail", args=[order.number])).content.decode()


def reveals(order) -> int:
    return WorkOrderEvent.objects.filter(order=order, kind=WorkOrderEvent.Kind.REVEAL, action="text").count()


@pytest.mark.parametrize("who", ["handler", "office", "auditor"])
def test_issue14_the_detail_page_shows_typed_numbers_masked(client, order, people, who):
    html = _detail(client, people[who], order)
    assert "138****1111" in html and "360702********1234" in html and "+86 139****5678" in html
    assert "138 0000 1111" not in html and "360702199001011234" not in html and "１２３４" not in html


def test_issue14_the_inbox_shows_the_comment_masked(client, order, people):
    client.force_login(people["office"])
    html = client.get(reverse("workorders:inbox"), {"tab": "all"}).content.decode()
    assert order.number in html
    assert "138 0000 1111" not in html and "138****1111" in html


@pytest.mark.parametrize("who", ["handler", "office"])
def test_issue14_who_must_call_back_sees_the_texts_as_written_and_the_look_is_logged(
    client, order, people, who
):
    html = _detail(client, people[who], order)
    assert "显示完整文字" in html and reveals(order) == 0
    response = client.post(reverse("workorders:reveal_text", args=[order.number]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "138 0000 1111" in html and "360702199001011234" in html
    assert reveals(order) == 1
    event = WorkOrderEvent.objects.get(order=order, kind=WorkOrderEvent.Kind.REVEAL, action="text")
    assert event.actor == people[who]
    assert "查看完整文字" in _detail(client, people[who], order)  # on the timeline, masked again after


def test_issue14_the_auditor_cannot_reveal_the_texts(client, order, people):
    html = _detail(client, people["auditor"], order)
    assert "显示完整文字" not in html
    response = client.post(reverse("workorders:reveal_text", args=[order.number]))
    html = response.content.decode()
    assert response.status_code == 403
    assert "您无权查看未遮盖的文字内容。" in html
    assert "138 0000 1111" not in html and "360702199001011234" not in html
    assert reveals(order) == 0


def test_issue14_outside_the_scope_there_is_nothing_to_reveal(client, order, people):
    client.force_login(people["outside_office"])
    assert client.post(reverse("workorders:reveal_text", args=[order.number])).status_code == 404
    assert reveals(order) == 0


def test_issue14_the_admin_shows_free_text_masked(client, order, people):
    client.force_login(people["sysadmin"])
    pages = [
        reverse("admin:workorders_workorder_change", args=[order.pk]),
        reverse("admin:evaluations_evaluation_change", args=[order.evaluation_id]),
    ]
    for url in pages:
        response = client.get(url)
        html = response.content.decode()
        assert response.status_code == 200
        assert "138 0000 1111" not in html and "360702199001011234" not in html and "１２３４" not in html
    assert "138****1111" in client.get(pages[1]).content.decode()
    assert "+86 139****5678" in client.get(pages[0]).content.decode()
