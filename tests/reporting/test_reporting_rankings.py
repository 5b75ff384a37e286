"""The rankings page, /reports/rankings/: scope, minimum sample, ties, movement, "连续靠后", sorting."""

import datetime as dt

import pytest
from django.urls import reverse

from evaluations.models import Department, Policy, Preset, Role, ServiceMatter, Staff, User

from ..helpers import make_uscc
from .reporting_fixtures import OCTOBER, TZ, rate, rebuild

pytestmark = [pytest.mark.django_db, pytest.mark.calendar, pytest.mark.usefixtures("november_2026")]

URL = reverse("reporting:rankings")
SEPTEMBER = dt.datetime(2026, 9, 15, 10, 0, tzinfo=TZ)
AUGUST = dt.datetime(2026, 8, 14, 10, 0, tzinfo=TZ)


@pytest.fixture
def policy(regions) -> Policy:
    """The city's rules: ranked from 2 ratings, "low" = the last place 3 months running."""
    policy = Policy.from_preset(
        Preset.GANZHOU, region=regions["city"], min_sample=2, low_rank_bottom=1, low_rank_periods=3
    )
    policy.save()
    return policy


@pytest.fixture
def sides(org, policy) -> dict:
    """The org fixture's two districts plus a second 章贡区 department (its tax bureau)."""
    zhanggong = org["zhanggong"]
    region = zhanggong["department"].region
    tax = Department.objects.create(name="章贡区税务局", code=make_uscc(region.code, 7), region=region)
    zhanggong["window"].departments.add(tax)
    return {
        "amr": zhanggong,
        "tax": {
            **zhanggong,
            "department": tax,
            "staff": Staff.objects.create(
                name="李四", staff_no="S-tax", department=tax, window=zhanggong["window"]
            ),
            "matter": ServiceMatter.objects.create(code="M-tax", name="发票领用", department=tax),
        },
        "nankang": org["nankang"],
    }


@pytest.fixture
def city_office(regions, org) -> User:
    return User.objects.create_user(
        username="city", password="pw-for-tests-1", name="市管理办", role=Role.OFFICE, region=regions["city"]
    )


def ratings(side: dict, *grades: int, at: dt.datetime = OCTOBER) -> None:
    for grade in grades:
        rate(side, grade, at=at)


def ranking_of(client, user: User, **params):
    client.force_login(user)
    response = client.get(URL, {"period": "2026-10", **params})
    assert response.status_code == 200
    return response


def ranked(response) -> list[tuple[str, int | None]]:
    return [(row.name, row.rank) for row in response.context["rows"]]


def test_an_office_sees_only_the_departments_of_its_own_district(client, sides, owner, outsider):
    ratings(sides["amr"], 5, 5)
    ratings(sides["tax"], 4, 4)
    ratings(sides["nankang"], 5, 5)
    rebuild()

    names = [name for name, _rank in ranked(ranking_of(client, owner))]
    assert names == ["章贡区市场监督管理局", "章贡区税务局"]
    response = ranking_of(client, outsider)
    assert [name for name, _rank in ranked(response)] == ["南康区市场监督管理局"]
    assert "章贡区" not in response.content.decode()


def test_a_department_user_sees_only_its_own_department(client, sides, colleague):
    ratings(sides["amr"], 5, 5)
    ratings(sides["tax"], 4, 4)
    rebuild()

    assert ranked(ranking_of(client, colleague)) == [("章贡区市场监督管理局", 1)]


def test_units_below_the_minimum_sample_are_listed_apart_and_not_ranked(client, sides, owner):
    ratings(sides["amr"], 5, 5, 5)
    ratings(sides["tax"], 1)
    rebuild()

    response = ranking_of(client, owner)
    assert ranked(response) == [("章贡区市场监督管理局", 1)]
    assert [(row.name, row.rank) for row in response.context["unranked"]] == [("章贡区税务局", None)]
    html = response.content.decode()
    assert "样本不足，不参与排名（少于 2 条评价）" in html
    assert html.index("样本不足") < html.index("章贡区税务局")


def test_equal_composites_share_a_rank_and_the_next_rank_is_skipped(client, sides, city_office):
    ratings(sides["amr"], 5, 4)
    ratings(sides["tax"], 4, 5)
    ratings(sides["nankang"], 3, 3)
    rebuild()

    response = ranking_of(client, city_office)
    assert ranked(response) == [("章贡区市场监督管理局", 1), ("章贡区税务局", 1), ("南康区市场监督管理局", 3)]
    first = response.context["rows"][0].figures
    assert first.composite == 100.0 and first.bad_rate.value == 0


def test_the_previous_periods_rank_and_the_movement_are_shown(client, sides, city_office):
    ratings(sides["amr"], 3, 3, at=SEPTEMBER)
    ratings(sides["nankang"], 5, 5, at=SEPTEMBER)
    ratings(sides["amr"], 5, 5)
    ratings(sides["nankang"], 3, 3)
    rebuild()

    response = ranking_of(client, city_office)
    rows = {row.name: row for row in response.context["rows"]}
    assert (rows["章贡区市场监督管理局"].rank, rows["章贡区市场监督管理局"].previous_rank) == (1, 2)
    assert (rows["南康区市场监督管理局"].rank, rows["南康区市场监督管理局"].previous_rank) == (2, 1)
    html = response.content.decode()
    assert "↑1" in html and "↓1" in html


def test_the_last_place_three_months_running_is_flagged_consecutively_low(client, sides, city_office):
    for at in (AUGUST, SEPTEMBER, OCTOBER):
        ratings(sides["amr"], 5, 5, at=at)
        ratings(sides["nankang"], 2, 3, at=at)
    ratings(sides["tax"], 3, 3, at=SEPTEMBER)  # the tax bureau was last in September only
    ratings(sides["tax"], 1, 3, at=OCTOBER)
    rebuild()

    response = ranking_of(client, city_office)
    low = {row.name: row.low for row in response.context["rows"]}
    assert low == {"章贡区市场监督管理局": False, "南康区市场监督管理局": False, "章贡区税务局": False}
    assert "rk-badge" not in response.content.decode()

    ratings(sides["tax"], 1, 1, at=AUGUST)
    ratings(sides["tax"], 1, 2, 2, at=SEPTEMBER)
    rebuild()
    response = ranking_of(client, city_office)
    low = {row.name for row in response.context["rows"] if row.low}
    assert low == {"章贡区税务局"}
    row_html = next(part for part in response.content.decode().split("<tr") if "章贡区税务局" in part)
    assert '<span class="rk-badge">连续靠后</span>' in row_html


def test_any_column_sorts_both_ways_and_the_headers_are_links(client, sides, city_office):
    ratings(sides["amr"], 5, 5, 1)
    ratings(sides["tax"], 4, 4)
    ratings(sides["nankang"], 2, 2, 5)
    rebuild()

    worst_first = ranking_of(client, city_office, sort="-bad_rate")
    assert [row.name for row in worst_first.context["rows"]] == [
        "南康区市场监督管理局",
        "章贡区市场监督管理局",
        "章贡区税务局",
    ]
    by_sample = ranking_of(client, city_office, sort="sample")
    assert [row.sample for row in by_sample.context["rows"]] == [2, 3, 3]
    html = worst_first.content.decode()
    assert 'aria-sort="descending"' in html
    assert "sort=bad_rate" in html  # clicking the sorted column again turns the order round
    assert "sort=-composite" in html
    ignored = ranking_of(client, city_office, sort="password")  # an unknown column: the ranking order
    assert [row.rank for row in ignored.context["rows"]] == sorted(
        row.rank for row in ignored.context["rows"]
    )


def test_a_bad_period_shows_a_chinese_message_next_to_the_field(client, sides, owner):
    for period in ("2026-13", "October", "2026-Q5", "0000", "0001-01", "9999-12"):
        response = ranking_of(client, owner, period=period)
        assert response.context.get("ranking") is None
        errors = response.context["form"].errors["period"]
        assert errors and all(any("\u4e00" <= ch <= "\u9fff" for ch in error) for error in errors)
        assert errors[0] in response.content.decode()
    response = ranking_of(client, owner, level="planet")
    assert "排名对象无效" in response.content.decode()


def test_the_figures_carry_their_numerators_and_the_detail_toggle_works_without_javascript(
    client, sides, owner
):
    ratings(sides["amr"], 5, 4, 3, 1)
    rebuild()

    plain = ranking_of(client, owner).content.decode()
    assert 'class="rk-tables show-detail"' not in plain
    assert "detail=1" in plain and "显示分子分母" in plain
    detailed = ranking_of(client, owner, detail="1").content.decode()
    assert 'class="rk-tables show-detail"' in detailed
    assert "1 / 4" in detailed  # 差评率: one bad of four
    assert "28 / 4" in detailed  # quality: 10 + 10 + 8 + 0 points over four ratings


def test_region_level_ranks_the_districts_below_the_city(client, sides, city_office):
    ratings(sides["amr"], 5, 5)
    ratings(sides["nankang"], 3, 3)
    rebuild()

    response = ranking_of(client, city_office, level="region")
    assert ranked(response) == [("章贡区", 1), ("南康区", 2)]
    response = ranking_of(client, city_office, level="region", region_level="2")
    assert ranked(response) == [("赣州市", 1)]


def test_the_page_defaults_to_departments_of_the_last_complete_month(client, sides, owner):
    client.force_login(owner)
    response = client.get(URL)
    assert response.status_code == 200
    ranking = response.context["ranking"]
    assert ranking.level == "department" and ranking.period.kind == "month"
    html = response.content.decode()
    assert "综合评分怎么算" in html and "非常满意 10 分" in html


def test_readers_only(client, sides, people_of_no_report_role):
    client.force_login(people_of_no_report_role)
    assert client.get(URL).status_code == 403
    client.logout()
    assert client.get(URL).status_code == 302


@pytest.fixture
def people_of_no_report_role(regions) -> User:
    return User.objects.create_user(
        username="hotline", password="pw-for-tests-1", name="12345", role=Role.HOTLINE, region=regions["city"]
    )


def test_a_long_ranking_is_paged(client, sides, city_office, monkeypatch):
    monkeypatch.setattr("reporting.rankings.views.PAGE_SIZE", 2)
    ratings(sides["amr"], 5, 5)
    ratings(sides["tax"], 5, 3)
    ratings(sides["nankang"], 3, 3)
    rebuild()
    first = ranking_of(client, city_office)
    assert ranked(first) == [("章贡区市场监督管理局", 1), ("章贡区税务局", 2)]
    assert "第 1 / 2 页" in first.content.decode()
    second = ranking_of(client, city_office, page="2")
    assert ranked(second) == [("南康区市场监督管理局", 3)]
