"""Issue 14, point 7 in Chromium: five wrong passwords on the login page, then the right one is met
by the Chinese lockout page."""

import pytest
from playwright.sync_api import expect

from evaluations.models import Role, User

from .helpers import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_issue14_p7_the_login_page_locks_after_five_wrong_passwords(page, live_server):
    User.objects.create_user(username="clerk", password="pw-for-tests-1", name="王芳", role=Role.HOTLINE)
    for number in range(4):
        login(page, live_server, "clerk", f"guess-{number}")
        expect(page.locator(".error")).to_contain_text("请输入一个正确的")
    login(page, live_server, "clerk", "guess-4")
    expect(page.get_by_role("heading", name="登录已暂时锁定")).to_be_visible()
    login(page, live_server, "clerk", "pw-for-tests-1")
    expect(page.get_by_role("heading", name="登录已暂时锁定")).to_be_visible()
    expect(page.locator(".error")).to_contain_text("密码连续输错 5 次")
    expect(page.get_by_role("button", name="退出")).to_have_count(0)
