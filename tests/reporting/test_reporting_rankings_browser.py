"""The rankings page in a real Chromium: a city office reads October's department ranking and shows
every figure's numerator and denominator."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from evaluations.models import Department, Policy, Preset, Role, ServiceMatter, Staff, User

from ..helpers import docs_screenshot, login, make_uscc
from .reporting_fixtures import TZ, order, rate, rebuild

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.calendar,
    pytest.mark.usefixtures("november_2026"),
]

MONTHS = [dt.datetime(2026, month, 14, 10, 0, tzinfo=TZ) for month in (8, 9, 10)]
# Department name and its grades in each of August, September, October (grade 1-5 per rating).
DEPARTMENTS = {
    "zhanggong": [
        ("章贡区市场监督管理局", [5] * 7 + [4] * 3),
        ("章贡区税务局", [5] * 5 + [4] * 4 + [2]),
        ("章贡区人力资源和社会保障局", [5] * 4 + [4] * 4 + [3] * 2),
        ("章贡区医疗保障局", [5] * 2 + [3] * 2),  # below the minimum sample
    ],
    "nankang": [
        ("南康区市场监督管理局", [5] * 6 + [4] * 3 + [3]),
        ("南康区不动产登记中心", [5] * 3 + [4] * 3 + [3] * 2 + [1, 2]),
        ("南康区公安分局", [4] * 5 + [3] * 3 + [1, 2]),
    ],
}


@pytest.fixture
def ranking_data(regions, org) -> None:
    Policy.from_preset(Preset.GANZHOU, region=regions["city"], min_sample=5).save()
    number = 20
    for key, departments in DEPARTMENTS.items():
        base = org[key]
        for name, grades in departments:
            number += 1
            region = base["department"].region
            department = Department.objects.create(
                name=name, code=make_uscc(region.code, number), region=region
            )
            side = {
                **base,
                "department": department,
                "staff": Staff.objects.create(
                    name=f"工作人员{number}", staff_no=f"S-{number}", department=department
                ),
                "matter": ServiceMatter.objects.create(
                    code=f"M-{number}", name="事项", department=department
                ),
            }
            for month_index, at in enumerate(MONTHS):
                shift = 2 * ((number + month_index) % 3 - 1)  # rankings move a little from month to month
                for position, grade in enumerate(grades):
                    grade = max(1, min(5, grade + (shift if position < 3 else 0)))
                    evaluation = rate(
                        side, grade, at=at, real_name=grade <= 2, tags=["态度"] if grade <= 2 else []
                    )
                    if grade <= 2:
                        order(
                            evaluation,
                            rectified=position % 2 == 0,
                            revisit="satisfied" if position % 2 == 0 else "",
                        )
                rate(side, None, kind="unevaluated", at=at)
    rebuild()
    User.objects.create_user(
        username="office_city",
        password="pw-for-tests-1",
        name="赣州市管理办",
        role=Role.OFFICE,
        region=regions["city"],
    )


def test_a_city_office_reads_the_ranking_and_shows_the_numerators(page, live_server, ranking_data):
    login(page, live_server, "office_city", "pw-for-tests-1")
    page.goto(f"{live_server.url}/reports/rankings/?level=department&period=2026-10")

    expect(page.get_by_role("heading", name="2026年10月部门排名")).to_be_visible()
    table = page.locator("table.rk-table").first
    expect(table.locator("tbody tr")).to_have_count(6)
    expect(page.get_by_role("heading", name="样本不足，不参与排名（少于 5 条评价）")).to_be_visible()
    expect(page.locator(".rk-unranked")).to_contain_text("章贡区医疗保障局")
    expect(page.locator(".rk-badge").first).to_have_text("连续靠后")
    detail = table.locator(".fig-detail").first
    expect(detail).to_be_hidden()

    page.get_by_label("显示分子分母").check()
    expect(page.locator("#rk-tables")).to_have_class("rk-tables show-detail")
    expect(detail).to_be_visible()
    assert "detail=1" in page.url

    page.get_by_role("link", name="差评率").click()
    expect(page.locator("th[aria-sort='descending']")).to_contain_text("差评率")
    expect(page.locator("#rk-tables")).to_have_class("rk-tables show-detail")  # kept through the sort link
    page.get_by_role("link", name="名次", exact=True).click()
    expect(table.locator("tbody tr").first.locator("td").first).to_have_text("1")

    docs_screenshot(page, "reports-rankings")
