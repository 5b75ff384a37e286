"""The managers' dashboard at /reports/: the month's figures, charts from the rollups, 堵点 and overdue
orders, always within the reader's data scope, and never an evaluator's name or phone number."""

import datetime as dt
import re
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import timezone

from evaluations.models import Evaluation, Role, Tag, User
from reporting.rankings import Scope, scale_for
from reporting.scoring import Totals, figures
from workorders.models import State, WorkOrder

from .reporting_fixtures import OCTOBER, TZ, order, rate, rebuild

pytestmark = [pytest.mark.django_db, pytest.mark.calendar, pytest.mark.usefixtures("november_2026")]

URL = reverse("reporting:dashboard")
SVG = "{http://www.w3.org/2000/svg}"
SECRET_NAME = "欧阳秘名"
SECRET_PHONE = "13812345678"


def bad_with_identity(side: dict, grade: int, *, tags: list[str], comment: str) -> Evaluation:
    """A real-name bad review that carries the evaluator's name and phone (which must never be shown)."""
    return Evaluation.objects.create(
        target="matter", grade=grade, kind="active", validity="valid", channel="phone", rated_at=OCTOBER,
        matter=side["matter"], staff=side["staff"], window=side["window"], department=side["department"],
        region=side["department"].region, real_name=True, evaluator_name=SECRET_NAME,
        evaluator_phone=SECRET_PHONE, tags=tags, comment=comment,
    )  # fmt: skip


@pytest.fixture
def october(org) -> dict:
    """章贡区, October 2026: 12 ratings (2 bad), one 未评, two work orders; a few ratings in August."""
    side = org["zhanggong"]
    for _ in range(6):
        rate(side, 5, channel="qr")
    for _ in range(2):
        rate(side, 4, channel="device")
    rate(side, 3, channel="pc")
    rate(side, 4, kind="default", channel="default")
    rate(side, None, kind="unevaluated", channel="default")
    worst = bad_with_identity(side, 1, tags=["M1-01", "M1-02"], comment="")
    order(worst, state=State.CLOSED, rectified=True, revisit="satisfied")
    comment = "材料一次没讲清，跑了三趟。请回电13912345678"
    unhappy = bad_with_identity(side, 2, tags=["M1-01"], comment=comment)
    late = order(unhappy, state=State.HANDLING)
    WorkOrder.objects.filter(pk=late.pk).update(due=dt.date(2026, 11, 2))
    for _ in range(3):
        rate(side, 5, channel="mobile", at=dt.datetime(2026, 8, 10, 9, 0, tzinfo=TZ))
    return {"side": side, "late": late}


def page(client, user: User, **params) -> str:
    client.force_login(user)
    response = client.get(URL, {"period": "2026-10", **params})
    assert response.status_code == 200, response.content.decode()[:500]
    return response.content.decode()


def svgs(html: str) -> list[ET.Element]:
    return [ET.fromstring(block) for block in re.findall(r"<svg\b.*?</svg>", html, flags=re.S)]


def test_it_shows_the_months_figures_of_a_hand_made_data_set(client, owner, october):
    rebuild()
    html = page(client, owner, detail="1")
    assert "2026年10月" in html
    assert "75.0%" in html and "9 / 12" in html  # 好评率: grades 4-5 (one given by default) / rated
    assert "16.7%" in html and "2 / 12" in html  # 差评率
    assert "7.7%" in html and "1 / 13" in html  # 未评率: 未评 cases / settled cases
    assert "84.6%" in html and "11 / 13" in html  # 主动评价率: cases rated actively / settled cases
    assert "50.0%" in html and "1 / 2" in html  # 整改率 and 按期整改率
    assert "100.0%" in html  # 回访满意率 and 实名回访率: 1 / 1
    expected = figures(
        Totals(g1=1, g2=1, g3=1, g4=3, g5=6, defaults=1, unevaluated=1, orders=2, rectified=1, on_time=1,
               revisited=1, revisit_satisfied=1, realname_orders=2, realname_revisited=1, case_active=11),
        scale_for(Scope.for_user(owner)),
    )  # fmt: skip
    assert f"{expected.composite:.2f}" in html
    assert 'class="dash show-detail"' in html  # detail=1 shows numerator / denominator without JS


def test_it_hides_the_numerators_unless_asked(client, owner, october):
    rebuild()
    html = page(client, owner)
    assert 'class="dash"' in html and "show-detail" not in html
    assert 'title="2 / 12"' in html  # still on hover


def test_an_office_of_another_district_sees_none_of_it(client, outsider, october):
    rebuild()
    html = page(client, outsider, detail="1")
    assert "章贡区市场监督管理局" not in html
    assert "材料一次没讲清" not in html
    assert october["late"].number not in html
    assert "本月暂无评价" in html
    assert "截至今日，已逾期未整改的差评工单 <strong>0</strong> 件" in html


def test_a_department_handler_sees_their_own_department(client, colleague, october):
    rebuild()
    html = page(client, colleague)
    assert "材料一次没讲清" in html and october["late"].number in html


def test_the_trend_reads_the_rollups_not_the_raw_ratings(client, owner, october):
    html = page(client, owner)
    trend = html[html.index('id="chart-trend"') :]
    assert "评价 12 件" not in trend and "评价 3 件" not in trend
    rebuild()
    html = page(client, owner)
    trend = html[html.index('id="chart-trend"') :]
    assert "2026年10月：评价 12 件，差评 2 件" in trend
    assert "2026年8月：评价 3 件，差评 0 件" in trend
    assert "2025年11月：评价 0 件" in trend  # twelve months, ending with the selected one


def test_the_top_bad_review_tag_appears_with_its_count(client, owner, october):
    rebuild()
    html = page(client, owner)
    top = Tag.objects.get(code="M1-01").text
    hot = html[html.index('id="dash-hot-h"') :]
    assert top in hot
    assert re.search(re.escape(top) + r" <b>2</b>", hot)  # by department and by matter: 2 bad reviews
    assert "材料一次没讲清，跑了三趟。" in hot  # the latest bad comment


def test_no_evaluator_name_or_phone_reaches_the_page(client, owner, october):
    rebuild()
    html = page(client, owner, detail="1")
    assert SECRET_NAME not in html
    assert SECRET_PHONE not in html and "138****5678" not in html
    assert "13912345678" not in html and "139****5678" in html  # a number typed in the comment is masked


@pytest.mark.parametrize("bad", ["2026-13", "abc", "2026-Q4", "2026", "0000-01", "9999-12", "2026-1"])
def test_a_bad_period_gets_a_chinese_error_beside_the_field(client, owner, bad):
    client.force_login(owner)
    response = client.get(URL, {"period": bad})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="period-error"' in html
    error = re.search(r'id="period-error"[^>]*>(.*?)</p>', html, flags=re.S)[1]
    assert re.search(r"[\u4e00-\u9fff]", error)
    assert "<svg" not in html


def test_without_a_period_it_shows_the_current_month(client, owner, org):
    client.force_login(owner)
    response = client.get(URL)
    assert response.status_code == 200
    today = timezone.localdate()
    assert f"{today.year}年{today.month}月" in response.content.decode()


def test_every_chart_is_valid_svg_with_a_title_and_a_label(client, owner, october):
    rebuild()
    charts = svgs(page(client, owner))
    assert {c.get("id") for c in charts} == {"chart-trend", "chart-grades", "chart-channels", "chart-tags"}
    for chart in charts:
        assert chart.tag == f"{SVG}svg"
        assert chart.get("viewBox", "").startswith("0 0 ")
        assert chart.get("role") == "img" and chart.get("aria-label")
        assert chart.find(f"{SVG}title").text == chart.get("aria-label")
    grades = next(c for c in charts if c.get("id") == "chart-grades")
    labels = [t.text for t in grades.iter(f"{SVG}text")]
    assert labels[0] == "非常满意" and "6（50.0%）" in labels
    channels = next(c for c in charts if c.get("id") == "chart-channels")
    assert "二维码" in [t.text for t in channels.iter(f"{SVG}text")]


def test_empty_charts_are_valid_svg_too(client, owner, org):
    for chart in svgs(page(client, owner)):
        assert chart.find(f"{SVG}title").text


def test_overdue_orders_link_to_their_detail_page(client, owner, october):
    html = page(client, owner)
    number = october["late"].number
    assert f'href="/orders/{number}/"' in html
    assert "截至今日，已逾期未整改的差评工单 <strong>1</strong> 件" in html


def test_it_is_for_report_readers_only(client, owner, org):
    assert client.get(URL).status_code == 302
    hotline = User.objects.create_user(username="agent", password="x-pw-12345", role=Role.HOTLINE)
    client.force_login(hotline)
    assert client.get(URL).status_code == 403


def test_its_query_count_does_not_grow_with_the_data(client, owner, october, django_assert_max_num_queries):
    rebuild()
    client.force_login(owner)
    with django_assert_max_num_queries(20):
        assert client.get(URL, {"period": "2026-10"}).status_code == 200
