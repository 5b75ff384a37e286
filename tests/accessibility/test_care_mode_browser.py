"""关怀模式 (长辈版) on every page a citizen or the public opens, measured in Chromium.

The MIIT 适老化 rules as the issue states them (numbers in evaluations.care): main text ≥ 18 px
(≥ 24 px in care mode), line height ≥ 1.3, tap targets ≥ 44 × 44 px (≥ 60 × 60 px), no horizontal
scrolling, no pop-ups; the switch is visible at the top and remembered without a login.
Each page type is measured at 390 px and 1280 px, normal and care mode; the table of results is
printed at the end of the run (tests/accessibility/report.py).
"""

import pytest

from evaluations.care import COOKIE

from ..helpers import docs_screenshot
from .measure import measure
from .report import RESULTS

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("november_2026", "own_counters"),
]

SIZES = {"390": {"width": 390, "height": 844}, "1280": {"width": 1280, "height": 800}}


def open_page(browser, live_server, path: str, *, width: str, care: bool):
    context = browser.new_context(locale="zh-CN", viewport=SIZES[width])
    if care:
        context.add_cookies([{"name": COOKIE, "value": "1", "url": live_server.url}])
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    response = page.goto(live_server.url + path)
    return context, page, response, dialogs


@pytest.mark.parametrize("care", [False, True], ids=["normal", "care"])
@pytest.mark.parametrize("width", list(SIZES))
def test_miit_ageing_rules_hold_on_every_citizen_and_public_page(
    browser, live_server, citizen_pages, width, care
):
    problems = {}
    for name, path in citizen_pages.items():
        context, page, response, dialogs = open_page(browser, live_server, path, width=width, care=care)
        try:
            assert response.status < 500
            assert page.locator("html").get_attribute("class") == ("care" if care else None), name
            findings = measure(page, care=care)
            if width == "390" and name in ("case", "public-region"):
                docs_screenshot(page, f"care-{name}-{'care' if care else 'normal'}")
            RESULTS.append((name, width, "care" if care else "normal", findings))
            if findings or dialogs:
                problems[name] = [*findings, *dialogs]
        finally:
            context.close()
    assert not problems, problems


def test_the_switch_is_at_the_top_and_remembered_across_pages(browser, live_server, citizen_pages):
    context, page, _response, _dialogs = open_page(
        browser, live_server, citizen_pages["case"], width="390", care=False
    )
    try:
        switch = page.get_by_role("link", name="长辈版（大字）")
        assert switch.bounding_box()["y"] < 80  # in the header, seen before anything else
        switch.click()
        page.wait_for_load_state()
        assert page.url == live_server.url + citizen_pages["case"]  # back on the same signed link
        assert page.locator("html").get_attribute("class") == "care"
        body_size = page.evaluate(
            "parseFloat(getComputedStyle(document.querySelector('main p, main h1')).fontSize)"
        )
        assert body_size >= 24
        page.goto(live_server.url + citizen_pages["public-region"])  # another part of the site, same phone
        assert page.locator("html").get_attribute("class") == "care"
        page.get_by_role("link", name="切换到标准版").click()
        page.wait_for_load_state()
        assert page.locator("html").get_attribute("class") is None
        assert page.url == live_server.url + citizen_pages["public-region"]
    finally:
        context.close()


def test_the_switch_never_leaves_the_site(client):
    response = client.get("/care/", {"on": "1", "next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] == "/public/"
    assert response.cookies[COOKIE].value == "1"
    off = client.get("/care/", {"on": "0", "next": "/public/region/1/"})
    assert off["Location"] == "/public/region/1/" and off.cookies[COOKIE].value == ""
