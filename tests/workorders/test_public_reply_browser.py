"""Issue 14 point 5 in Chromium: a reply that names the citizen and a colleague and quotes a phone
number never reaches the public page; after the office approves the rectification the page says only
that the reply was delivered, and shows the reply once the office approves an edited public version.
The screenshot of the approval form goes to docs/screenshots/ for the README."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from evaluations.models import Policy
from reporting.periods import Period
from workorders.models import State, WorkOrder

from ..helpers import docs_screenshot, login
from ..reporting.reporting_fixtures import order, publish_month, rate, rebuild

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.calendar,
    pytest.mark.usefixtures("november_2026"),
]

REPLY = "钱七您好，已由高小红同志电话联系您并致歉，窗口已张贴材料清单。如有疑问请拨打 138 0000 1111。"
EDITED = "您好，已电话联系您并致歉，窗口已张贴材料清单。如有疑问请拨打 138 0000 1111。"


@pytest.fixture
def reviewing(regions, org, people) -> WorkOrder:
    """A 章贡区 bad review of October, replied and waiting for the office; October's circular published."""
    Policy.from_preset("tianjin", region=regions["city"], min_sample=1).save()
    side = org["zhanggong"]
    rate(side, 5)
    replied = order(rate(side, 1, tags=["M1-02"]), state=State.REVIEWING, rectified=True)
    WorkOrder.objects.filter(pk=replied.pk).update(
        reply=REPLY, rectification="约谈窗口负责人，补充一次性告知清单", approved_at=None
    )
    rebuild()
    publish_month(regions["city"], Period.parse("2026-10"), people["sysadmin"])
    return replied


def _public_reviews(browser, live_server, department) -> str:
    public = browser.new_context(locale="zh-CN").new_page()
    public.goto(f"{live_server.url}{reverse('public:department', args=[department.code])}")
    expect(public.locator(".pub-reviews")).to_be_visible()
    text = public.locator(".pub-reviews").inner_text()
    public.context.close()
    return text


def test_issue14_a_named_reply_reaches_the_public_only_as_the_approved_edited_version(
    browser, page, live_server, reviewing, people
):
    department = reviewing.department
    shown = _public_reviews(browser, live_server, department)
    assert "钱七" not in shown and "高小红" not in shown and "1111" not in shown  # still under review

    login(page, live_server, people["office"].username, "pw-for-tests-1")
    page.goto(f"{live_server.url}{reverse('workorders:detail', args=[reviewing.number])}")
    with page.expect_navigation():
        page.locator("#action-approve").get_by_role("button", name="审核通过").click()
    expect(page.locator(".messages")).to_contain_text("已审核通过")

    shown = _public_reviews(browser, live_server, department)
    assert "答复已送达评价人。" in shown  # approved rectification, no approved public version yet
    assert "钱七" not in shown and "高小红" not in shown and "1111" not in shown

    block = page.locator("#action-publish_reply")
    block.locator("summary").click()
    box = block.get_by_label("公开答复")
    expect(box).to_have_value(REPLY.replace("138 0000 1111", "138****1111"))  # prefilled, masked
    expect(block.locator("mark.pii-name")).to_have_text(["钱七", "高小红"])
    docs_screenshot(page, "orders-public-reply")

    block.get_by_role("button", name="审定公开答复").click()  # names neither removed nor confirmed
    expect(page.locator("#action-publish_reply [role=alert]")).to_contain_text(
        "公开答复中仍有疑似姓名：钱七、高小红"
    )
    assert "钱七" not in _public_reviews(browser, live_server, department)

    block = page.locator("#action-publish_reply")
    block.get_by_label("公开答复").fill(EDITED)
    with page.expect_navigation():
        block.get_by_role("button", name="审定公开答复").click()
    expect(page.locator(".messages")).to_contain_text("已审定公开答复")
    expect(page.locator("#public-reply")).to_contain_text("138****1111")

    shown = _public_reviews(browser, live_server, department)
    assert EDITED.replace("138 0000 1111", "138****1111") in shown
    assert "钱七" not in shown and "高小红" not in shown and "138 0000 1111" not in shown
