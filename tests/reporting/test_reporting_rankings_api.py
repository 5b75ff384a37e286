"""GET /api/v1/rankings: the shape of DESIGN §7, fractions, the key's scope, errors in the API's shape."""

import pytest

from evaluations.models import Policy, Preset
from evaluations.services.apikeys import apikey_create
from workorders.models import State

from .reporting_fixtures import order, rate, rebuild

pytestmark = [pytest.mark.django_db, pytest.mark.calendar, pytest.mark.usefixtures("november_2026")]

URL = "/api/v1/rankings"
# The fields the issue names, and the ones added beside them (clients ignore what they do not know).
ROW_FIELDS = {
    "code", "name", "rank", "sample", "quality", "active_rate", "rectification_rate",
    "revisit_satisfaction", "composite", "good_rate", "bad_rate", "unevaluated_rate",
}  # fmt: skip
EXTRA_FIELDS = {"on_time_rate", "realname_revisit_rate", "previous_rank", "low", "held", "ruled"}


@pytest.fixture
def key(db) -> str:
    return apikey_create(by=None, name="大屏", reads_rankings=True)[1]


@pytest.fixture
def data(org, regions) -> dict:
    """章贡区: 3 ratings (one bad, rectified, revisit satisfied) + one 未评; 南康区: a single rating."""
    Policy.from_preset(Preset.TIANJIN, region=regions["city"], min_sample=2).save()
    zhanggong = org["zhanggong"]
    rate(zhanggong, 5)
    rate(zhanggong, 3)
    bad = rate(zhanggong, 1, tags=["态度"])
    order(bad, state=State.CLOSED, rectified=True, revisit="satisfied")
    rate(zhanggong, None, kind="unevaluated")
    rate(org["nankang"], 5)
    rebuild()
    return org


def get(client, key: str | None, **params):
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    return client.get(URL, params, headers=headers)


def errors_of(response) -> list[dict]:
    assert response["Content-Type"].startswith("application/json")
    errors = response.json()["errors"]
    assert errors and all(set(error) == {"field", "code", "message"} for error in errors)
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in error["message"]) for error in errors)
    return errors


def test_rows_have_the_contracted_shape_with_rates_as_fractions(client, key, data):
    response = get(client, key, period="2026-10", level="department")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"period", "level", "policy", "rows"}
    assert (body["period"], body["level"]) == ("2026-10", "department")
    assert body["policy"]["preset"] == "national"  # an unlimited key: the national rules
    assert body["policy"]["weights"] == {"quality": 30, "active": 15, "rectification": 30, "revisit": 25}
    rows = body["rows"]
    assert all(set(row) == ROW_FIELDS | EXTRA_FIELDS for row in rows)
    # The national minimum sample is 10: both departments are listed, neither is ranked.
    assert [row["rank"] for row in rows] == [None, None]
    first = next(row for row in rows if row["name"] == "章贡区市场监督管理局")
    assert first["sample"] == 3
    assert first["quality"] == 6.0  # (10 + 8 + 0) / 3
    assert first["active_rate"] == 0.75  # 3 active of 4 occasions
    assert first["good_rate"] == 0.3333 and first["bad_rate"] == 0.3333
    assert first["unevaluated_rate"] == 0.25
    assert first["rectification_rate"] == 1.0 and first["revisit_satisfaction"] == 1.0
    assert first["composite"] == pytest.approx(30 * 0.6 + 15 * 0.75 + 30 + 25)
    quiet = next(row for row in rows if row["name"] == "南康区市场监督管理局")
    assert quiet["rectification_rate"] == 1.0  # no bad review: counted as done, as in the composite
    assert quiet["unevaluated_rate"] == 0.0


def test_a_region_limited_key_sees_its_subtree_with_its_regions_rules(client, data, regions):
    city_key = apikey_create(by=None, name="市大屏", region=regions["city"], reads_rankings=True)[1]
    district_key = apikey_create(by=None, name="区大屏", region=regions["nankang"], reads_rankings=True)[1]

    body = get(client, city_key, period="2026-10").json()
    assert body["policy"]["preset"] == "tianjin" and body["policy"]["min_sample"] == 2
    assert [(row["name"], row["rank"]) for row in body["rows"]] == [
        ("章贡区市场监督管理局", 1),
        ("南康区市场监督管理局", None),  # ranked rows first, then those below the minimum sample
    ]
    body = get(client, district_key, period="2026-10").json()
    assert [row["name"] for row in body["rows"]] == ["南康区市场监督管理局"]


def test_levels_and_periods(client, key, data, regions):
    city_key = apikey_create(by=None, name="市大屏", region=regions["city"], reads_rankings=True)[1]
    body = get(client, city_key, period="2026-Q4", level="region").json()
    assert body["period"] == "2026-Q4"
    assert [row["code"] for row in body["rows"]] == ["360702000000", "360703000000"]
    body = get(client, city_key, period="2026", level="region", region_level=2).json()
    assert [row["name"] for row in body["rows"]] == ["赣州市"]
    body = get(client, key, period="2026-09", level="staff").json()
    assert body["rows"] == []


def test_without_a_valid_key_it_is_401(client, data):
    for key in (None, "hcp_nope_nope"):
        response = get(client, key, period="2026-10")
        assert response.status_code == 401
        assert errors_of(response)[0]["code"] == "unauthorized"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"period": "2026-13"}, "period"),
        ({"period": "last month"}, "period"),
        ({"period": "0000"}, "period"),
        ({"period": "0001-01"}, "period"),
        ({"period": "2026-10", "level": "planet"}, "level"),
        ({"period": "2026-10", "level": "region", "region_level": 9}, "region_level"),
        ({"period": "2026-10", "level": "region", "region_level": "two"}, "region_level"),
        ({"period": "2026-10", "level": "department", "region_level": 3}, "region_level"),
    ],
)
def test_bad_parameters_get_the_error_list(client, key, data, params, field):
    response = get(client, key, **params)
    assert response.status_code == 422
    assert [error["field"] for error in errors_of(response)] == [field]


def test_the_endpoint_is_in_the_openapi_schema(client):
    schema = client.get("/api/openapi.json").json()
    operation = schema["paths"]["/api/v1/rankings"]["get"]
    assert operation["summary"] == "排名"
    assert {parameter["name"] for parameter in operation["parameters"]} == {"period", "level", "region_level"}
    assert {"200", "401", "422"} <= set(operation["responses"])
    assert "policy" in operation["description"]


def test_a_key_without_the_rankings_right_gets_403(client, data):
    records_only = apikey_create(by=None, name="业务系统")[1]
    response = get(client, records_only, period="2026-10")
    assert response.status_code == 403
    (error,) = errors_of(response)
    assert error["code"] == "rankings_not_allowed"


def test_the_command_issues_a_key_that_reads_rankings(client, data):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("apikey", "create", "指挥大屏", "--rankings", stdout=out)
    assert get(client, out.getvalue().strip().splitlines()[-1], period="2026-10").status_code == 200
