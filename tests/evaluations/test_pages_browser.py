"""The login page, the workbench and the admin in a real Chromium (Playwright)."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from evaluations.demo_data import DEMO_PASSWORD
from evaluations.workdays import known_years

from ..helpers import login, screenshot

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
