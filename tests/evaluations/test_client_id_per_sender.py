"""Issue 14, point 1: an idempotency key belongs to its sender. Over the API (an API key is the
sender): same key, client_id and body → the first answer; same key and client_id, another body →
409 client_id_reused; another key's client_id is its own rating. And the records API's bulk call."""

import json
from contextlib import nullcontext
from datetime import UTC
from uuid import uuid4

import pytest
from django.db import DatabaseError, transaction
from django.utils import timezone

from evaluations.models import ClientKey, Evaluation, ServiceRecord
from evaluations.services.apikeys import apikey_create
from workorders.models import WorkOrder

from ..db_roles import as_owner
from ..races import bearer, post_together

pytestmark = pytest.mark.django_db

URL = "/api/v1/evaluations"


def post(client, key: str, data: dict | str):
    text = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False)
    return client.post(
        URL, data=text, content_type="application/json", headers={"Authorization": f"Bearer {key}"}
    )


def bad_rating(record, client_id: str, **overrides) -> dict:
    body = {
        "client_id": client_id,
        "serial_no": record.serial_no,
        "target": "matter",
        "stage": "completion",
        "grade": 2,
        "tags": ["M2-01"],
        "channel": "pc",
    }
    return {**body, **overrides}


@pytest.fixture
def nankang_case(make_record, org):
    side = org["nankang"]
    return make_record(
        matter_code=side["matter"].code,
        department_code=side["department"].code,
        region_code=side["department"].region.code,
        window_code=side["window"].code,
        staff_no=side["staff"].staff_no,
    )


def test_issue14_a_zhanggong_key_reusing_another_keys_client_id_gets_its_own_rating(
    client, regions, make_record, nankang_case
):
    """The issue as seen: a key limited to 章贡区 received a 南康 order number by reusing "x1"."""
    city_key = apikey_create(by=None, name="市级网办平台")[1]
    zhanggong_key = apikey_create(by=None, name="章贡区业务系统", region=regions["zhanggong"])[1]
    first = post(client, city_key, bad_rating(nankang_case, "x1"))
    assert first.status_code == 201 and first.json()["work_order"]

    # The other region's case under the same client_id: not this key's to see, not a replay.
    foreign = post(client, zhanggong_key, bad_rating(nankang_case, "x1"))
    assert (foreign.status_code, foreign.json()["errors"][0]["code"]) == (404, "record_not_found")

    own_case = make_record()
    mine = post(client, zhanggong_key, bad_rating(own_case, "x1"))
    assert mine.status_code == 201
    assert mine.json()["id"] != first.json()["id"]
    assert mine.json()["work_order"] not in (None, first.json()["work_order"])
    rating = Evaluation.objects.get(pk=mine.json()["id"])
    assert (rating.record, rating.region, rating.client_id) == (own_case, regions["zhanggong"], "x1")
    assert WorkOrder.objects.get(number=mine.json()["work_order"]).evaluation == rating
    assert Evaluation.objects.count() == 2
    assert ClientKey.objects.filter(client_id="x1").count() == 2


def test_issue14_another_keys_client_id_on_a_rated_case_is_refused_not_replayed(client, make_record):
    record = make_record()
    one, other = (apikey_create(by=None, name=name)[1] for name in ("网上办事大厅", "移动端"))
    assert post(client, one, bad_rating(record, "x1")).status_code == 201
    second = post(client, other, bad_rating(record, "x1"))  # the very same body, another sender
    assert (second.status_code, second.json()["errors"][0]["code"]) == (409, "already_rated")
    assert Evaluation.objects.count() == 1


def test_issue14_the_same_key_and_body_replays_the_identical_json(client, key, make_record):
    record = make_record()
    rated_at = timezone.localtime().replace(microsecond=0)
    body = bad_rating(record, f"web-{uuid4().hex}", tags=["M2-01", "M2-02"], rated_at=rated_at.isoformat())
    first = post(client, key, body)
    assert first.status_code == 201 and first.json()["work_order"]
    # The same rating written otherwise: keys reordered, whitespace, tags in another order, the time in
    # UTC, an explicit null for an omitted field and the defaults spelt out.
    again = {
        **{name: body[name] for name in reversed(list(body))},
        "tags": ["M2-02", "M2-01"],
        "rated_at": rated_at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        "comment": None,
        "assess_number": 1,
    }
    replay = post(client, key, json.dumps(again, indent=4, ensure_ascii=False))
    assert replay.status_code == 200
    assert replay.content == first.content
    assert Evaluation.objects.count() == 1 and WorkOrder.objects.count() == 1


def test_issue14_the_same_key_and_client_id_with_another_body_is_409(client, key, make_record):
    record = make_record()
    body = bad_rating(record, f"web-{uuid4().hex}")
    first = post(client, key, body)
    assert first.status_code == 201
    for change in ({"grade": 1, "tags": ["M1-06"]}, {"comment": "等了两个小时"}, {"channel": "mobile"}):
        response = post(client, key, {**body, **change})
        assert response.status_code == 409
        (error,) = response.json()["errors"]
        assert (error["field"], error["code"]) == ("client_id", "client_id_reused")
        assert "已用于一条内容不同的评价" in error["message"]
    assert list(Evaluation.objects.values_list("pk", "grade", "comment")) == [(first.json()["id"], 2, "")]
    assert WorkOrder.objects.count() == 1
    # …and the first body still gets its first answer.
    assert post(client, key, body).content == first.content


def test_issue14_the_openapi_document_names_the_409_of_a_reused_client_id(client):
    operation = client.get("/api/openapi.json").json()["paths"][URL]["post"]
    assert "client_id_reused" in operation["responses"]["409"]["description"]
    assert "client_id_reused" in operation["description"]


@pytest.mark.parametrize(
    ("who", "refusal"), [(nullcontext, "permission denied"), (as_owner, "append-only")], ids=["app", "owner"]
)
def test_issue14_a_client_key_is_append_only(key, client, make_record, who, refusal):
    post(client, key, bad_rating(make_record(), "x1"))
    with pytest.raises(DatabaseError, match=refusal), transaction.atomic(), who():
        ClientKey.objects.update(body_digest="")
    with pytest.raises(DatabaseError, match=refusal), transaction.atomic(), who():
        ClientKey.objects.all().delete()
    assert ClientKey.objects.get().body_digest


# serialized_rollback: the flush after a transactional test would otherwise drop the seeded tags.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_issue14_two_threads_posting_the_same_body_with_the_same_key_make_one_row(live_server, make_record):
    key = apikey_create(by=None, name="网上办事大厅")[1]
    body = bad_rating(make_record(), f"web-{uuid4().hex}")
    answers = post_together(f"{live_server.url}{URL}", json.dumps(body).encode(), bearer(key))
    assert sorted(status for status, _ in answers) == [200, 201]
    assert answers[0][1] == answers[1][1]
    assert Evaluation.objects.count() == 1 and ClientKey.objects.count() == 1


# ---- the records API's bulk call ----------------------------------------------------------------


def bulk(client, key: str, items: list[dict]):
    return client.post(
        "/api/v1/records/bulk",
        data=json.dumps(items),
        content_type="application/json",
        headers={"Authorization": f"Bearer {key}"},
    )


def pushed(case: ServiceRecord, **overrides) -> dict:
    """A bulk item for ``case`` as a business system would send it."""
    body = {
        "serial_no": case.serial_no,
        "matter_code": case.matter.code,
        "department_code": case.department.code,
        "region_code": case.region.code,
        "channel": "window",
        "status": "completed",
        "accepted_at": timezone.localtime(case.accepted_at).isoformat(),
        "completed_at": timezone.localtime(case.completed_at).isoformat(),
        "applicant": {"type": "person", "name": "王小明"},
    }
    return {**body, **overrides}


def test_issue14_a_bulk_item_never_touches_a_case_of_another_region(client, regions, org, nankang_case):
    """Cases are keyed by 办件编号 (unique nationally), not by a sender's key: a key limited to a
    region neither sees nor overwrites another region's case, even under its own region code."""
    zhanggong_key = apikey_create(by=None, name="章贡区业务系统", region=regions["zhanggong"])[1]
    side = org["zhanggong"]
    takeover = pushed(
        nankang_case,
        matter_code=side["matter"].code,
        department_code=side["department"].code,
        region_code=regions["zhanggong"].code,
        status="accepted",
        completed_at=None,
    )
    fresh = {**takeover, "serial_no": "SN-ZG-NEW"}
    before = ServiceRecord.objects.values().get(pk=nankang_case.pk)
    for expected in ([403, 201], [403, 200]):  # pushed twice: the same answer per item, no duplicate
        answer = bulk(client, zhanggong_key, [takeover, fresh])
        assert answer.status_code == 200
        assert [item["status"] for item in answer.json()] == expected
        assert answer.json()[0]["errors"][0]["code"] == "out_of_scope"
        assert set(answer.json()[0]) == {"serial_no", "status", "errors"}  # nothing of the other case
    assert ServiceRecord.objects.values().get(pk=nankang_case.pk) == before
    assert ServiceRecord.objects.get(serial_no="SN-ZG-NEW").region == regions["zhanggong"]
