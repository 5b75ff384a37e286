"""The evaluations API over HTTP: one rating per client_id, the intake rules as status codes."""

import json
import re
from datetime import timedelta
from typing import get_args
from uuid import uuid4

import pytest
from django.utils import timezone

from evaluations.api import schemas
from evaluations.models import Channel, Evaluation, Stage, Target
from evaluations.services.apikeys import apikey_create
from workorders.models import WorkOrder

from ..races import bearer, post_together

pytestmark = pytest.mark.django_db

URL = "/api/v1/evaluations"


@pytest.fixture
def key(db) -> str:
    return apikey_create(by=None, name="网上办事大厅")[1]


def rating(record, **overrides) -> dict:
    body = {
        "client_id": f"web-{uuid4().hex}",
        "serial_no": record.serial_no,
        "target": "matter",
        "stage": "completion",
        "grade": 5,
        "tags": [],
        "channel": "pc",
    }
    body.update(overrides)
    return body


def post(client, key: str, body, content_type: str = "application/json"):
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(URL, data=data, content_type=content_type, headers={"Authorization": f"Bearer {key}"})


def errors_of(response) -> list[dict]:
    assert response["Content-Type"].startswith("application/json")
    errors = response.json()["errors"]
    assert errors and all(set(error) == {"field", "code", "message"} for error in errors)
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in error["message"]) for error in errors)
    return errors


def test_a_rating_is_recorded_once_per_client_id_and_once_per_case(client, key, make_record):
    record = make_record()
    body = rating(record, rated_at=timezone.localtime().isoformat())
    first = post(client, key, body)
    assert first.status_code == 201
    evaluation = Evaluation.objects.get()
    assert first.json() == {"id": evaluation.pk, "work_order": None}
    assert (evaluation.channel, evaluation.client_id, evaluation.grade) == ("pc", body["client_id"], 5)

    again = post(client, key, body)
    assert (again.status_code, again.json()) == (200, first.json())

    second = post(client, key, rating(record, grade=3))
    assert second.status_code == 409
    assert [e["code"] for e in errors_of(second)] == ["already_rated"]
    assert Evaluation.objects.count() == 1


def test_a_bad_grade_needs_a_tag_or_a_comment(client, key, make_record):
    record = make_record()
    response = post(client, key, rating(record, grade=1))
    assert response.status_code == 422
    assert [(e["field"], e["code"]) for e in errors_of(response)] == [("tags", "reason_required")]
    assert post(client, key, rating(record, grade=1, tags=["M1-06"])).status_code == 201


def test_a_bad_rating_answers_with_its_work_order_number(client, key, make_record):
    body = rating(make_record(), grade=2, comment="材料来回跑了三次")
    response = post(client, key, body)
    assert response.status_code == 201
    order = WorkOrder.objects.get(evaluation_id=response.json()["id"])
    assert response.json()["work_order"] == order.number
    assert re.fullmatch(r"CP\d{6}-\d{6}", order.number)
    replay = post(client, key, body)  # the same client_id again: the same body, order number included
    assert (replay.status_code, replay.json()) == (200, response.json())


def test_the_window_closes_after_the_policy_working_days(client, key, make_record):
    long_ago = timezone.now() - timedelta(days=30)
    response = post(client, key, rating(make_record(accepted_at=long_ago, completed_at=long_ago)))
    assert response.status_code == 422
    [error] = errors_of(response)
    assert error["code"] == "window_closed" and "5 个工作日" in error["message"]


def test_an_unknown_case_is_not_found(client, key, make_record):
    response = post(client, key, rating(make_record(), serial_no="SN-NOWHERE"))
    assert response.status_code == 404
    assert [(e["field"], e["code"]) for e in errors_of(response)] == [("serial_no", "record_not_found")]


def test_a_key_limited_to_a_region_does_not_see_cases_elsewhere(client, make_record, regions):
    nankang_key = apikey_create(by=None, name="南康区业务系统", region=regions["nankang"])[1]
    response = post(client, nankang_key, rating(make_record()))  # a 章贡区 case
    assert response.status_code == 404 and not Evaluation.objects.exists()


def test_a_follow_up_rating_is_assess_number_2(client, key, make_record):
    record = make_record()
    post(client, key, rating(record, grade=4))
    follow_up = post(client, key, rating(record, grade=3, assess_number=2))
    assert follow_up.status_code == 201
    assert Evaluation.objects.get(pk=follow_up.json()["id"]).assess_number == 2


@pytest.mark.parametrize(
    ("body", "content_type", "status", "field", "code"),
    [
        pytest.param({"client_id": None}, None, 422, "client_id", "invalid_type", id="null-required"),
        pytest.param({"drop": "client_id"}, None, 422, "client_id", "required", id="missing"),
        pytest.param({"grade": "5"}, None, 422, "grade", "invalid_type", id="grade-as-string"),
        pytest.param({"grade": True}, None, 422, "grade", "invalid_type", id="grade-as-bool"),
        pytest.param({"grade": 6}, None, 422, "grade", "out_of_range", id="grade-6"),
        pytest.param({"assess_number": 3}, None, 422, "assess_number", "out_of_range", id="assess-3"),
        pytest.param({"channel": "fax"}, None, 422, "channel", "invalid_choice", id="bad-channel"),
        pytest.param({"channel": "default"}, None, 422, "channel", "invalid_choice", id="default-channel"),
        pytest.param({"target": "window"}, None, 422, "target", "invalid_choice", id="bad-target"),
        pytest.param({"stage": "whenever"}, None, 422, "stage", "invalid_choice", id="bad-stage"),
        pytest.param({"tags": "M1-06"}, None, 422, "tags", "invalid_type", id="tags-not-a-list"),
        pytest.param({"tags": ["T"] * 21}, None, 422, "tags", "too_many", id="too-many-tags"),
        pytest.param({"comment": "很" * 501}, None, 422, "comment", "too_long", id="oversize-comment"),
        pytest.param(
            {"rated_at": "2025-10-09T09:30:00"}, None, 422, "rated_at", "naive_datetime", id="naive"
        ),
        pytest.param({"rated_at": 1760000000}, None, 422, "rated_at", "invalid_datetime", id="unix-time"),
        pytest.param({"rated_at": "soon"}, None, 422, "rated_at", "invalid_datetime", id="not-a-time"),
        pytest.param([1, 2], None, 422, "", "invalid_type", id="a-list"),
        pytest.param("", None, 422, "", "required", id="empty-body"),
        pytest.param('{"client_id": ', None, 400, "", "malformed_json", id="malformed-json"),
        pytest.param(b"\xff\xfe{", None, 400, "", "malformed_json", id="not-utf-8"),
        pytest.param(
            "grade=5", "application/x-www-form-urlencoded", 415, "", "unsupported_media_type", id="form"
        ),
        pytest.param(None, "text/plain", 415, "", "unsupported_media_type", id="json-as-text"),
    ],
)
def test_malformed_input_is_a_4xx_with_an_error_list(
    client, key, make_record, body, content_type, status, field, code
):
    valid = rating(make_record())
    if body is None:
        body = json.dumps(valid)
    elif isinstance(body, dict) and "drop" in body:
        body = {k: v for k, v in valid.items() if k != body["drop"]}
    elif isinstance(body, dict):
        body = {**valid, **body}
    response = post(client, key, body, content_type or "application/json")
    assert response.status_code == status
    assert (field, code) in {(e["field"], e["code"]) for e in errors_of(response)}
    assert not Evaluation.objects.exists()


def test_a_body_over_the_upload_limit_is_413(client, key, make_record, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = post(client, key, rating(make_record(), comment="很" * 400))
    assert response.status_code == 413 and errors_of(response)[0]["code"] == "payload_too_large"


@pytest.mark.parametrize("header", [None, "Bearer hcp_00000000_nope"])
def test_a_rating_without_a_valid_key_is_unauthorized(client, make_record, header):
    headers = {"Authorization": header} if header else {}
    response = client.post(URL, data=rating(make_record()), content_type="application/json", headers=headers)
    assert response.status_code == 401 and errors_of(response)[0]["code"] == "unauthorized"


def test_the_vocabularies_match_the_models():
    assert set(get_args(schemas.RatingChannelIn)) == set(Channel.values) - {Channel.DEFAULT}
    assert set(get_args(schemas.TargetIn)) == set(Target.values)
    assert set(get_args(schemas.StageIn)) == set(Stage.values)


# serialized_rollback: the flush after a transactional test would otherwise drop the seeded tags.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_same_client_id_from_two_threads_makes_one_row(live_server, make_record):
    full_key = apikey_create(by=None, name="评价器网关")[1]
    body = rating(make_record(), grade=2, tags=["M2-01"])
    answers = post_together(f"{live_server.url}{URL}", json.dumps(body).encode(), bearer(full_key))
    assert sorted(status for status, _ in answers) == [200, 201]
    assert answers[0][1] == answers[1][1]
    assert Evaluation.objects.filter(client_id=body["client_id"]).count() == 1
    assert Evaluation.objects.count() == 1
