"""Acceptance (issue 16 §2) in a real Chromium: 赣州市's circular for last month is drafted by the beat's
task function, edited, frozen, published, withdrawn with a reason, corrected and republished, and the
public page is read in each state. Screenshots docs/screenshots/circular-*.png."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from reporting.models import Circular
from reporting.tasks import generate_monthly_circulars

from ..helpers import docs_screenshot, login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.calendar,
    pytest.mark.usefixtures("november_2026"),
]
REASON = "南康区一条差评重复统计，综合评分有误"


def test_the_city_office_drafts_freezes_publishes_withdraws_and_corrects_its_circular(
    browser, page, live_server, regions, october, city_office
):
    public = browser.new_context(locale="zh-CN", viewport={"width": 1100, "height": 900}).new_page()
    public_url = f"{live_server.url}{reverse('public:region', args=[regions['city'].code])}"

    def public_page():
        response = public.goto(public_url)
        assert response is not None
        return response.status

    assert generate_monthly_circulars() == 4  # the beat, made up on 20 November: province, city, 2 districts
    assert public_page() == 404  # a draft is not public

    login(page, live_server, city_office.username, "pw-for-tests-1")
    page.goto(f"{live_server.url}{reverse('reporting:circulars')}")
    page.locator("tr", has_text="赣州市").get_by_role("link", name="2026-10").click()
    expect(page.locator("#circ-state")).to_have_text("草稿")
    expect(page.locator("#circ-number")).to_have_text("赣市政管通〔2026〕1号")
    expect(page.locator("#circ-cut-off")).to_contain_text("截至 2026年11月20日")
    expect(page.locator("#circ-cut-off")).to_contain_text("其中逾期 2 件")

    page.get_by_role("link", name="编辑草稿").click()
    page.get_by_label("通报正文").fill(
        "10月，全市政务服务“好差评”运行总体平稳。\n章贡区逾期工单须在11月底前办结。"
    )
    page.get_by_label(october["overdue"].number, exact=False).check()
    page.get_by_role("button", name="保存草稿").click()
    expect(page.locator(".messages")).to_contain_text("草稿已保存")
    expect(page.locator("#circ-narrative")).to_contain_text("全市政务服务“好差评”运行总体平稳")
    expect(page.locator("#circ-cases")).to_contain_text(october["overdue"].number)
    docs_screenshot(page, "circular-draft")

    page.get_by_role("button", name="冻结").click()
    expect(page.locator("#circ-state")).to_have_text("已冻结")
    assert public_page() == 404  # frozen, not yet published
    page.get_by_role("button", name="公开到好差评专区").click()
    expect(page.locator("#circ-state")).to_have_text("已公开")

    assert public_page() == 200
    expect(public.locator(".pub-lead")).to_contain_text("赣市政管通〔2026〕1号")
    expect(public.locator(".pub-narrative")).to_contain_text("运行总体平稳")
    expect(public.locator("#pub-withdrawn")).to_have_count(0)
    docs_screenshot(public, "circular-public-published")

    page.get_by_role("button", name="撤回通报").click()  # no reason: refused next to the field
    expect(page.locator(".circ-withdraw .field-error")).to_contain_text("请填写撤回原因")
    page.get_by_label("撤回原因").fill(REASON)
    page.get_by_role("button", name="撤回通报").click()
    expect(page.locator("#circ-withdrawn")).to_contain_text(REASON)
    docs_screenshot(page, "circular-withdrawn")

    public_page()
    expect(public.locator("#pub-withdrawn")).to_contain_text("本通报已于2026年11月20日撤回")
    expect(public.locator("#pub-withdrawn")).to_contain_text(REASON)
    docs_screenshot(public, "circular-public-withdrawn")

    page.get_by_role("button", name="生成更正版本").click()
    expect(page.get_by_role("heading", name="编辑草稿：赣州市2026年10月通报（第 2 版）")).to_be_visible()
    page.get_by_label("通报正文").fill("（更正）10月，全市政务服务“好差评”运行总体平稳。")
    page.get_by_role("button", name="保存草稿").click()
    page.get_by_role("button", name="冻结").click()
    page.get_by_role("button", name="公开到好差评专区").click()
    expect(page.locator("#circ-state")).to_have_text("已公开")

    public_page()
    expect(public.locator(".pub-narrative")).to_contain_text("（更正）")
    expect(public.locator("#pub-withdrawn")).to_have_count(0)
    history = public.locator(".pub-versions")
    expect(history).to_contain_text("第 1 版")
    expect(history).to_contain_text(REASON)
    expect(history).to_contain_text("现行")
    docs_screenshot(public, "circular-public-corrected")
    public.get_by_role("link", name="第 1 版").click()
    expect(public.locator("#pub-withdrawn")).to_contain_text("查看更正后的通报（第 2 版）")

    city = Circular.objects.filter(region=regions["city"]).order_by("version")
    assert [(c.version, c.state) for c in city] == [(1, "withdrawn"), (2, "published")]
    public.context.close()
