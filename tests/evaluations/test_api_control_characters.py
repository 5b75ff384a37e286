"""Issue 14 point 2 at the JSON APIs' edge (DESIGN §7 "never a 500 for bad input"): a NUL in any string
is a 422 ``nul_character``; other control characters are refused in identifiers (``control_character``)
and stripped from free text; a bulk push never leaves half its items written."""

import json
from uuid import uuid4

import pytest

from evaluations.api import records as records_api
from evaluations.models import Evaluation, ServiceRecord

from .test_api_records import bulk, case, errors_of, put

pytestmark = pytest.mark.django_db


def post_rating(client, key: str, body: dict):
    return client.post(
        "/api/v1/evaluations",
        data=json.dumps(body),
        content_type="application/json",
        headers={"Authorization": f"Bearer {key}"},
    )


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
    return {**body, **overrides}


def codes(response) -> list[tuple[str, str]]:
    return [(error["field"], error["code"]) for error in errors_of(response)]


def test_issue14_p2_a_nul_in_a_serial_number_is_a_422_not_a_500(client, key, make_record):
    response = post_rating(client, key, rating(make_record(), serial_no="A\u0000"))
    assert response.status_code == 422
    assert codes(response) == [("serial_no", "nul_character")]
    assert "空字符" in errors_of(response)[0]["message"]
    assert not Evaluation.objects.exists()


def test_issue14_p2_a_nul_in_a_comment_is_refused_other_controls_are_stripped(client, key, make_record):
    record = make_record()
    refused = post_rating(client, key, rating(record, comment="很好\u0000"))
    assert refused.status_code == 422
    assert codes(refused) == [("comment", "nul_character")]

    accepted = post_rating(client, key, rating(record, comment="窗口\u0008热情\r\n耐心\u0085\u001f\t周到"))
    assert accepted.status_code == 201
    assert Evaluation.objects.get().comment == "窗口热情\r\n耐心\t周到"


def test_issue14_p2_an_identifier_with_a_control_character_is_refused_not_altered(client, key, org):
    response = put(client, key, "SN-0001", case(org, matter_code="M\u0001X", staff_no="S\tX"))
    assert response.status_code == 422
    assert sorted(codes(response)) == [
        ("matter_code", "control_character"),
        ("staff_no", "control_character"),
    ]
    assert not ServiceRecord.objects.exists()


def test_issue14_p2_a_nul_in_the_path_of_a_records_put_is_a_422(client, key, org):
    response = put(client, key, "SN%00", case(org))
    assert response.status_code == 422
    assert codes(response) == [("serial_no", "nul_character")]


def test_issue14_p2_an_applicant_name_loses_its_control_characters(client, key, org):
    body = case(org, applicant={"type": "person", "name": "王\u0007小明", "phone": "13812345678"})
    assert put(client, key, "SN-0001", body).status_code == 201
    assert ServiceRecord.objects.get().applicant_name == "王小明"
    blank = case(org, applicant={"type": "person", "name": "\u0001\u0002"})
    assert codes(put(client, key, "SN-0002", blank)) == [("applicant.name", "blank")]


def test_design_s7_a_bulk_item_with_a_nul_is_refused_alone(client, key, org):
    """The issue's 500 after storing the good ones: now the bad item has its 422, the others are written."""
    items = [
        {**case(org), "serial_no": "SN-0001"},
        {**case(org, applicant={"type": "person", "name": "张\u0000三"}), "serial_no": "SN-0002"},
        {**case(org), "serial_no": "A\u0000"},
        {**case(org), "serial_no": "SN-0003"},
    ]
    response = bulk(client, key, items)
    assert response.status_code == 200
    results = response.json()
    assert [(r["serial_no"], r["status"]) for r in results] == [
        ("SN-0001", 201),
        ("SN-0002", 422),
        ("A\u0000", 422),
        ("SN-0003", 201),
    ]
    assert results[1]["errors"][0]["field"] == "applicant.name"
    assert results[1]["errors"][0]["code"] == "nul_character"
    assert results[2]["errors"][0] == {
        "field": "serial_no",
        "code": "nul_character",
        "message": "不能包含空字符（NUL，U+0000）。",
    }
    assert set(ServiceRecord.objects.values_list("serial_no", flat=True)) == {"SN-0001", "SN-0003"}


def test_design_s7_a_bulk_push_that_fails_unexpectedly_writes_nothing(client, key, org, monkeypatch):
    """A bug in the middle of a bulk call (here the service failing on the second item) answers 500
    and rolls back the first item too: the business system can resend the whole call."""
    real_upsert = records_api.record_upsert
    calls = []

    def upsert_then_fail(**kwargs):
        calls.append(kwargs["serial_no"])
        if len(calls) == 2:
            raise RuntimeError("simulated bug")
        return real_upsert(**kwargs)

    monkeypatch.setattr(records_api, "record_upsert", upsert_then_fail)
    items = [{**case(org), "serial_no": "SN-0001"}, {**case(org), "serial_no": "SN-0002"}]
    response = bulk(client, key, items)
    assert response.status_code == 500
    assert codes(response) == [("", "server_error")]
    assert calls == ["SN-0001", "SN-0002"]
    assert not ServiceRecord.objects.exists()


def test_issue14_p2_a_nul_in_the_rankings_period_is_a_422(client, db):
    from evaluations.services.apikeys import apikey_create

    secret = apikey_create(by=None, name="大屏", reads_rankings=True)[1]
    response = client.get("/api/v1/rankings?period=2026-1%001", headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 422
    assert codes(response) == [("period", "nul_character")]
