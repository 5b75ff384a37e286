"""The managers' dashboard in a real Chromium: a city office opens /reports/, reads the month's figures and
charts, switches on numerators / denominators, and the page is saved for docs/screenshots/."""

import datetime as dt
import random

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from evaluations.models import Evaluation, Role, ServiceMatter, User
from workorders.models import State, WorkOrder

from ..helpers import docs_screenshot, login
from .reporting_fixtures import TZ, order, rebuild

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.calendar,
    pytest.mark.usefixtures("november_2026"),
]

CHANNELS = ["qr", "qr", "device", "device", "device", "mobile", "pc", "kiosk", "phone", "paper"]
COMPLAINTS = {  # per grade: tags of that grade (Tianjin annex) and a comment, or none
    1: [
        (["M1-01"], "材料清单和窗口说的不一样，来回跑了三趟。"),
        (["M1-02", "M1-06"], "让补一份办事指南里没有的证明，又多跑了两个部门。"),
        (["M1-03"], "承诺5个工作日办结，已经过去半个月了。"),
        (["M1-06"], ""),
    ],
    2: [
        (["M2-02"], "没有材料清单，只能一样一样问。"),
        (["M2-06"], "网上预约了，到大厅还要重新取号排队一个多小时。"),
        (["M2-05", "M2-02"], ""),
        (["M2-04"], "同一份营业执照复印件交了三次。"),
    ],
}


def _month(first: dt.date, back: int) -> dt.date:
    index = first.year * 12 + first.month - 1 - back
    return dt.date(index // 12, index % 12 + 1, 1)


def _dataset(org: dict) -> None:
    """A year of ratings for the two districts, with seasonal swings, bad reviews and open orders."""
    rnd = random.Random(20261015)
    extra = ServiceMatter.objects.create(
        code="M-food", name="食品经营许可", department=org["zhanggong"]["department"]
    )
    rows, bad = [], []
    for back in range(12):
        month = _month(dt.date(2026, 10, 1), back)
        for key, size in (("zhanggong", 60), ("nankang", 35)):
            side = org[key]
            for n in range(size + rnd.randint(-15, 25) - back):
                grade = rnd.choices([5, 4, 3, 2, 1], weights=[60, 24, 9, 4, 3])[0]
                at = dt.datetime(month.year, month.month, 1 + n % 27, 9 + n % 8, 0, tzinfo=TZ)
                matter = extra if key == "zhanggong" and n % 3 == 0 else side["matter"]
                tags, comment = rnd.choice(COMPLAINTS[grade]) if grade <= 2 else ([], "")
                row = Evaluation(
                    target="matter", grade=grade, kind="active", validity="valid",
                    channel=rnd.choice(CHANNELS), rated_at=at, matter=matter, staff=side["staff"],
                    window=side["window"], department=side["department"], region=side["department"].region,
                    tags=tags, comment=comment, real_name=grade <= 2 and n % 2 == 0,
                )  # fmt: skip
                (bad if grade <= 2 else rows).append(row)
            for n in range(rnd.randint(2, 6)):
                at = dt.datetime(month.year, month.month, 2 + n, 17, 0, tzinfo=TZ)
                kind = "default" if key == "nankang" else "unevaluated"
                timeout = Evaluation(
                    target="matter", grade=4 if kind == "default" else None, kind=kind, validity="valid",
                    channel="default", rated_at=at, matter=side["matter"], department=side["department"],
                    region=side["department"].region,
                )  # fmt: skip
                rows.append(timeout)
    Evaluation.objects.bulk_create(rows)
    today = timezone.localdate()
    for i, evaluation in enumerate(Evaluation.objects.bulk_create(bad)):
        recent = evaluation.rated_at >= dt.datetime(2026, 9, 20, tzinfo=TZ)
        if recent and i % 2 == 0:
            late = order(evaluation, state=State.HANDLING if i % 4 else State.DISPATCHED)
            WorkOrder.objects.filter(pk=late.pk).update(due=today - dt.timedelta(days=3 + i % 19))
        else:
            order(evaluation, state=State.CLOSED, rectified=True, on_time=i % 5 != 0,
                  revisit="satisfied" if i % 6 else "dissatisfied")  # fmt: skip
    rebuild(dt.date(2025, 11, 1), dt.date(2026, 10, 31))


def test_a_city_office_reads_the_dashboard(page, live_server, regions, org):
    _dataset(org)
    User.objects.create_user(
        username="office_city", password="pw-for-tests-1", name="赣州市政务服务管理办公室",
        role=Role.OFFICE, region=regions["city"],
    )  # fmt: skip
    login(page, live_server, "office_city", "pw-for-tests-1")
    page.goto(f"{live_server.url}/reports/?period=2026-10")
    expect(page.get_by_role("heading", name="统计分析 · 2026年10月")).to_be_visible()
    expect(page.get_by_role("img", name="近12个月评价数与差评率（截至2026年10月）")).to_be_visible()
    expect(page.get_by_role("img", name="2026年10月评价等级分布")).to_be_visible()
    expect(page.locator("#dash-hot-h")).to_have_text("堵点分析")
    expect(page.locator(".dash-hot").first).to_contain_text("章贡区市场监督管理局")

    # Numerators and denominators: hidden, then shown by the toggle (a plain GET, no script needed).
    detail = page.locator(".dash-figures .fig-detail").first
    expect(detail).to_be_hidden()
    page.get_by_label("显示分子分母").check()
    page.get_by_role("button", name="查看").click()
    expect(page).to_have_url(f"{live_server.url}/reports/?period=2026-10&detail=1")
    expect(page.locator(".dash-figures .fig-detail").first).to_be_visible()

    # An overdue order opens its detail page.
    first = page.locator(".dash-table a[href^='/orders/']").first
    expect(first).to_be_visible()
    docs_screenshot(page, "reports-dashboard")
    first.click()
    expect(page.get_by_role("heading", name="工单 CPTEST", exact=False)).to_be_visible()
