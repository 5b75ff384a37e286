"""The circular and the public pages in a real Chromium, on two months of demo activity: the city
office generates October's circular, freezes it, prints it and publishes it; a citizen reads the region and a
department on a phone. Screenshots go to docs/screenshots/ for the README."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from evaluations.demo_data import DEMO_PASSWORD
from evaluations.models import Region
from reporting.models import Circular
from reporting.periods import Period
from workorders.models import State, WorkOrder

from ..helpers import docs_screenshot, login
from .reporting_fixtures import rebuild

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.calendar,
    pytest.mark.usefixtures("november_2026"),
]

PHONE = {"width": 390, "height": 844}
REPLY = "经核实，窗口工作人员未一次性告知所需材料。已对其批评教育，并在窗口张贴材料清单，感谢您的监督。"


@pytest.fixture
def demo(transactional_db) -> Period:
    """Two months of demo ratings; some of last month's bad reviews rectified, replied and closed."""
    call_command("seed_demo", months=2, verbosity=0)
    month = Period.month_of(timezone.localdate()).previous()
    orders = WorkOrder.objects.filter(evaluation__rated_at__date__gte=month.first).order_by("pk")
    closed = list(orders.values_list("pk", flat=True)[:6])
    now = timezone.now()
    WorkOrder.objects.filter(pk__in=closed[:4]).update(
        state=State.CLOSED, reply=REPLY, rectification="已整改", submitted_at=now, approved_at=now,
        closed_at=now, revisit_result="satisfied", public_reply=REPLY, public_reply_at=now,
    )  # fmt: skip
    WorkOrder.objects.filter(pk__in=closed[4:]).update(state=State.HANDLING)
    rebuild(month.previous().first, timezone.localdate())
    return month


def test_the_city_office_prints_and_publishes_a_circular_the_public_reads_it(
    browser, page, live_server, demo
):
    month = demo
    city = Region.objects.get(name="赣州市")
    login(page, live_server, "office_city", DEMO_PASSWORD)
    page.goto(f"{live_server.url}{reverse('reporting:circulars')}")
    expect(page.get_by_role("heading", name="生成通报")).to_be_visible()
    page.get_by_label("统计月份").fill(str(month))
    page.get_by_label("通报区划").select_option(label=city.name)
    page.get_by_role("button", name="生成草稿").click()
    page.get_by_role("button", name="冻结").click()  # issue 16: a draft is frozen before it is published
    title = f"{city.name}{month.label}政务服务“好差评”情况通报"
    expect(page.get_by_role("heading", name=title)).to_be_visible()
    expect(page.get_by_role("button", name="打印")).to_be_visible()  # shown by the script
    expect(page.get_by_role("heading", name="部门排名")).to_be_visible()
    circular = Circular.objects.get(region=city)  # seed_demo also published the province's
    assert circular.data["rankings"]["department"]["rows"], "the demo month ranks departments"

    page.set_viewport_size({"width": 1000, "height": 1414})  # A4 proportions
    page.emulate_media(media="print")
    expect(page.locator(".circ-toolbar")).to_be_hidden()
    # What @page margins add on paper; set through the CSSOM, which the CSP allows (a <style> it does not).
    page.evaluate("document.body.style.padding = '12mm 10mm'")
    docs_screenshot(page, "reports-circular", full_page=False)  # the first printed page
    page.emulate_media(media="screen")
    page.set_viewport_size({"width": 1280, "height": 800})

    with page.expect_navigation():
        page.get_by_role("button", name="公开到好差评专区").click()
    expect(page.locator(".messages")).to_contain_text("已公开")

    # The public: no login, a fresh browser context.
    public = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900}).new_page()
    public.goto(f"{live_server.url}{reverse('public:index')}")
    public.get_by_role("link", name=city.name).click()
    expect(
        public.get_by_role("heading", name=f"{city.name}{month.label}政务服务“好差评”情况")
    ).to_be_visible()
    expect(public.locator(".pub-card-main strong")).not_to_have_text("—")
    docs_screenshot(public, "public-region")
    public.context.close()

    department = WorkOrder.objects.filter(state=State.CLOSED).first().department
    phone = browser.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True).new_page()
    phone.goto(f"{live_server.url}{reverse('public:department', args=[department.code])}")
    expect(phone.get_by_role("heading", name=department.name)).to_be_visible()
    expect(phone.locator(".pub-reply").first).to_contain_text("部门答复")
    html = phone.content()
    assert "138" not in phone.locator(".pub-reviews").inner_text()
    assert "不公开评价人的姓名" in html
    docs_screenshot(phone, "public-department")
    phone.context.close()
