"""A department handler answers orders from a phone: the inbox and the order detail at 390 px have no
horizontal scrolling of the page, and every action is reachable (issue 17, point 5)."""

import pytest

from ..helpers import docs_screenshot, login
from .measure import page_overflow

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("november_2026", "own_counters"),
]


def test_the_handler_works_an_order_from_a_phone(browser, live_server, owner, colleague, open_order):
    from workorders.services import lifecycle

    lifecycle.workorder_dispatch(open_order, by=owner)
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        login(page, live_server, colleague.username, "pw-for-tests-1")
        page.goto(f"{live_server.url}/orders/")
        assert page_overflow(page) == 0
        docs_screenshot(page, "phone-inbox")
        page.get_by_role("link", name=open_order.number).first.click()
        page.wait_for_load_state()
        assert page_overflow(page) == 0
        accept = page.get_by_role("button", name="签收")
        accept.scroll_into_view_if_needed()
        box = accept.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390
        docs_screenshot(page, "phone-order-detail")
        with page.expect_navigation(url=f"{live_server.url}/orders/{open_order.number}/"):
            accept.click()
        open_order.refresh_from_db()
        assert open_order.state == "handling"  # the phone's button did it
        assert page_overflow(page) == 0
    finally:
        context.close()
