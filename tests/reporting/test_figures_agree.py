"""The board, the dashboard and the rankings API give the same 按期整改率 and 回访满意率 (issue 13, 4(a)).

The rule (Ganzhou): 按期整改率 = 按期整改差评数 / 有效差评数, over the work orders of valid bad
reviews, so "an open order past its due date counts as late": it stays in the denominator and is not
on time. 回访满意率 = 回访满意 / 已整改 (approved). An order voided on appeal leaves both figures.
The board reads workorders/figures.py, the reports reporting/rollups/sql.py; this set is hand-counted.
The board is live and the reports count a rating period: every rating here is of October 2026, the
period asked for, and the moment is fixed at 20 November 2026 (the november_2026 fixture).
"""

import datetime as dt
import re

import pytest
from django.urls import reverse

from evaluations.models import Role, User
from evaluations.services.apikeys import apikey_create
from workorders import selectors
from workorders.models import State, WorkOrder

from .reporting_fixtures import TZ, order, rate, rebuild

pytestmark = [pytest.mark.django_db, pytest.mark.calendar, pytest.mark.usefixtures("november_2026")]

ZHANGGONG, NANKANG = "章贡区市场监督管理局", "南康区市场监督管理局"
# department: (按期整改, 有效差评, 回访满意, 已整改), counted by hand from the set below.
EXPECTED = {ZHANGGONG: (2, 6, 2, 3), NANKANG: (1, 2, 1, 1)}
TOTAL = (3, 8, 3, 4)


def october(day: int) -> dt.datetime:
    return dt.datetime(2026, 10, day, 10, 0, tzinfo=TZ)


@pytest.fixture
def bad_reviews(org) -> None:
    """章贡区: six valid bad reviews and one voided; 南康区: two valid bad reviews.

    ``order`` gives a due date 7 days after the rating and submits 3 days after it (on time) or 10
    days after it (late); today is 20 November, so an October due date has passed unless extended.
    """
    side = org["zhanggong"]
    order(rate(side, 1, at=october(5)), state=State.CLOSED, rectified=True, revisit="satisfied")
    order(rate(side, 2, at=october(6)), state=State.CLOSED, rectified=True, revisit="dissatisfied")
    # Rectified, but submitted three days after its due date: rectified and revisited, not on time.
    order(
        rate(side, 1, at=october(7)), state=State.CLOSED, rectified=True, on_time=False, revisit="satisfied"
    )
    # Open and overdue (due 22 October): counts as late.
    order(rate(side, 1, at=october(15)), state=State.HANDLING)
    # Open, extended to 27 November, not yet due: not on time yet either.
    extended = order(rate(side, 2, at=october(20)), state=State.HANDLING)
    WorkOrder.objects.filter(pk=extended.pk).update(due=dt.date(2026, 11, 27))
    # Submitted in time, still under the office's review: not rectified, so not on time yet.
    waiting = order(rate(side, 1, at=october(21)), state=State.REVIEWING)
    WorkOrder.objects.filter(pk=waiting.pk).update(submitted_at=october(23))
    # Voided on appeal (不予采纳): in no figure at all.
    order(rate(side, 1, at=october(8), validity="not_adopted"), state=State.VOIDED)

    other = org["nankang"]
    order(rate(other, 1, at=october(9)), state=State.CLOSED, rectified=True, revisit="satisfied")
    order(rate(other, 2, at=october(12)), state=State.HANDLING)  # overdue
    rebuild()


@pytest.fixture
def city_office(regions, org) -> User:
    """The 赣州市 management office: both departments on its board."""
    return User.objects.create_user(
        username="city", password="pw-for-tests-1", name="city", role=Role.OFFICE, region=regions["city"]
    )


def test_the_board_rows_count_an_overdue_open_order_as_not_on_time(city_office, bad_reviews):
    rows = {row.department: row for row in selectors.board(city_office)}
    assert set(rows) == set(EXPECTED)
    for name, (on_time, counted, satisfied, rectified) in EXPECTED.items():
        row = rows[name]
        counts = (row.on_time, row.counted, row.revisit_satisfied, row.rectified)
        assert counts == (on_time, counted, satisfied, rectified), name
        assert row.on_time_rate == on_time / counted
        assert row.revisit_rate == satisfied / rectified
    # 逾期 stays visible beside the rate: one overdue order in each department.
    assert (rows[ZHANGGONG].overdue, rows[NANKANG].overdue) == (1, 1)
    assert rows[ZHANGGONG].open == 3  # overdue, extended, under review; the voided one is not open


def board_cells(html: str) -> dict[str, list[str]]:
    """The board table's rows as {first cell: the other cells' text}."""
    table = html[html.index('<table class="list wo-board">') :]
    out = {}
    for block in re.findall(r"<tr>(.*?)</tr>", table, flags=re.S):
        raw = re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", block, flags=re.S)
        cells = [re.sub(r"<[^>]+>", "", cell).strip() for cell in raw]
        out[cells[0]] = cells[1:]
    return out


def test_the_board_page_shows_the_same_fractions(client, city_office, bad_reviews):
    client.force_login(city_office)
    response = client.get(reverse("workorders:board"))
    assert response.status_code == 200
    html = response.content.decode()
    cells = board_cells(html)
    for name, (on_time, counted, satisfied, rectified) in [*EXPECTED.items(), ("合计", TOTAL)]:
        assert cells[name][-6:-2] == [
            f"{on_time} / {counted}",
            f"{100 * on_time / counted:.1f}%",
            f"{satisfied} / {rectified}",
            f"{100 * satisfied / rectified:.1f}%",
        ], name
    assert cells[ZHANGGONG][-6:-2] == ["2 / 6", "33.3%", "2 / 3", "66.7%"]  # written out once, by hand
    assert "按期整改率 = 按期整改差评数 / 有效差评数" in html


def dashboard_figure(html: str, label: str) -> str:
    """The title (numerator / denominator) and the shown value of one of the dashboard's key figures."""
    (strong,) = re.findall(rf"<li><span>{label}</span><strong>(.*?)</strong></li>", html, flags=re.S)
    (shown,) = re.findall(r'<span class="fig" title="([^"]+)">([^<]+)<', strong)
    return f"{shown[1]} ({shown[0]})"


@pytest.mark.parametrize(
    ("user", "expected"),
    [("owner", EXPECTED[ZHANGGONG]), ("outsider", EXPECTED[NANKANG]), ("city_office", TOTAL)],
)
def test_the_dashboard_gives_the_same_fractions(client, request, bad_reviews, user, expected):
    on_time, counted, satisfied, rectified = expected
    client.force_login(request.getfixturevalue(user))
    response = client.get(reverse("reporting:dashboard"), {"period": "2026-10"})
    assert response.status_code == 200
    figures = response.context["figures"]
    assert (figures.on_time_rate.num, figures.on_time_rate.den) == (on_time, counted)
    assert (figures.revisit_satisfaction.num, figures.revisit_satisfaction.den) == (satisfied, rectified)
    html = response.content.decode()
    assert dashboard_figure(html, "按期整改率") == f"{100 * on_time / counted:.1f}% ({on_time} / {counted})"
    revisit = f"{100 * satisfied / rectified:.1f}% ({satisfied} / {rectified})"
    assert dashboard_figure(html, "回访满意率") == revisit


def test_the_rankings_api_gives_the_same_fractions(client, bad_reviews):
    key = apikey_create(by=None, name="大屏", reads_rankings=True)[1]
    response = client.get(
        "/api/v1/rankings",
        {"period": "2026-10", "level": "department"},
        headers={"Authorization": f"Bearer {key}"},
    )
    assert response.status_code == 200
    rows = {row["name"]: row for row in response.json()["rows"]}
    assert set(rows) == set(EXPECTED)
    for name, (on_time, counted, satisfied, rectified) in EXPECTED.items():
        assert rows[name]["on_time_rate"] == round(on_time / counted, 4), name
        assert rows[name]["revisit_satisfaction"] == round(satisfied / rectified, 4), name
    assert (rows[ZHANGGONG]["on_time_rate"], rows[ZHANGGONG]["revisit_satisfaction"]) == (0.3333, 0.6667)
