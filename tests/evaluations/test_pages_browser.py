"""The login page, the workbench and the admin in a real Chromium (Playwright)."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from evaluations.demo_data import DEMO_PASSWORD
from evaluations.models import Policy, Region
from evaluations.services.policies import policy_set
from evaluations.workdays import known_years

from ..helpers import docs_screenshot, login, screenshot

# serialized_rollback: the flush between live-server tests would otherwise drop the tags and
# holiday table that data migrations put in.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.calendar,
]


@pytest.fixture
def demo(transactional_db) -> None:
    call_command("seed_demo", months=0, verbosity=0)


def test_a_wrong_password_gets_a_chinese_message(page, live_server, demo):
    login(page, live_server, "office_city", "not-the-password")
    alert = page.get_by_role("alert")
    assert "用户名" in alert.inner_text() and "密码" in alert.inner_text()
    # The stylesheet is served by the app itself (no CDN): the header is the brand red.
    colour = page.locator("header.topbar").evaluate("e => getComputedStyle(e).backgroundColor")
    assert colour == "rgb(184, 28, 34)"
    screenshot(page, "login-error")


def test_an_office_logs_in_and_sees_its_scope(page, live_server, demo):
    login(page, live_server, "office_zhanggong", DEMO_PASSWORD)
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_role("heading", name="工作台").is_visible()
    assert "章贡区及下级" in page.inner_text("main")
    halls = page.locator(".stats li", has_text="服务大厅").locator("strong").inner_text()
    assert halls == "2"  # the district centre and the 水南镇 station, not the city centre
    screenshot(page, "workbench-office-zhanggong")


def test_the_admin_lists_departments_and_offers_excel_import(page, live_server, demo):
    login(page, live_server, "office_city", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/admin/evaluations/department/")
    assert page.get_by_role("link", name="赣州市市场监督管理局").is_visible()
    screenshot(page, "admin-departments")
    page.get_by_role("link", name="导入").click()
    assert "统一社会信用代码, 名称, 所属区划代码, 机构类型, 启用" in page.inner_text("#content")
    screenshot(page, "admin-department-import")


def test_the_calendar_admin_warns_about_a_missing_year(page, live_server, demo):
    login(page, live_server, "admin", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/admin/evaluations/workcalendar/")
    # This year and next are checked; the seed knows the years chinese-calendar knows (2004-2026).
    this_year = timezone.localdate().year
    known = known_years()
    assert 2026 in known and 2027 not in known
    for year in (this_year, this_year + 1):
        warning = page.get_by_text(f"{year} 年的节假日安排尚未录入")
        if year in known:
            assert not warning.count(), year
        else:
            assert warning.is_visible(), year
    assert page.get_by_role("link", name="2026").is_visible()  # the seeded years, by date hierarchy
    screenshot(page, "admin-calendar")


def test_the_policy_admin_marks_an_override_and_restores_it(page, live_server, demo):
    """A province follows 赣州办法 but ranks from 5 ratings: one override, marked and restorable."""
    policy = policy_set(region=Region.objects.get(code="360000000000"), preset="ganzhou")
    policy.min_sample = 5
    policy.save()
    login(page, live_server, "admin", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/admin/evaluations/policy/")
    page.get_by_role("link", name="江西省", exact=True).click()
    page.wait_for_url("**/change/")
    marker = page.locator(".field-min_sample strong.override")
    assert marker.is_visible() and marker.inner_text() == "⚠ 与预设不同（预设：10）"
    assert page.locator("strong.override").count() == 1  # only the one rule that differs
    assert "参与排名的最少评价数：5（预设 10）" in page.inner_text(".field-overrides_summary")
    docs_screenshot(page, "admin-policy-override")

    page.locator(".field-restore").get_by_label("参与排名的最少评价数").check()  # 恢复为预设
    page.get_by_role("button", name="保存", exact=True).click()
    page.wait_for_url("**/policy/")
    policy = Policy.objects.get(region__code="360000000000")
    assert (policy.min_sample, policy.overrides()) == (10, [])

    # Switching to 天津细则 takes every rule of it (art. 21: appeal within 1 working day, 未评).
    page.goto(f"{live_server.url}/admin/evaluations/policy/{policy.pk}/change/")
    page.get_by_label("依据:").select_option("tianjin")
    page.get_by_role("button", name="保存", exact=True).click()
    page.wait_for_url("**/policy/")
    policy.refresh_from_db()
    assert (policy.preset, policy.appeal_days, policy.invalid_outcome, policy.max_extensions) == (
        "tianjin", 1, "unevaluated", 0,
    )  # fmt: skip
    assert (policy.on_timeout, policy.overrides()) == ("unevaluated", [])
