"""Issue 14, point 7: logins cannot be guessed. Through the real login form, 5 wrong passwords for a
username from one address lock it (django-axes, settings AXES_*): the right password is then refused
with the Chinese lockout page (429), until an administrator unlocks it in the admin (登录保护)."""

import pytest
from axes.models import AccessAttempt
from django.test import Client

from evaluations.models import Role, User

pytestmark = pytest.mark.django_db

PASSWORD = "pw-for-tests-1"
LOGIN = "/accounts/login/"


@pytest.fixture
def clerk(db) -> User:
    return User.objects.create_user(username="clerk", password=PASSWORD, name="王芳", role=Role.HOTLINE)


def attempt(client: Client, password: str, **headers):
    return client.post(LOGIN, {"username": "clerk", "password": password}, headers=headers)


def fail_five_times(client: Client, **headers) -> None:
    for number in range(5):
        response = attempt(client, f"guess-{number}", **headers)
        assert response.status_code in (200, 429)
    assert "_auth_user_id" not in client.session


def test_issue14_p7_five_wrong_passwords_lock_out_even_the_right_one(client, clerk):
    for number in range(4):
        assert attempt(client, f"guess-{number}").status_code == 200  # the form again, with its error
    locked = attempt(client, "guess-4")
    assert locked.status_code == 429
    right = attempt(client, PASSWORD)
    assert right.status_code == 429
    assert "登录已暂时锁定" in right.text and "密码连续输错 5 次" in right.text
    assert "请 30 分钟后再试" in right.text
    assert "_auth_user_id" not in client.session
    assert "Account locked" not in right.text  # not axes' English default


def test_issue14_p7_an_administrator_unlocks_in_the_admin_and_the_clerk_logs_in(client, clerk, sysadmin):
    fail_five_times(client)
    admin = Client()
    admin.force_login(sysadmin)
    listing = admin.get("/admin/axes/accessattempt/")
    assert listing.status_code == 200
    assert "登录保护" in listing.text and "访问尝试" in listing.text and "失败次数" in listing.text
    row = AccessAttempt.objects.get(username="clerk")
    confirm = admin.post(
        "/admin/axes/accessattempt/", {"action": "delete_selected", "_selected_action": [row.pk]}
    )
    assert confirm.status_code == 200
    done = admin.post(
        "/admin/axes/accessattempt/",
        {"action": "delete_selected", "_selected_action": [row.pk], "post": "yes"},
    )
    assert done.status_code == 302 and not AccessAttempt.objects.exists()

    response = attempt(client, PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(clerk.pk)


def test_issue14_p7_a_lock_is_per_username_and_address_behind_the_proxy(client, clerk, settings):
    settings.TRUST_X_FORWARDED_FOR = True  # BEHIND_PROXY=1: the proxy's X-Forwarded-For entry counts
    fail_five_times(client, x_forwarded_for="203.0.113.7")
    assert attempt(client, PASSWORD, x_forwarded_for="203.0.113.7").status_code == 429
    other_desk = Client()
    response = attempt(other_desk, PASSWORD, x_forwarded_for="198.51.100.20")
    assert response.status_code == 302 and other_desk.session["_auth_user_id"] == str(clerk.pk)
    assert AccessAttempt.objects.get().ip_address == "203.0.113.7"


def test_issue14_p7_a_success_clears_the_count(client, clerk):
    for number in range(4):
        attempt(client, f"guess-{number}")
    assert attempt(client, PASSWORD).status_code == 302
    client.logout()
    for number in range(4):
        assert attempt(client, f"again-{number}").status_code == 200
    assert attempt(client, PASSWORD).status_code == 302


def test_issue14_p7_logins_without_a_request_still_work(client, clerk):
    """Client.login (no request for axes to lock by) and force_login are not throttled."""
    assert client.login(username="clerk", password=PASSWORD)
    assert not Client().login(username="clerk", password="wrong")
    assert client.get("/").status_code == 200
