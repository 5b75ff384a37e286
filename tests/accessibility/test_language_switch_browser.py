"""Staff pages in English (issue 17, point 4): the switch in the top bar (Django's set_language) turns
the inbox into English and back; Chinese stays the default for a new visitor."""

import pytest

from ..helpers import docs_screenshot, login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("november_2026", "own_counters"),
]


def test_the_inbox_in_english_and_back(page, live_server, owner, open_order):
    login(page, live_server, owner.username, "pw-for-tests-1")
    page.goto(f"{live_server.url}/orders/")
    assert page.get_by_role("heading", name="差评工单").is_visible()  # Chinese by default
    with page.expect_navigation():
        page.get_by_role("button", name="English").click()
    assert page.url == f"{live_server.url}/orders/"
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", name="Bad-review work orders").is_visible()
    assert page.get_by_role("columnheader", name="Work order number").is_visible()
    assert open_order.number in page.content()
    docs_screenshot(page, "inbox-english", full_page=False)
    with page.expect_navigation():
        page.get_by_role("button", name="中文").click()
    assert page.get_by_role("heading", name="差评工单").is_visible()
