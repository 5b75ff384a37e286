"""The 监督查评 journey in Chromium (issue 16, acceptance: "an office plans an inspection, a 社会监督员
files a visit with a finding, the finding becomes a work order that a department closes"; 51号 三(四),
青岛西海岸 (四) 社会监督员明查暗访): the office plans, the monitor files a visit and a finding with a
photo, the office turns it into a work order, the department accepts and submits it, the office approves
and closes it."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from supervision.models import Finding, Inspection
from workorders.models import Source, State, WorkOrder

from ..helpers import docs_screenshot, login
from .conftest import PASSWORD, image_bytes

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _as(browser, live_server, user):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 800})
    page = context.new_page()
    login(page, live_server, user.username, PASSWORD)
    return page


def _act(page, action: str, button: str, fields: dict[str, str] | None = None) -> None:
    block = page.locator(f"#action-{action}")
    if block.locator("summary").count() and not block.evaluate("e => e.open"):
        block.locator("summary").click()
    for label, value in (fields or {}).items():
        block.get_by_label(label).fill(value)
    with page.expect_navigation():
        block.get_by_role("button", name=button).click()


def test_an_inspection_finding_becomes_a_work_order_that_a_department_closes(
    browser, live_server, owner, monitor, colleague, org, regions, tmp_path
):
    today = timezone.localdate()
    # 1. The 章贡区 office plans a mystery visit of its hall and assigns the monitor.
    office = _as(browser, live_server, owner)
    office.goto(f"{live_server.url}/supervision/")
    office.get_by_role("link", name="制定督查计划").click()
    office.get_by_label("督查主题").fill("综合受理窗口服务暗访")
    office.get_by_label("方式").select_option(label="暗访")
    office.get_by_label("督查区划").select_option(label=regions["zhanggong"].name)
    office.get_by_label("开始日期").fill(str(today - timedelta(days=2)))
    office.get_by_label("结束日期").fill(str(today + timedelta(days=12)))
    office.get_by_label(org["zhanggong"]["hall"].name).check()
    office.get_by_label("monitor（社会监督员）").check()
    office.get_by_label("工作要求").fill("检查在岗情况和一次性告知。")
    docs_screenshot(office, "supervision-plan-form")
    with office.expect_navigation():
        office.get_by_role("button", name="制定计划").click()
    expect(office.locator(".messages")).to_contain_text("督查计划已制定。")
    plan = Inspection.objects.get()
    assert list(plan.inspectors.all()) == [monitor]

    # 2. The monitor sees the assignment, files a visit and a finding with a photo.
    outside = _as(browser, live_server, monitor)
    outside.goto(f"{live_server.url}/supervision/")
    expect(outside.locator("h2").first).to_have_text("我的督查任务")
    docs_screenshot(outside, "supervision-monitor-index")
    outside.get_by_role("link", name="综合受理窗口服务暗访").click()
    outside.get_by_role("link", name="填报走访记录").click()
    visited = timezone.localtime() - timedelta(minutes=30)
    outside.get_by_label("走访时间").fill(visited.strftime("%Y-%m-%dT%H:%M"))
    outside.get_by_label("窗口").select_option(value=str(org["zhanggong"]["window"].pk))
    outside.get_by_label("走访情况").fill("上午 9 点暗访综合受理窗口，等候 40 分钟。")
    with outside.expect_navigation():
        outside.get_by_role("button", name="提交走访记录").click()
    expect(outside.locator(".messages")).to_contain_text("走访记录已提交")
    # A file that is not an image is refused beside the field, nothing saved.
    fake = tmp_path / "现场.jpg"
    fake.write_bytes(b"not an image at all")
    outside.get_by_label("责任部门").select_option(label=org["zhanggong"]["department"].name)
    outside.get_by_label("问题类别").select_option(label="窗口纪律")
    outside.get_by_label("严重程度").select_option(label="较重")
    outside.get_by_label("问题描述").fill("窗口工作人员离岗 20 分钟，无人告知群众。")
    outside.get_by_label("照片（选填）").set_input_files(str(fake))
    with outside.expect_navigation():
        outside.get_by_role("button", name="登记问题").click()
    expect(outside.locator("#field-photo .field-error")).to_contain_text("不是可识别的图片")
    assert not Finding.objects.exists()
    photo = tmp_path / "现场照片.jpg"
    photo.write_bytes(image_bytes("JPEG", (640, 480)))
    outside.get_by_label("照片（选填）").set_input_files(str(photo))
    with outside.expect_navigation():
        outside.get_by_role("button", name="登记问题").click()
    expect(outside.locator(".messages")).to_contain_text("问题已登记。")
    expect(outside.locator(".sv-photo")).to_be_visible()
    assert outside.locator(".sv-photo").evaluate("img => img.naturalWidth") == 640
    expect(outside.locator(".sv-rectify")).to_have_count(0)  # a monitor does not open orders
    docs_screenshot(outside, "supervision-visit")
    finding = Finding.objects.get()

    # 3. The office turns the finding into a work order and dispatches it.
    office.goto(f"{live_server.url}/supervision/visits/{finding.visit_id}/")
    office.locator(f"#finding-{finding.pk}").get_by_label("工单类别").select_option(value="simple")
    with office.expect_navigation():
        office.get_by_role("button", name="转为整改工单").click()
    order = WorkOrder.objects.get()
    assert order.source == Source.SUPERVISION and order.department == org["zhanggong"]["department"]
    expect(office.locator(".messages")).to_contain_text(f"已转为整改工单 {order.number}")
    expect(office.get_by_role("button", name="转为整改工单")).to_have_count(0)  # once
    docs_screenshot(office, "supervision-visit-ordered")
    office.get_by_role("link", name=order.number).click()
    docs_screenshot(office, "supervision-order")
    _act(office, "dispatch", "派发")

    # 4. The department accepts and submits the rectification.
    department = _as(browser, live_server, colleague)
    department.goto(f"{live_server.url}/orders/{order.number}/")
    _act(department, "accept", "签收")
    _act(
        department,
        "submit",
        "提交整改",
        {"整改情况": "已对离岗人员批评教育，落实 AB 岗。"},  # no citizen: no reply to write
    )

    # 5. The office approves and closes it.
    office.goto(f"{live_server.url}/orders/{order.number}/")
    _act(office, "approve", "审核通过")
    # No citizen to call: the office re-inspects (复查) and closes the order itself.
    office.locator("#action-record_revisit").get_by_label("复查整改到位").check()
    _act(office, "record_revisit", "复查办结", {"复查记录（选填）": "现场复查：AB 岗已落实。"})
    order.refresh_from_db()
    assert order.state == State.CLOSED
    docs_screenshot(office, "supervision-order-closed")
