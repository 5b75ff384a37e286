"""Issue 16 acceptance, the second Chromium journey: an office builds and publishes a questionnaire,
30 answers arrive through the public page (a few in Chromium at 390 px without JavaScript, the rest
as plain form POSTs with the CSRF cookie, as a phone's browser sends them), and the results page and
the XLSX export show exactly 30 (51号 三(四) 监督查评 问卷调查)."""

import re
from io import BytesIO

import pytest
import requests
from openpyxl import load_workbook
from playwright.sync_api import expect

from evaluations.care import COOKIE
from questionnaires.models import Questionnaire, Submission

from ..accessibility.measure import measure
from ..helpers import docs_screenshot, login, screenshot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("own_counters"),
]

PHONE = {"width": 390, "height": 844}
IN_BROWSER = 4
TOTAL = 30


def add_question(page, kind: str, text: str, *, required: bool, choices: str = "") -> None:
    form = page.locator(".qn-add form")
    form.get_by_label("题型").select_option(label=kind)
    form.get_by_label("题目").fill(text)
    form.get_by_label("必答").set_checked(required)
    form.get_by_label("选项（单选题、多选题填写，每行一个）").fill(choices)
    form.get_by_role("button", name="添加题目").click()
    expect(page.locator(".qn-question", has_text=text)).to_be_visible()


def build_and_publish(page, live_server, owner) -> str:
    login(page, live_server, owner.username, "pw-for-tests-1")
    page.goto(f"{live_server.url}/supervision/questionnaires/")
    page.get_by_role("link", name="新建问卷").click()
    page.get_by_label("问卷标题").fill("“一件事一次办”政策知晓度调查")
    page.get_by_label("调查目的").select_option(label="政策知晓度")
    page.get_by_label("调查区划").select_option(label=owner.region.name)
    page.get_by_label("问卷说明（选填）").fill("为了解新政策的知晓情况，请您花两分钟填写。本问卷匿名填写。")
    page.get_by_role("button", name="创建并添加题目").click()
    add_question(
        page, "单选题", "您是否了解“一件事一次办”政策？", required=True, choices="非常了解\n听说过\n不了解"
    )
    add_question(
        page,
        "多选题",
        "您通过哪些渠道了解到该政策？",
        required=False,
        choices="大厅宣传\n政务服务网\n朋友介绍",
    )
    add_question(page, "1–5 分量表", "您对办事便利程度的评分", required=True)
    add_question(page, "填空题（文字）", "您的意见和建议", required=False)
    add_question(page, "联系电话（个人信息）", "联系电话（愿意接受回访时填写）", required=False)
    # The last question moves up one place, then back: the order is the office's.
    page.get_by_role("button", name="第 5 题上移").click()
    page.get_by_role("button", name="第 4 题下移").click()
    expect(page.locator(".qn-question").nth(4)).to_contain_text("联系电话")
    docs_screenshot(page, "questionnaire-builder")
    page.get_by_role("button", name="发布问卷").click()
    expect(page.get_by_text("问卷已发布")).to_be_visible()
    return page.locator("a.qn-link").inner_text()


def answer_in_chromium(browser, link: str, n: int, *, care: bool = False, shoot: str = "") -> None:
    context = browser.new_context(locale="zh-CN", viewport=PHONE, java_script_enabled=False)
    if care:
        context.add_cookies([{"name": COOKIE, "value": "1", "url": link}])
    phone = context.new_page()
    violations: list[str] = []
    phone.on("console", lambda m: violations.append(m.text) if "Security Policy" in m.text else None)
    phone.goto(link)
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    if shoot:
        docs_screenshot(phone, shoot)
        # The MIIT 适老化 numbers the rating pages are held to (evaluations.care, tests/accessibility).
        assert measure(phone, care=care) == []
        assert phone.locator("html").get_attribute("class") == ("care" if care else None)
    phone.get_by_text(["非常了解", "听说过", "不了解"][n % 3], exact=True).click()
    phone.get_by_text("政务服务网", exact=True).click()
    phone.get_by_text(f"{5 - n % 2} 分", exact=True).click()
    phone.get_by_label(re.compile("您的意见和建议")).fill(f"第{n}位：希望增加夜间窗口")
    if n == 0:
        phone.get_by_label(re.compile("联系电话")).fill("13812345678")
    phone.get_by_role("button", name="提交问卷").click()
    expect(phone.get_by_role("heading", name="感谢您的参与")).to_be_visible()
    assert violations == []
    context.close()


def answer_over_http(link: str, n: int) -> None:
    """What a phone without JavaScript sends: GET the page (CSRF cookie), POST the form back."""
    with requests.Session() as session:
        html = session.get(link, timeout=30).text
        fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html))
        radios = re.findall(r'<input type="radio" name="(q\d+)" value="(\d+)"', html)
        by_name: dict[str, list[str]] = {}
        for name, value in radios:
            by_name.setdefault(name, []).append(value)
        single, scale = list(by_name)  # the choice question, then the scale (5 … 1)
        fields[single] = by_name[single][n % 3]
        fields[scale] = by_name[scale][n % 5]
        response = session.post(
            link, data=fields, headers={"Referer": link}, timeout=30, allow_redirects=False
        )
        assert response.status_code == 302, response.text[:500]


def test_an_office_publishes_a_questionnaire_and_30_answers_arrive(
    browser, page, live_server, owner, settings
):
    settings.PUBLIC_BASE_URL = live_server.url
    violations: list[str] = []  # the strict CSP (config/settings.py): no inline script or style anywhere
    page.on("console", lambda m: violations.append(m.text) if "Security Policy" in m.text else None)
    link = build_and_publish(page, live_server, owner)
    assert re.fullmatch(rf"{re.escape(live_server.url)}/s/[A-Za-z0-9_-]{{22}}/", link)

    answer_in_chromium(browser, link, 0, shoot="questionnaire-public")
    answer_in_chromium(browser, link, 1, care=True, shoot="questionnaire-public-care")
    for n in range(2, IN_BROWSER):
        answer_in_chromium(browser, link, n)
    for n in range(IN_BROWSER, TOTAL):
        answer_over_http(link, n)
    assert Submission.objects.count() == TOTAL

    questionnaire = Questionnaire.objects.get()
    page.goto(f"{live_server.url}/supervision/questionnaires/{questionnaire.pk}/results/")
    expect(page.locator("#submission-count")).to_have_text(str(TOTAL))
    expect(page.locator(".qn-result").first).to_contain_text(f"{TOTAL} 人作答")
    expect(page.locator(".qn-texts").first).to_contain_text("希望增加夜间窗口")
    expect(page.locator("body")).to_contain_text("138****5678")
    expect(page.locator("body")).not_to_contain_text("13812345678")
    docs_screenshot(page, "questionnaire-results")
    page.goto(f"{live_server.url}/supervision/questionnaires/{questionnaire.pk}/qr/")
    expect(page.locator(".qn-poster-qr svg")).to_be_visible()
    assert page.locator(".qn-poster-link").inner_text() == link
    screenshot(page, "questionnaire-qr-poster")

    download = page.request.get(
        f"{live_server.url}/supervision/questionnaires/{questionnaire.pk}/export.xlsx"
    )
    book = load_workbook(BytesIO(download.body()))
    results = {row[0]: row[1] for row in book["结果"].iter_rows(values_only=True) if row[0]}
    assert results["答卷数"] == TOTAL
    assert len(list(book["答卷"].iter_rows(values_only=True))) == 1 + TOTAL

    # Closed: the link now says so.
    page.goto(f"{live_server.url}/supervision/questionnaires/{questionnaire.pk}/")
    page.get_by_role("button", name="结束问卷").click()
    expect(page.get_by_text("问卷已结束，不再接受新的答卷。")).to_be_visible()
    closed = requests.get(link, timeout=30)
    assert closed.status_code == 410 and "本问卷已结束" in closed.text
    assert violations == []
