"""The journey of one bad review in a real Chromium: a citizen rates a window on a phone, the city
office dispatches the work order, the department rectifies and replies, the office approves, 12345
revisits and the order closes with every step on its timeline."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from evaluations.demo_data import DEMO_PASSWORD
from evaluations.models import Department, Role, User, Window
from evaluations.services.intake import Rating, evaluation_record
from evaluations.services.records import RecordData, record_upsert
from evaluations.workdays import add_working_days
from workorders.models import State, WorkOrder
from workorders.services import lifecycle

from ..helpers import login, screenshot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.calendar,
]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def demo(transactional_db) -> None:
    call_command("seed_demo", months=0, verbosity=0)


def logout(page) -> None:
    page.get_by_role("button", name="退出").click()
    page.wait_for_load_state()


def open_order(page, live_server, number: str) -> None:
    page.goto(f"{live_server.url}/orders/?tab=all")
    page.get_by_role("link", name=number).click()
    expect(page.get_by_role("heading", name=f"工单 {number}")).to_be_visible()


def act(page, action: str, button: str) -> None:
    """Submit an action's form and wait for the page that comes back after the redirect."""
    block = page.locator(f"#action-{action}")
    if not block.evaluate("e => e.open"):
        block.locator("summary").click()
    with page.expect_navigation():
        block.get_by_role("button", name=button).click()
    expect(page.locator(".messages")).to_contain_text(f"已{button}")


def test_a_bad_review_travels_from_the_citizen_to_closure(browser, page, live_server, demo):
    # 1. A citizen scans the static QR of the city hall's 商事登记窗口 (served by the city's market
    #    regulation bureau, whose handler is the demo user dept_amr) and is very dissatisfied.
    window = Window.objects.get(code="W-CITY-02")
    phone = browser.new_context(locale="zh-CN", viewport=PHONE).new_page()
    phone.goto(f"{live_server.url}{reverse('citizen:window_rate', kwargs={'token': window.qr_token})}")
    staff = phone.locator("#rating-staff")
    if staff.count():
        staff.locator("input").first.check()
    phone.locator("#rating-grade").get_by_label("非常不满意", exact=True).check()
    phone.get_by_label("对办事材料不能一次告知或告知不清晰具体").check()
    phone.get_by_role("button", name="提交评价").click()
    expect(phone.get_by_role("heading", name="感谢您的评价")).to_be_visible()
    phone.context.close()
    order = WorkOrder.objects.get()
    assert order.department.name == "赣州市市场监督管理局"

    # 2. The city office finds it under 待派发 and dispatches it.
    login(page, live_server, "office_city", DEMO_PASSWORD)
    page.get_by_role("link", name="差评工单").click()
    expect(page.locator(".wo-tab.current")).to_contain_text("待派发")
    row = page.locator("table.wo-list tbody tr", has_text=order.number)
    expect(row).to_contain_text("对办事材料不能一次告知或告知不清晰具体")
    expect(row).to_contain_text("待派发")
    screenshot(page, "orders-inbox-office")
    row.get_by_role("link", name=order.number).click()
    expect(page.locator("#action-dispatch")).to_be_visible()
    screenshot(page, "orders-detail-dispatch")
    page.locator("#action-dispatch").get_by_label("类别").select_option(label="限时整改（一般）")
    act(page, "dispatch", "派发")
    expect(page.locator(".wo-title")).to_contain_text("待签收")
    logout(page)

    # 3. The bureau's handler accepts, then submits the rectification and the reply.
    login(page, live_server, "dept_amr", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/orders/")
    expect(page.locator(".wo-tab.current")).to_contain_text("待签收/整改中")
    page.get_by_role("link", name=order.number).click()
    act(page, "accept", "签收")
    # A QR rating without a phone: nobody to contact, so no contact limit and nothing to record.
    expect(page.locator(".wo-side")).to_contain_text("联系时限—")
    expect(page.locator("#action-contact")).to_have_count(0)
    block = page.locator("#action-submit")
    block.get_by_label("整改情况").fill("已约谈窗口工作人员，制作一次性告知清单张贴于窗口，并组织业务培训。")
    block.get_by_label("答复评价人").fill("您反映的问题已核实并整改，欢迎再次来办，继续监督。")
    screenshot(page, "orders-detail-handler")
    act(page, "submit", "提交整改")
    expect(page.locator(".wo-title")).to_contain_text("待审核")
    logout(page)

    # 4. The office approves the rectification.
    login(page, live_server, "office_city", DEMO_PASSWORD)
    open_order(page, live_server, order.number)
    act(page, "approve", "审核通过")
    logout(page)

    # 5. 12345 calls back and records 满意; the order closes.
    login(page, live_server, "hotline", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/orders/")
    expect(page.locator(".wo-tab.current")).to_contain_text("待回访")
    page.get_by_role("link", name=order.number).click()
    block = page.locator("#action-record_revisit")
    block.get_by_label("满意", exact=True).check()
    block.get_by_label("回访方式").select_option(label="12345 电话回访")
    act(page, "record_revisit", "回访办结")
    expect(page.locator(".wo-title")).to_contain_text("已办结")
    timeline = page.locator(".wo-timeline")
    for step in (
        "生成工单",
        "待派发 → 待签收",
        "待签收 → 整改中",
        "整改中 → 待审核",
        "待审核 → 待回访",
        "待回访 → 已办结",
    ):
        expect(timeline).to_contain_text(step)
    expect(page.locator(".wo-actions")).to_contain_text("工单已结束")
    screenshot(page, "orders-detail-closed")
    order = WorkOrder.objects.get(pk=order.pk)
    assert (order.state, order.revisit_result, order.revisit_channel) == (
        State.CLOSED,
        "satisfied",
        "hotline",
    )
    assert order.events.filter(kind="transition").count() == 5


# --- a working day's inbox ------------------------------------------------------------------------

COMPLAINTS = [
    (["M1-06"], "为一个执照跑了三个窗口"),
    (["M1-02"], "要求提供指南上没有的证明"),
    (["M2-03"], "承诺五个工作日，两周了还没办好"),
    (["M2-01"], ""),
    (["M1-03"], "超过法定时限也没有说明原因"),
    (["M2-02"], "材料清单和窗口说的不一样"),
]

HANDLERS = ["李建华", "王芳", "陈志强", "刘洋", "赵敏"]
# How far each of the fourteen orders has come.
STAGES = [State.CREATED] * 2 + [State.DISPATCHED] * 2 + [State.HANDLING] * 6 + [State.REVIEWING] * 2
STAGES += [State.CLOSED] * 2


def handler_of(department: Department, number: int) -> User:
    user, _ = User.objects.get_or_create(
        username=f"handler-{department.pk}",
        defaults={"name": HANDLERS[number % 5], "role": Role.DEPARTMENT, "department": department},
    )
    return user


def bad_review(department: Department, number: int) -> WorkOrder:
    matter = department.matters.order_by("code")[number // 5]
    completed = timezone.now() - timedelta(hours=30 + number)
    record, _ = record_upsert(
        serial_no=f"GZ{completed:%Y%m%d}{number:04d}",
        data=RecordData(
            matter_code=matter.code, department_code=department.code, region_code=department.region.code,
            channel="online", status="completed", accepted_at=completed - timedelta(days=3),
            completed_at=completed, applicant_type="person", applicant_name="刘晓梅",
            applicant_phone=f"1397070{number:04d}",
        ),
    )  # fmt: skip
    tags, comment = COMPLAINTS[number % len(COMPLAINTS)]
    channel = ("pc", "mobile", "sms")[number % 3]
    rating = Rating("matter", "completion", int(tags[0][1]), channel, tags=tags, comment=comment)
    return evaluation_record(rating=rating, record=record).evaluation.work_order


def busy_inbox() -> list[WorkOrder]:
    """Bad reviews of cases of five city bureaus, moved along by the office and the bureaus' handlers;
    some were opened weeks ago (their dates set back, as if the office had been at work for a while)."""
    office = User.objects.get(username="office_city")
    departments = Department.objects.filter(region__level=2, matters__isnull=False).distinct().order_by("pk")
    orders = []
    for number, stage in enumerate(STAGES):
        handler = handler_of(departments[number % 5], number)
        order = bad_review(departments[number % 5], number)
        path = [
            State.CREATED,
            State.DISPATCHED,
            State.HANDLING,
            State.REVIEWING,
            State.REVISITING,
            State.CLOSED,
        ]
        steps = [
            lambda o: lifecycle.workorder_dispatch(o, by=office),
            lambda o, h=handler: lifecycle.workorder_accept(o, by=h),
            lambda o, h=handler: lifecycle.workorder_submit(o, by=h, rectification="已整改", reply="已答复"),
            lambda o: lifecycle.workorder_approve(o, by=office),
            lambda o: lifecycle.workorder_record_revisit(o, by=office, result="satisfied", channel="hotline"),
        ]
        for step in steps[: path.index(stage)]:
            order = step(order)
        orders.append(order)
    today = timezone.localdate()
    for order, days in zip(orders[4:8], (9, 4, 1, 0), strict=True):  # past due, due today
        WorkOrder.objects.filter(pk=order.pk).update(
            due=add_working_days(today, -days), created_at=timezone.now() - timedelta(days=12 + days)
        )
    WorkOrder.objects.filter(pk=orders[8].pk).update(due=add_working_days(today, 1))
    WorkOrder.objects.filter(pk=orders[13].pk).update(due=add_working_days(today, -2))  # closed late
    return orders


def test_the_inbox_shows_what_is_late_and_switches_tabs_in_place(page, live_server, demo):
    outside = []
    page.on("request", lambda r: None if r.url.startswith(live_server.url) else outside.append(r.url))
    orders = busy_inbox()
    login(page, live_server, "office_city", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/orders/?tab=all")
    expect(page.locator("table.wo-list tbody tr")).to_have_count(14)
    expect(page.locator(".wo-tab", has_text="已逾期").locator(".wo-count")).to_have_text("3")
    expect(page.locator(".wo-row-overdue")).to_have_count(3)
    expect(page.locator(".wo-badge-overdue").first).to_have_text("已逾期 9 个工作日")
    expect(page.locator(".wo-badge-today")).to_have_text("今日到期")
    screenshot(page, "orders-inbox")

    page.evaluate("window.stillHere = true")  # gone if the browser loads a whole new page
    page.locator(".wo-tab", has_text="已逾期").click()
    expect(page.locator("table.wo-list tbody tr")).to_have_count(3)
    assert "tab=overdue" in page.url and page.evaluate("window.stillHere === true")
    page.get_by_label("工单编号或办件编号").fill(orders[4].number)
    page.get_by_role("button", name="查询").click()
    expect(page.locator("table.wo-list tbody tr")).to_have_count(1)
    assert f"q={orders[4].number}" in page.url and page.evaluate("window.stillHere === true")
    screenshot(page, "orders-inbox-search")

    page.goto(f"{live_server.url}/orders/board/")
    expect(page.locator("table.wo-board tbody tr")).to_have_count(5)
    # 按期整改 / 有效差评: of 14 orders one was rectified on time; the open ones, overdue or not, are not.
    expect(page.locator("table.wo-board tfoot")).to_contain_text("1 / 14")
    expect(page.locator("table.wo-board tfoot")).to_contain_text("7.1%")
    screenshot(page, "orders-board")
    assert not outside, outside

    # The handler of an order past its due date calls the citizen: the number shows once asked for,
    # and the look is on the timeline.
    late = WorkOrder.objects.select_related("handler").get(pk=orders[4].pk)
    late.handler.set_password(DEMO_PASSWORD)
    late.handler.save()
    logout(page)
    login(page, live_server, late.handler.username, DEMO_PASSWORD)
    page.goto(f"{live_server.url}/orders/{late.number}/")
    expect(page.locator(".wo-title .wo-badge-overdue")).to_have_text("已逾期 9 个工作日")
    expect(page.locator("#phone")).to_contain_text("139****0004")
    screenshot(page, "orders-detail-actions")
    page.get_by_role("button", name="查看完整号码").click()
    expect(page.locator("#phone")).to_contain_text("13970700004")
    assert late.events.filter(kind="reveal", actor=late.handler).count() == 1

    # Submitting without the texts: the refusal (422) is swapped in beside the form, nothing reloads.
    page.evaluate("window.stillHere = true")
    page.locator("#action-submit").get_by_role("button", name="提交整改").click()
    expect(page.locator("#action-submit .error")).to_have_text("请按提示修改后再提交。")
    expect(page.locator("#action-submit .errorlist").first).to_be_visible()
    assert page.evaluate("window.stillHere === true")
    assert WorkOrder.objects.get(pk=late.pk).state == State.HANDLING
    screenshot(page, "orders-detail-refused")
