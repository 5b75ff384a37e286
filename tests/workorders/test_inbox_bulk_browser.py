"""Issue 16 acceptance in a real Chromium: the home page says what needs the office, 24 orders waiting
to be dispatched are dispatched in one submission (one department changed on its row), each with its
result; the department then signs for its orders in bulk. The office's 转派 and 督办: Ganzhou 第六条,
第八条."""

import pytest
from playwright.sync_api import expect

from workorders.models import State, WorkOrder, WorkOrderEvent

from ..helpers import docs_screenshot, login
from .workorder_fixtures import bad_order

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.calendar,
]

PASSWORD = "pw-for-tests-1"


def posts_of(page) -> list[str]:
    sent: list[str] = []
    page.on("request", lambda request: sent.append(request.url) if request.method == "POST" else None)
    return sent


def test_the_office_dispatches_24_orders_in_one_submission_and_the_department_signs_in_bulk(
    page, live_server, make_record, owner, colleague, local_departments
):
    orders = [bad_order(make_record()) for _n in range(24)]
    town = local_departments["town"].department

    # 1. The office's home says 24 orders wait to be dispatched; the count links to that tab.
    login(page, live_server, owner.username, PASSWORD)
    need = page.locator("a.need-dispatch")
    expect(need).to_contain_text("24")
    expect(page.locator(".home-needs h2")).to_have_text("待我处理")
    docs_screenshot(page, "home-office")
    need.click()
    expect(page.locator(".wo-tab.current")).to_contain_text("待派发")
    expect(page.locator(".wo-tab.current .wo-count")).to_have_text("24")

    # 2. 50 a page, every row ticked, one row sent to another department.
    page.locator(".wo-sizes").get_by_role("link", name="50").click()
    expect(page.locator("table.wo-list tbody tr")).to_have_count(24)
    page.get_by_role("link", name="全选本页").click()
    expect(page.locator("[data-bulk-count]")).to_have_text("已选 24 件")
    expect(page.locator('input[name="order"]:checked')).to_have_count(24)
    adjusted = orders[3].number
    page.get_by_label(f"工单 {adjusted} 的承办部门").select_option(label=town.name)
    docs_screenshot(page, "inbox-bulk-select")

    # 3. One submission; a result for each order.
    sent = posts_of(page)
    with page.expect_navigation():
        page.get_by_role("button", name="派发所选").click()
    results = page.locator(".wo-results")
    expect(results.locator("h2")).to_have_text("批量派发：完成 24 件")
    expect(results.locator("tbody tr")).to_have_count(24)
    expect(results.locator("tr", has_text=adjusted)).to_contain_text(f"已派发给{town.name}")
    docs_screenshot(page, "inbox-bulk-results")
    assert sent == [f"{live_server.url}/orders/bulk/"]
    assert WorkOrder.objects.filter(state=State.DISPATCHED).count() == 24
    assert WorkOrderEvent.objects.filter(action="dispatch", actor=owner).count() == 24
    assert WorkOrder.objects.get(number=adjusted).department == town
    page.get_by_role("button", name="退出").click()

    # 4. The department's home: 23 to sign for (one went to the 街道); it signs for them in bulk.
    login(page, live_server, colleague.username, PASSWORD)
    need = page.locator("a.need-handling")
    expect(need).to_contain_text("23")
    docs_screenshot(page, "home-department")
    need.click()
    page.locator(".wo-sizes").get_by_role("link", name="50").click()
    expect(page.locator("table.wo-list tbody tr")).to_have_count(23)
    page.get_by_role("link", name="全选本页").click()
    with page.expect_navigation():
        page.get_by_role("button", name="签收所选").click()
    expect(page.locator(".wo-results h2")).to_have_text("批量签收：完成 23 件")
    docs_screenshot(page, "inbox-bulk-accept")
    assert WorkOrder.objects.filter(state=State.HANDLING, handler=colleague).count() == 23
