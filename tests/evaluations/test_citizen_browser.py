"""The citizen rating pages in a real Chromium at phone width (390×844), with and without JavaScript."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from evaluations.models import Evaluation, Tag
from evaluations.services.duty import shift_start
from evaluations.tokens import case_token

from ..helpers import ARTIFACTS, screenshot

# serialized_rollback: the flush between live-server tests would otherwise drop the seeded tags.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("own_counters"),
]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(page, live_server):
    page.set_viewport_size(PHONE)
    outside = []
    page.on(
        "request",
        lambda request: None if request.url.startswith(live_server.url) else outside.append(request),
    )
    yield page
    assert not outside, "the citizen pages must not load anything from outside the app"


@pytest.fixture
def phone_without_js(browser):
    context = browser.new_context(locale="zh-CN", viewport=PHONE, java_script_enabled=False)
    yield context.new_page()
    context.close()


def case_link(live_server, record, via: str = "sms") -> str:
    return f"{live_server.url}{reverse('citizen:case_rate', kwargs={'token': case_token(record)})}?via={via}"


def choose_grade(page, block: str, label: str) -> None:
    page.locator(f"#{block}-grade").get_by_label(label, exact=True).check()


def submit(page) -> None:
    page.get_by_role("button", name="提交评价").click()
    page.wait_for_load_state()


def view_shot(page, name: str, top: str = "") -> None:
    """What the phone's screen shows (the viewport), scrolled so ``top`` starts the screen."""
    if top:
        page.locator(top).evaluate("e => window.scrollTo(0, e.getBoundingClientRect().top + scrollY - 12)")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}-view.png"))


def fits_the_phone(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_citizen_rates_a_case_from_the_sms_link(phone, live_server, make_record):
    record = make_record()
    link = case_link(live_server, record)
    phone.goto(link)
    expect(phone.get_by_role("heading", name="请您评价本次办事")).to_be_visible()
    expect(phone.locator(".c-facts")).to_contain_text("王**")
    fits_the_phone(phone)
    # Large targets and text for an old phone: grade buttons at least 48 px tall, text at least 18 px.
    button = phone.locator("#matter-grade label").first.bounding_box()
    assert button["height"] >= 48 and button["width"] >= 300
    sizes = phone.locator(".c-tag label, .c-facts dd, .c-hint").evaluate_all(
        "els => els.map(e => parseFloat(getComputedStyle(e).fontSize))"
    )
    assert min(sizes) >= 18
    screenshot(phone, "citizen-case-form")
    view_shot(phone, "citizen-case-form")

    second_tab = phone.context.new_page()  # the citizen opened the link twice
    second_tab.set_viewport_size(PHONE)
    second_tab.goto(link)

    choose_grade(phone, "matter", "非常不满意")
    submit(phone)
    error = phone.locator("#matter-tags .c-error")
    expect(error).to_have_text("选择“不满意”或“非常不满意”时，请至少选择一个标签或填写评价内容。")
    expect(error).to_be_in_viewport()  # the page scrolls to the first field to fix
    expect(phone.locator("#matter-grade").get_by_label("非常不满意", exact=True)).to_be_checked()
    assert not Evaluation.objects.exists()
    screenshot(phone, "citizen-case-error")
    view_shot(phone, "citizen-case-error", top="#matter-grade")

    phone.get_by_label("多头跑窗口和部门").check()
    submit(phone)
    expect(phone.get_by_role("heading", name="感谢您的评价")).to_be_visible()
    expect(phone.locator("main")).to_contain_text("我们会认真核实整改，并在规定时限内回复您")
    fits_the_phone(phone)
    screenshot(phone, "citizen-thanks")
    rating = Evaluation.objects.get()
    assert (rating.grade, rating.tags, rating.channel, rating.record_id) == (1, ["M1-06"], "sms", record.pk)

    choose_grade(second_tab, "matter", "满意")
    submit(second_tab)
    expect(second_tab.get_by_role("heading", name="该办件已经评价过了")).to_be_visible()
    screenshot(second_tab, "citizen-already-rated")
    phone.goto(link)
    expect(phone.get_by_role("heading", name="该办件已经评价过了")).to_be_visible()
    assert Evaluation.objects.count() == 1


def test_with_javascript_only_the_tags_of_the_chosen_grade_show(phone, live_server, make_record):
    phone.goto(case_link(live_server, make_record(), via="qr"))
    matter = phone.locator("#matter-tags")
    expect(matter.get_by_text("请先选择上面的满意程度。")).to_be_visible()
    expect(matter.locator(".c-tag-group:visible")).to_have_count(0)

    choose_grade(phone, "matter", "满意")
    expect(matter.locator(".c-tag-group:visible")).to_have_count(1)
    shown = matter.locator(".c-tag label:visible").all_inner_texts()
    assert shown == list(
        Tag.objects.filter(target="matter", grade=4).order_by("position").values_list("text", flat=True)
    )
    matter.get_by_label("跑大厅一次办完").check()
    choose_grade(phone, "staff", "非常满意")
    expect(phone.locator("#staff-tags .c-tag label:visible")).to_have_text(
        ["微笑服务，热情周到", "业务精通，办事效率高"]
    )
    phone.locator("#staff-tags").get_by_label("微笑服务，热情周到").check()
    phone.get_by_label("意见和建议（选填）").first.fill("窗口很耐心")
    expect(phone.locator("#id_matter-comment-count")).to_have_text("还可以输入 495 字")
    screenshot(phone, "citizen-case-js-satisfied")
    view_shot(phone, "citizen-case-js-satisfied", top="#matter-grade")

    submit(phone)
    expect(phone.get_by_role("heading", name="感谢您的评价")).to_be_visible()
    rows = {row.target: row for row in Evaluation.objects.all()}
    assert (rows["matter"].grade, rows["matter"].tags, rows["matter"].comment) == (4, ["M4-06"], "窗口很耐心")
    assert (rows["staff"].grade, rows["staff"].tags, rows["staff"].channel) == (5, ["S5-01"], "qr")


def test_without_javascript_the_window_qr_lists_every_tag_and_the_server_checks_them(
    phone_without_js, live_server, org
):
    page = phone_without_js
    side = org["zhanggong"]
    shift_start(staff=side["staff"], window=side["window"])  # signed in: the one on duty (issue 12)
    page.goto(f"{live_server.url}{reverse('citizen:window_rate', kwargs={'token': side['window'].qr_token})}")
    expect(page.locator(".c-facts")).to_contain_text(side["staff"].name)
    expect(page.locator(".c-tag-heading")).to_have_text(
        ["非常满意", "满意", "基本满意", "不满意", "非常不满意"]
    )
    fits_the_phone(page)
    screenshot(page, "citizen-window-nojs")
    view_shot(page, "citizen-window-nojs")

    choose_grade(page, "rating", "满意")
    page.get_by_label("微笑服务，热情周到").check()  # a tag of 非常满意
    page.get_by_label("您办理的事项（选填）").select_option(label=side["matter"].name)
    submit(page)
    expect(page.locator("#rating-tags .c-error")).to_contain_text("不适用于所选的评价等级")
    expect(page.get_by_label("您办理的事项（选填）")).to_have_value(str(side["matter"].pk))
    assert not Evaluation.objects.exists()
    screenshot(page, "citizen-window-nojs-error")
    view_shot(page, "citizen-window-nojs-error", top="#rating-grade")

    page.get_by_label("微笑服务，热情周到").uncheck()
    page.get_by_label("主动服务，礼貌用语").check()
    submit(page)
    expect(page.get_by_role("heading", name="感谢您的评价")).to_be_visible()
    rating = Evaluation.objects.get()
    assert (rating.target, rating.staff, rating.matter, rating.record) == (
        "staff",
        side["staff"],
        side["matter"],
        None,
    )


def test_a_bad_link_gets_a_chinese_page_not_a_stack_trace(phone, live_server):
    response = phone.goto(f"{live_server.url}/r/abc.not-a-signature/")
    assert response.status == 404
    expect(phone.get_by_role("heading", name="页面不存在")).to_be_visible()
    screenshot(phone, "citizen-not-found")
