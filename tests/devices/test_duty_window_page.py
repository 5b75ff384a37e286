"""签到 / 签退 on the window clerk's page (issue 12, point 1), and the evaluator screen's page.

Tianjin art. 10(1): the evaluator shows the clerk who serves; the clerk says who that is by signing in
on their page (their own Staff record, linked to their login) or on the evaluator by staff number.
"""

import pytest

from evaluations.models import Role, Shift, Staff, User, Window
from evaluations.services.duty import on_duty_at, shift_start

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("ten_in_the_morning")]


@pytest.fixture
def clerk(org) -> User:
    """The clerk posted at the 章贡区 window, with a login of their own (Staff.user)."""
    user = User.objects.create_user(
        "clerk", password="pw", role=Role.WINDOW_STAFF, department=org["zhanggong"]["department"]
    )
    Staff.objects.filter(pk=org["zhanggong"]["staff"].pk).update(user=user)
    return user


@pytest.fixture
def manager(regions, org) -> User:
    return User.objects.create_user(
        "hall_zg", password="pw", role=Role.HALL_MANAGER, region=regions["zhanggong"]
    )


def page_url(window: Window) -> str:
    return f"/devices/window/{window.code}/"


def duty(client, window: Window, **data):
    return client.post(f"/devices/window/{window.code}/duty/", data, follow=True)


def test_tianjin_art10_1_the_clerk_signs_in_and_out_on_his_page(client, org, clerk):
    side = org["zhanggong"]
    client.force_login(clerk)
    page = client.get(page_url(side["window"])).text
    assert "现在没有工作人员在本窗口签到" in page and "章贡区张三 签到上岗" in page
    response = duty(client, side["window"], action="sign_in")
    assert "已在 综合受理窗口 签到" in response.text
    assert on_duty_at(side["window"]) == [side["staff"]]
    assert Shift.objects.get().started_by == clerk
    assert "签到上岗" not in response.text and "签退" in response.text
    response = duty(client, side["window"], action="sign_out")
    assert "已从 综合受理窗口 签退" in response.text
    shift = Shift.objects.get()
    assert shift.ended_at is not None and shift.ended_by == clerk


def test_a_clerk_signs_only_himself_in_and_out(client, org, clerk):
    side = org["zhanggong"]
    colleague = Staff.objects.create(
        name="李四", staff_no="S-zg-li", department=side["department"], window=side["window"]
    )
    shift_start(staff=colleague, window=side["window"])
    client.force_login(clerk)
    # A clerk's "staff" is ignored: signing out means himself, who is not signed in.
    response = duty(client, side["window"], action="sign_out", staff=colleague.pk)
    assert "没有在本窗口签到" in response.text
    assert on_duty_at(side["window"]) == [colleague]


def test_a_manager_signs_out_someone_who_left_without_signing_out(client, org, manager):
    side = org["zhanggong"]
    shift_start(staff=side["staff"], window=side["window"])
    client.force_login(manager)
    page = client.get(page_url(side["window"])).text
    assert "章贡区张三" in page and "签到上岗" not in page  # a manager has no shift of his own
    response = duty(client, side["window"], action="sign_out", staff=side["staff"].pk)
    assert "已从 综合受理窗口 签退" in response.text
    assert Shift.objects.get().ended_by == manager


def test_a_clerk_signed_in_at_another_window_may_open_its_page_and_only_then(client, org, clerk):
    side = org["zhanggong"]
    other = Window.objects.create(hall=side["hall"], code="W-zg-2", name="帮办代办窗口")
    other.departments.add(side["department"])
    client.force_login(clerk)
    assert client.get(page_url(other)).status_code == 404
    shift_start(staff=side["staff"], window=other)
    assert client.get(page_url(other)).status_code == 200
    home = client.get(page_url(side["window"])).text
    assert "您现在在“帮办代办窗口”签到" in home


def test_an_outsider_cannot_sign_anyone_in_at_the_window(client, org, regions):
    side = org["zhanggong"]
    stranger = User.objects.create_user(
        "hall_nk", password="pw", role=Role.HALL_MANAGER, region=regions["nankang"]
    )
    client.force_login(stranger)
    assert (
        client.post(f"/devices/window/{side['window'].code}/duty/", {"action": "sign_in"}).status_code == 404
    )
    assert not Shift.objects.exists()


def test_a_bad_action_is_a_message_not_a_shift(client, org, clerk):
    client.force_login(clerk)
    response = duty(client, org["zhanggong"]["window"], action="dance")
    assert response.status_code == 200 and not Shift.objects.exists()


def test_the_evaluator_screen_carries_no_data_but_the_tags(client, org):
    response = client.get("/devices/evaluator/")
    assert response.status_code == 200
    html = response.text
    assert 'data-api="/api/devices/v1"' in html and "evaluator.js" in html
    assert '"code": "S2-01"' in html  # the tags, for a bad rating's reasons
    assert org["zhanggong"]["staff"].name not in html
