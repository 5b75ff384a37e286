"""The benchmark's floor endpoint (issue 19 point 1, DESIGN §10): the key check, the schema of
POST /api/v1/evaluations and one INSERT, served only by the benchmark's URLconf."""

import json

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import Resolver404, resolve

from bench.floor_urls import PATH
from evaluations.models import Evaluation

pytestmark = pytest.mark.django_db

BODY = {
    "client_id": "floor-1", "serial_no": "ANY-1", "target": "matter", "stage": "completion",
    "grade": 2, "tags": [], "channel": "pc", "comment": "办理时间太长",
}  # fmt: skip


@pytest.fixture
def floor(org):
    department = org["zhanggong"]["department"]
    row = {"department_id": department.pk, "region_id": department.region_id}
    with override_settings(ROOT_URLCONF="bench.floor_urls", BENCH_FLOOR_ROW=row):
        yield department


def post(client, key: str | None, body, path: str = PATH):
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    return client.post(path, data=json.dumps(body), content_type="application/json", headers=headers)


def test_the_normal_app_has_no_floor(client, key):
    with pytest.raises(Resolver404):
        resolve(PATH)
    response = post(client, key, BODY)
    assert response.status_code == 404
    assert Evaluation.objects.count() == 0


def test_the_floor_writes_one_row_with_one_insert(client, key, floor):
    post(client, key, BODY)  # the key is remembered by the process from now on, as in the benchmark
    with CaptureQueriesContext(connection) as queries:
        response = post(client, key, {**BODY, "client_id": "floor-2"})
    assert response.status_code == 201
    assert [query["sql"].split()[0] for query in queries] == ["INSERT"]
    row = Evaluation.objects.get(pk=response.json()["id"])
    assert (row.record_id, row.department_id, row.region_id) == (None, floor.pk, floor.region_id)
    assert (row.target, row.stage, row.grade, row.channel, row.comment) == (
        "matter", "completion", 2, "pc", "办理时间太长",
    )  # fmt: skip
    assert Evaluation.objects.count() == 2


def test_the_floor_checks_the_key_and_the_schema_as_intake_does(client, key, floor):
    assert post(client, None, BODY).status_code == 401
    assert post(client, "hcp_bad_key", BODY).status_code == 401
    bad = {**BODY, "grade": 7, "target": "building"}
    floor_answer = post(client, key, bad)
    intake_answer = post(client, key, bad, path="/api/v1/evaluations")
    assert floor_answer.status_code == intake_answer.status_code == 422
    assert floor_answer.json() == intake_answer.json()
    assert {error["field"] for error in floor_answer.json()["errors"]} == {"grade", "target"}
    assert Evaluation.objects.count() == 0
