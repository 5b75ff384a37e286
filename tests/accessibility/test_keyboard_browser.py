"""Every staff step of a work order with the keyboard alone (issue 17, point 3): the office signs in and
dispatches, the department accepts and — after an empty submission whose errors are tied to their
fields — submits its rectification, the office approves, the citizen answers the revisit link. Focus
is visible at every stop (tests/accessibility/keyboard.py)."""

import pytest

from workorders.services.revisit_link import revisit_token

from .keyboard import tab_to

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("november_2026", "own_counters"),
]


def sign_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    tab_to(page, "用户名")
    page.keyboard.type(username)
    tab_to(page, "密码")
    page.keyboard.type("pw-for-tests-1")
    with page.expect_navigation():
        page.keyboard.press("Enter")


def sign_out(page) -> None:
    tab_to(page, "退出", tag="button")
    with page.expect_navigation():
        page.keyboard.press("Enter")


def act(page, live_server, order, action: str, *, fields: dict[str, str] | None = None) -> None:
    """Open the action's panel from its summary, fill its fields, press its button."""
    page.goto(f"{live_server.url}/orders/{order.number}/")
    summary = tab_to(page, action, tag="summary")
    assert summary
    if page.locator(f"details:has(> summary:text-is('{action}'))").get_attribute("open") is None:
        page.keyboard.press("Enter")
    for label, value in (fields or {}).items():
        tab_to(page, label)
        page.keyboard.type(value)
    tab_to(page, action, tag="button")
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_the_order_journey_with_the_keyboard_alone(page, live_server, owner, colleague, open_order):
    sign_in(page, live_server, owner.username)
    act(page, live_server, open_order, "派发")
    sign_out(page)

    sign_in(page, live_server, colleague.username)
    act(page, live_server, open_order, "签收")
    # An empty submission: the errors are announced with their fields (aria-invalid, aria-describedby).
    page.goto(f"{live_server.url}/orders/{open_order.number}/")
    tab_to(page, "提交整改", tag="summary")
    if page.locator("details#action-submit").get_attribute("open") is None:
        page.keyboard.press("Enter")
    tab_to(page, "提交整改", tag="button")
    page.keyboard.press("Enter")
    invalid = page.locator("details#action-submit textarea[aria-invalid=true]").first
    invalid.wait_for()
    described = invalid.get_attribute("aria-describedby").split()
    errors = [page.locator(f"#{ident}").inner_text() for ident in described]
    assert any("必填" in text for text in errors), errors
    # staff.js moves the focus on htmx:afterSettle, a moment after the swap: wait for it, then check.
    page.wait_for_function("document.activeElement && document.activeElement.matches('[aria-invalid=true]')")
    focused = page.evaluate("document.activeElement.getAttribute('aria-invalid')")
    assert focused == "true", "after the errors come back the focus is on the first field in error"
    act(
        page,
        live_server,
        open_order,
        "提交整改",
        fields={"整改情况": "补齐材料清单", "答复评价人": "已补齐清单"},
    )
    sign_out(page)

    sign_in(page, live_server, owner.username)
    act(page, live_server, open_order, "审核通过")
    open_order.refresh_from_db()
    assert open_order.state == "revisiting"

    page.goto(f"{live_server.url}/r/revisit/{revisit_token(open_order)}/")
    tab_to(page, "满意")  # the first choice of the radio group
    page.keyboard.press("Space")
    tab_to(page, "提交", tag="button")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    open_order.refresh_from_db()
    assert open_order.state == "closed"
