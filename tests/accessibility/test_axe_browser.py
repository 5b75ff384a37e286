"""axe-core on every page type, citizen, public and staff, in Chromium: 0 serious or critical
violations (WCAG 2.1 AA as axe checks it, which is also what 《信息技术 互联网内容无障碍可访问性技术
要求与测试方法》GB/T 37668 asks). Moderate and minor findings are listed in the summary at the end of
the run (tests/accessibility/report.py) rather than failing it."""

import pytest

from evaluations.care import COOKIE

from ..helpers import login
from .axe import axe_check

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("november_2026", "own_counters"),
]

PASSWORD = "pw-for-tests-1"  # tests/conftest.py's users


def check_all(page, live_server, pages: dict[str, str], prefix: str) -> dict[str, list[str]]:
    problems = {}
    for name, path in pages.items():
        response = page.goto(live_server.url + path)
        assert response.status < 500, (name, response.status)
        assert name == "login" or "/accounts/login/" not in page.url, f"{name}: not signed in"
        blocking = axe_check(page, f"{prefix}{name}")
        if blocking:
            problems[name] = blocking
    return problems


@pytest.mark.parametrize("care", [False, True], ids=["normal", "care"])
def test_gbt37668_citizen_and_public_pages_have_no_serious_axe_violations(
    browser, live_server, citizen_pages, care
):
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    if care:
        context.add_cookies([{"name": COOKIE, "value": "1", "url": live_server.url}])
    try:
        problems = check_all(context.new_page(), live_server, citizen_pages, "care " if care else "")
    finally:
        context.close()
    assert not problems, problems


def test_gbt37668_staff_pages_have_no_serious_axe_violations(
    page, live_server, owner, sysadmin, open_order, revisiting_order, published_circular, org
):
    problems = check_all(page, live_server, {"login": "/accounts/login/"}, "")
    login(page, live_server, owner.username, PASSWORD)
    office = {
        "home": "/",
        "inbox": "/orders/",
        "order-detail": f"/orders/{open_order.number}/",
        "board": "/orders/board/",
        "dashboard": "/reports/",
        "rankings": "/reports/rankings/",
        "circulars": "/reports/circulars/",
        "circular": f"/reports/circulars/{published_circular.pk}/",
        "revisits": "/reports/revisits/",
        "exports": "/reports/exports/",
        "flags": "/reviews/flags/",
        "desk": "/desk/",
        "devices": "/devices/",
        "window-clerk": f"/devices/window/{org['zhanggong']['window'].code}/",
    }
    problems |= check_all(page, live_server, office, "")
    page.context.clear_cookies()
    login(page, live_server, sysadmin.username, PASSWORD)
    admin = {"admin": "/admin/", "admin-ratings": "/admin/evaluations/evaluation/", "api-docs": "/api/docs"}
    problems |= check_all(page, live_server, admin, "")
    assert not problems, problems
