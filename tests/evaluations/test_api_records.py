"""The records API over HTTP: business systems push cases; errors keep one JSON shape (DESIGN §7)."""

import json
import re
import urllib.error
import urllib.request
from datetime import datetime, timedelta
from typing import get_args

import pytest
from django.test import Client
from django.utils import timezone

from evaluations.api import schemas
from evaluations.models import ApplicantType, CaseChannel, ServiceRecord
from evaluations.services.apikeys import apikey_create, apikey_revoke, apikey_rotate

pytestmark = pytest.mark.django_db


@pytest.fixture
def key(db) -> str:
    return apikey_create(by=None, name="网上办事大厅")[1]


def case(org, **overrides) -> dict:
    side = org["zhanggong"]
    body = {
        "matter_code": side["matter"].code,
        "department_code": side["department"].code,
        "region_code": side["department"].region.code,
        "window_code": side["window"].code,
        "staff_no": side["staff"].staff_no,
        "channel": "window",
        "status": "accepted",
        "accepted_at": (timezone.localtime() - timedelta(hours=2)).isoformat(),
        "applicant": {"type": "person", "name": "王小明", "phone": "13812345678"},
    }
    body.update(overrides)
    return body


def put(client: Client, key: str | None, serial_no: str, body) -> object:
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    return client.put(
        f"/api/v1/records/{serial_no}",
        data=json.dumps(body),
        content_type="application/json",
        headers=headers,
    )


def bulk(client: Client, key: str, items) -> object:
    return client.post(
        "/api/v1/records/bulk",
        data=json.dumps(items),
        content_type="application/json",
        headers={"Authorization": f"Bearer {key}"},
    )


def errors_of(response) -> list[dict]:
    assert response["Content-Type"].startswith("application/json")
    errors = response.json()["errors"]
    assert errors and all(set(error) == {"field", "code", "message"} for error in errors)
    return errors


def test_a_new_case_is_created_with_201(client, key, org):
    response = put(client, key, "SN-0001", case(org))
    assert response.status_code == 201
    assert response.json() == {"serial_no": "SN-0001", "status": "accepted", "rating_deadline": None}
    record = ServiceRecord.objects.get(serial_no="SN-0001")
    assert (record.matter, record.window, record.staff) == (
        org["zhanggong"]["matter"],
        org["zhanggong"]["window"],
        org["zhanggong"]["staff"],
    )
    assert record.applicant_phone == "13812345678" and record.source.name == "网上办事大厅"


def test_pushing_the_same_case_again_updates_it_with_200(client, key, org):
    put(client, key, "SN-0001", case(org))
    again = put(client, key, "SN-0001", case(org, applicant={"type": "legal_person", "name": "某某有限公司"}))
    assert again.status_code == 200
    repeat = put(
        client, key, "SN-0001", case(org, applicant={"type": "legal_person", "name": "某某有限公司"})
    )
    assert (repeat.status_code, repeat.json()) == (200, again.json())
    record = ServiceRecord.objects.get()
    assert (record.applicant_type, record.applicant_name) == ("legal_person", "某某有限公司")


def test_completion_sets_the_rating_deadline_in_local_time(client, key, org):
    put(client, key, "SN-0001", case(org))
    completed = case(
        org, status="completed", completed_at=(timezone.localtime() - timedelta(hours=1)).isoformat()
    )
    response = put(client, key, "SN-0001", completed)
    assert response.status_code == 200
    body = response.json()
    record = ServiceRecord.objects.get()
    assert body["status"] == "completed" and record.rating_deadline is not None
    assert body["rating_deadline"].endswith("+08:00")
    returned = datetime.fromisoformat(body["rating_deadline"])
    assert abs(returned - record.rating_deadline) < timedelta(milliseconds=1)  # JSON keeps milliseconds


def test_unknown_codes_are_listed_field_by_field(client, key, org):
    response = put(client, key, "SN-0001", case(org, matter_code="M-none", window_code="W-none"))
    assert response.status_code == 422
    assert {(e["field"], e["code"]) for e in errors_of(response)} == {
        ("matter_code", "unknown_matter"),
        ("window_code", "unknown_window"),
    }
    assert not ServiceRecord.objects.exists()


def test_a_completed_case_cannot_go_back_to_accepted(client, key, org):
    done = case(org, status="completed", completed_at=timezone.localtime().isoformat())
    put(client, key, "SN-0001", done)
    response = put(client, key, "SN-0001", case(org))
    assert response.status_code == 422
    assert [(e["field"], e["code"]) for e in errors_of(response)] == [("status", "already_completed")]
    assert ServiceRecord.objects.get().status == "completed"


def test_a_utc_time_is_the_same_instant(client, key, org):
    assert put(client, key, "SN-0001", case(org, accepted_at="2025-10-09T01:30:00Z")).status_code == 201
    accepted = timezone.localtime(ServiceRecord.objects.get().accepted_at)
    assert accepted.isoformat() == "2025-10-09T09:30:00+08:00"


def test_a_time_without_an_offset_is_refused(client, key, org):
    response = put(client, key, "SN-0001", case(org, accepted_at="2025-10-09T09:30:00"))
    assert response.status_code == 422
    [error] = errors_of(response)
    assert (error["field"], error["code"]) == ("accepted_at", "naive_datetime") and "时区" in error["message"]


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"channel": "fax"}, "channel", "invalid_choice"),
        ({"status": "done"}, "status", "invalid_choice"),
        ({"applicant": {"type": "person"}}, "applicant.name", "required"),
        ({"applicant": {"type": "robot", "name": "x"}}, "applicant.type", "invalid_choice"),
        ({"applicant": "王小明"}, "applicant", "invalid_type"),
        ({"matter_code": 42}, "matter_code", "invalid_type"),
        ({"accepted_at": 1760000000}, "accepted_at", "invalid_datetime"),
        ({"accepted_at": "yesterday"}, "accepted_at", "invalid_datetime"),
        ({"joint_department_codes": "X"}, "joint_department_codes", "invalid_type"),
        ({"batch_no": "B" * 65}, "batch_no", "too_long"),
    ],
)
def test_malformed_fields_are_refused_in_chinese(client, key, org, change, field, code):
    response = put(client, key, "SN-0001", case(org, **change))
    assert response.status_code == 422
    assert (field, code) in {(e["field"], e["code"]) for e in errors_of(response)}
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in e["message"]) for e in errors_of(response))


def test_a_missing_field_and_an_overlong_serial_number_are_named(client, key, org):
    body = case(org)
    del body["region_code"]
    assert [(e["field"], e["code"]) for e in errors_of(put(client, key, "SN-1", body))] == [
        ("region_code", "required")
    ]
    response = put(client, key, "S" * 65, case(org))
    assert (response.status_code, errors_of(response)[0]["field"]) == (422, "serial_no")


def test_a_bulk_push_reports_each_item_and_one_bad_item_sinks_nothing(client, key, org):
    put(client, key, "SN-0002", case(org))
    items = [
        {**case(org), "serial_no": "SN-0001"},
        {**case(org, applicant={"type": "person", "name": "李四"}), "serial_no": "SN-0002"},
        {**case(org, matter_code="M-none"), "serial_no": "SN-0003"},
        {**case(org, channel="fax"), "serial_no": "SN-0004"},
        case(org),
        42,
    ]
    response = bulk(client, key, items)
    assert response.status_code == 200
    results = response.json()
    assert [(r["serial_no"], r["status"]) for r in results] == [
        ("SN-0001", 201),
        ("SN-0002", 200),
        ("SN-0003", 422),
        ("SN-0004", 422),
        (None, 422),
        (None, 422),
    ]
    assert "errors" not in results[0] and "errors" not in results[1]
    assert results[2]["errors"][0]["code"] == "unknown_matter"
    assert results[3]["errors"][0]["field"] == "channel"
    assert results[4]["errors"][0] == {"field": "serial_no", "code": "required", "message": "此项为必填项。"}
    assert results[5]["errors"][0]["code"] == "invalid_type"
    assert set(ServiceRecord.objects.values_list("serial_no", flat=True)) == {"SN-0001", "SN-0002"}
    assert ServiceRecord.objects.get(serial_no="SN-0002").applicant_name == "李四"


def test_a_bulk_push_takes_at_most_500_items(client, key, org):
    response = bulk(client, key, [{"serial_no": f"SN-{n}"} for n in range(501)])
    assert response.status_code == 413
    assert errors_of(response)[0]["code"] == "too_many_items"
    not_a_list = bulk(client, key, {"serial_no": "SN-1"})
    assert (not_a_list.status_code, errors_of(not_a_list)[0]["code"]) == (422, "invalid_type")


def test_a_key_limited_to_a_region_pushes_only_cases_of_that_region(client, org, regions):
    nankang_key = apikey_create(by=None, name="南康区业务系统", region=regions["nankang"])[1]
    response = put(client, nankang_key, "SN-0001", case(org))
    assert response.status_code == 403
    assert errors_of(response)[0]["code"] == "out_of_scope"
    side = org["nankang"]
    own = case(
        org,
        matter_code=side["matter"].code,
        department_code=side["department"].code,
        region_code=regions["nankang"].code,
        window_code=None,
        staff_no=None,
    )
    assert put(client, nankang_key, "SN-0002", own).status_code == 201


@pytest.mark.parametrize("header", [None, "Bearer ", "Bearer hcp_00000000_nope", "Token abc", "hcp_x_y"])
def test_a_request_without_a_valid_key_is_unauthorized(client, org, header):
    headers = {"Authorization": header} if header is not None else {}
    response = client.put(
        "/api/v1/records/SN-1", data=json.dumps(case(org)), content_type="application/json", headers=headers
    )
    assert response.status_code == 401
    assert [e["code"] for e in errors_of(response)] == ["unauthorized"]
    assert response["WWW-Authenticate"] == "Bearer"
    assert not ServiceRecord.objects.exists()


def test_a_revoked_or_rotated_key_stops_working(client, org):
    api_key, full_key = apikey_create(by=None, name="旧系统")
    assert put(client, full_key, "SN-1", case(org)).status_code == 201
    new_key = apikey_rotate(by=None, key=api_key)
    assert put(client, full_key, "SN-1", case(org)).status_code == 401
    assert put(client, new_key, "SN-1", case(org)).status_code == 200
    apikey_revoke(by=None, key=api_key)
    assert put(client, new_key, "SN-1", case(org)).status_code == 401


def test_no_csrf_token_is_needed_with_a_key(key, org):
    strict = Client(enforce_csrf_checks=True)
    assert put(strict, key, "SN-1", case(org)).status_code == 201


def test_wrong_methods_and_unknown_addresses_answer_in_json(client, key):
    headers = {"Authorization": f"Bearer {key}"}
    wrong_method = client.get("/api/v1/records/SN-1", headers=headers)
    assert wrong_method.status_code == 405 and errors_of(wrong_method)[0]["code"] == "method_not_allowed"
    for address in ("/api/v1/nothing-here", "/api/"):
        unknown = client.get(address, headers=headers)
        assert unknown.status_code == 404 and errors_of(unknown)[0]["code"] == "not_found"


def test_the_vocabularies_match_the_models():
    assert set(get_args(schemas.CaseChannelIn)) == set(CaseChannel.values)
    assert set(get_args(schemas.ApplicantTypeIn)) == set(ApplicantType.values)
    assert set(get_args(schemas.RecordStatusIn)) == set(ServiceRecord.Status.values)


def test_the_docs_page_lists_the_operations_without_loading_anything_from_elsewhere(client):
    page = client.get("/api/docs")
    html = page.content.decode()
    assert page.status_code == 200 and page["Content-Type"].startswith("text/html")
    for operation in ("/api/v1/records/{serial_no}", "/api/v1/records/bulk", "/api/v1/evaluations"):
        assert operation in html
    assert "applicant.name" in html and "naive" not in html
    assert "<script" not in html and "http://" not in html and "https://" not in html
    assert re.findall(r"<link[^>]*>", html) == ['<link rel="stylesheet" href="/static/css/api-docs.css">']
    schema = client.get("/api/openapi.json").json()
    assert set(schema["paths"]) == {
        "/api/v1/records/{serial_no}",
        "/api/v1/records/bulk",
        "/api/v1/evaluations",
        "/api/v1/evaluations/bulk",
        "/api/v1/tags",
        "/api/v1/rankings",  # added by reporting.rankings.api
    }
    assert schema["components"]["securitySchemes"]["ApiKeyAuth"]["scheme"] == "bearer"


def _http(url: str, key: str | None, method: str, body) -> tuple[int, dict]:
    headers = {"Content-Type": "application/json"}
    if key:
        headers["Authorization"] = f"Bearer {key}"
    request = urllib.request.Request(url, data=json.dumps(body).encode(), headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_case_is_pushed_over_real_http(live_server, org):
    full_key = apikey_create(by=None, name="真实 HTTP 客户端")[1]
    url = f"{live_server.url}/api/v1/records/SN-HTTP-1"
    assert _http(url, full_key, "PUT", case(org)) == (
        201,
        {"serial_no": "SN-HTTP-1", "status": "accepted", "rating_deadline": None},
    )
    assert _http(url, full_key, "PUT", case(org))[0] == 200
    status, body = _http(url, None, "PUT", case(org))
    assert status == 401 and body["errors"][0]["code"] == "unauthorized"
