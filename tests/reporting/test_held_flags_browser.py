"""The review queue and the held count in a real Chromium (issue 12.3): a city office reviews the
burst-flagged ratings, rules two 刷评 (one already counting, one still held), and the ranking loses the
ruled one and says how many are still held ("自愿真实", Tianjin art. 4; 51号 五(二) 排除恶意差评)."""

import datetime as dt

import pytest
import time_machine
from playwright.sync_api import expect

from evaluations.models import Evaluation, FlagReview, Policy, Preset, Role, User
from reporting.rollups.build import rollup_refresh

from ..db_roles import as_owner
from ..helpers import docs_screenshot, login
from .reporting_fixtures import TZ, rate

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.calendar,
]

FRIDAY = dt.datetime(2026, 11, 6, 10, 0, tzinfo=TZ)  # Friday 6 November 2026
MONDAY = dt.datetime(2026, 11, 2, 16, 0, tzinfo=TZ)
ZHANGGONG = "章贡区市场监督管理局"


@pytest.fixture(autouse=True)
def friday():
    with time_machine.travel(FRIDAY, tick=True):
        yield


def at(base: dt.datetime, seconds: int) -> dt.datetime:
    return base + dt.timedelta(seconds=seconds)


def flag(evaluation: Evaluation, reason: str, address: str) -> Evaluation:
    with as_owner():  # intake sets the flag at INSERT; the app role may not change it afterwards
        Evaluation.objects.filter(pk=evaluation.pk).update(
            flagged=True, flag_reason=reason, ip_address=address
        )
    return evaluation


def from_address(evaluation: Evaluation, address: str) -> None:
    with as_owner():  # likewise the source address
        Evaluation.objects.filter(pk=evaluation.pk).update(ip_address=address)


@pytest.fixture
def queue_data(regions, org) -> dict:
    Policy.from_preset(Preset.GANZHOU, region=regions["city"], min_sample=5).save()
    here, there = org["zhanggong"], org["nankang"]
    for position, grade in enumerate([4, 4, 3, 5, 4, 3]):
        rate(here, grade, at=at(MONDAY, -3600 + 60 * position))
    # Monday 16:00: three ratings from one address, the fourth flagged; its hold ended on Thursday.
    for seconds in (0, 20, 40):
        from_address(rate(here, 5, at=at(MONDAY, seconds)), "10.1.2.3")
    counting = flag(rate(here, 5, at=at(MONDAY, 55)), "同一地址 2 分钟内评价超过 3 次", "10.1.2.3")
    # This morning: five ratings at the window within two minutes, then three more flagged (held).
    morning = dt.datetime(2026, 11, 6, 9, 30, tzinfo=TZ)
    for seconds in range(0, 100, 20):
        from_address(rate(here, 5, at=at(morning, seconds)), "10.8.8.8")
    held = [
        flag(rate(here, 5, at=at(morning, 100 + 5 * n)), "同一窗口 2 分钟内评价超过 5 次", "10.8.8.8")
        for n in range(3)
    ]
    for position, grade in enumerate([5, 5, 4, 4, 4, 3, 5, 2]):
        rate(there, grade, at=at(MONDAY, 60 * position))
    rollup_refresh()
    User.objects.create_user(
        username="office_city",
        password="pw-for-tests-1",
        name="赣州市管理办",
        role=Role.OFFICE,
        region=regions["city"],
    )
    return {"counting": counting, "held": held}


def sample_of(page, name: str) -> int:
    row = page.locator("table.rk-table tbody tr", has_text=name)
    return int(row.locator("td").nth(4).inner_text())


def test_an_office_reviews_the_queue_and_the_ranking_shows_ruled_and_held(page, live_server, queue_data):
    counting, held = queue_data["counting"], queue_data["held"]
    login(page, live_server, "office_city", "pw-for-tests-1")
    page.goto(f"{live_server.url}/reports/rankings/?level=department&period=2026-11")
    before = sample_of(page, ZHANGGONG)
    assert before == 15  # 6 + 3 + the counting flag + 5 this morning; the 3 held are not in it
    expect(page.locator(".rk-flags")).to_have_text("3 条待核查评价暂缓计入")

    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="待核查评价").click()
    expect(page.get_by_role("heading", name="待核查评价", exact=True)).to_be_visible()
    expect(page.locator("article.fl-item")).to_have_count(4)
    old = page.locator(f"#flag-{counting.pk}")
    expect(old.locator(".fl-state")).to_have_text("暂缓期已过，已计入统计")
    expect(old.locator(".fl-neighbours tbody tr")).to_have_count(3)
    first_held = page.locator(f"#flag-{held[0].pk}")
    expect(first_held.locator(".fl-state")).to_have_text("暂缓计入，未核查将于 11月11日 起自动计入")
    expect(first_held.locator(".fl-neighbours")).to_contain_text("同一窗口")
    docs_screenshot(page, "review-queue")

    # A ruling without a reason is refused beside the field, without JavaScript's help.
    old.get_by_role("button", name="认定刷评或恶意评价").click()
    error = page.locator(f"#id_flag-{counting.pk}-reason-error")
    expect(error).to_have_text("认定为刷评或恶意评价时，请填写认定理由。")
    assert not FlagReview.objects.exists()
    old = page.locator(f"#flag-{counting.pk}")
    old.get_by_label("理由").fill("同一地址 1 分钟内连续 4 次非常满意，经调取录像无对应办事人")
    old.get_by_role("button", name="认定刷评或恶意评价").click()
    expect(page.locator(".messages")).to_contain_text("已认定为刷评或恶意评价")
    first_held = page.locator(f"#flag-{held[0].pk}")
    first_held.get_by_label("理由").fill("窗口评价器旁有人连续扫码刷好评")
    first_held.get_by_role("button", name="认定刷评或恶意评价").click()
    expect(page.locator("article.fl-item")).to_have_count(2)

    page.get_by_role("link", name="核查记录").click()
    expect(page.locator("table.fl-decisions tbody tr")).to_have_count(2)
    expect(page.locator("table.fl-decisions")).to_contain_text("不计入任何统计")
    docs_screenshot(page, "review-decisions")

    rollup_refresh()  # what beat does every minute
    page.goto(f"{live_server.url}/reports/rankings/?level=department&period=2026-11")
    assert sample_of(page, ZHANGGONG) == before - 1  # the counting flag left; the held one never counted
    expect(page.locator(".rk-flags")).to_have_text("2 条待核查评价暂缓计入，2 条认定为刷评或恶意评价，不计入")
    row = page.locator("table.rk-table tbody tr", has_text=ZHANGGONG)
    expect(row.locator("td.rk-held")).to_have_text("2")
    docs_screenshot(page, "rankings-held")

    page.goto(f"{live_server.url}/reports/?period=2026-11")
    expect(page.locator(".dash-held")).to_have_text("另有 2 件待核查，暂缓计入")
    docs_screenshot(page, "dashboard-held")
