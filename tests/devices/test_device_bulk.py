"""Issue 19 point 2: an evaluator flushes its offline buffer in one signed request,
``POST /api/devices/v1/evaluations/bulk``: the signature and nonce of every device request (DESIGN §7),
each item answered as ``POST evaluations`` would answer it, and the late-upload rules judged item by
item (Tianjin 实施细则 第十六条, Ganzhou 办法 第十一条: within 5 working days of completion; 国办发
〔2019〕51号 一(一): 没有在服务现场作出评价的可在一定期限内补充评价; ``Policy.late_upload_days``).

Every test fixes its own moment in November 2026 (no holidays that month): a case completed Monday
16 November 10:00 may be rated until the end of Monday 23 November; a rating made on the 20th may be
uploaded until the end of the 25th (3 working days: 23, 24, 25).
"""

import json
from uuid import uuid4

import pytest

from devices.auth import signed_headers
from devices.services.registry import device_register
from evaluations.models import ClientKey, Evaluation
from workorders.models import WorkOrder

from .november import at, clock

pytestmark = [pytest.mark.django_db, pytest.mark.calendar]

PATH = "/api/devices/v1/evaluations/bulk"


@pytest.fixture
def evaluator(org):
    return device_register(by=None, serial="EV-ZG-BULK", window=org["zhanggong"]["window"])


@pytest.fixture
def cases(make_record) -> list:
    """Four cases completed Monday 16 November 10:00 at the 章贡区 window."""
    with clock(at(16, 10, 5)):
        return [make_record(accepted_at=at(16, 9), completed_at=at(16, 10)) for _ in range(4)]


def buffered(case=None, **fields) -> dict:
    body = {"client_id": f"dev-{uuid4().hex}", "grade": 5, "tags": [], "comment": "", **fields}
    return body if case is None else {"serial_no": case.serial_no, **body}


def signed(evaluator, data: bytes) -> dict[str, str]:
    device, secret = evaluator
    return signed_headers(serial=device.serial, secret=secret, method="POST", path=PATH, body=data)


def flush(client, evaluator, items, headers: dict[str, str] | None = None):
    data = json.dumps(items, ensure_ascii=False).encode()
    headers = headers or signed(evaluator, data)
    return client.generic("POST", PATH, data=data, content_type="application/json", headers=headers)


def test_51hao_each_buffered_rating_is_judged_by_its_own_rated_at(client, evaluator, tianjin, cases):
    """Uploaded on Thursday 26 November 00:10: made on the 23rd (in the case's window, and 3 working
    days ago: 24, 25, 26) is accepted as 补传; made on the 20th is past the 3 working days; made on the
    24th is past the case's 5 working days (Tianjin art. 16) however promptly it arrives."""
    items = [
        buffered(cases[0], rated_at=at(23, 15).isoformat()),
        buffered(cases[1], rated_at=at(20, 15, 5).isoformat()),
        buffered(cases[2], rated_at=at(24, 9).isoformat()),
        buffered(cases[3], rated_at=at(23, 16).isoformat(), grade=1, comment="等了很久"),
    ]
    with clock(at(26, 0, 10)):
        response = flush(client, evaluator, items)
    assert response.status_code == 200, response.content
    answers = response.json()
    assert [(a["client_id"], a["status"]) for a in answers] == [
        (items[0]["client_id"], 201),
        (items[1]["client_id"], 422),
        (items[2]["client_id"], 422),
        (items[3]["client_id"], 201),
    ]
    assert [(e["field"], e["code"]) for e in answers[1]["errors"]] == [("rated_at", "upload_too_late")]
    assert "2026-11-20 15:05" in answers[1]["errors"][0]["message"]
    assert [(e["field"], e["code"]) for e in answers[2]["errors"]] == [("", "window_closed")]
    stored = Evaluation.objects.order_by("pk")
    assert [(e.record, e.rated_at, e.late_upload, e.channel, e.device_serial) for e in stored] == [
        (cases[0], at(23, 15), True, "device", "EV-ZG-BULK"),
        (cases[3], at(23, 16), True, "device", "EV-ZG-BULK"),
    ]
    assert WorkOrder.objects.get().evaluation_id == answers[3]["id"] == stored[1].pk


def test_a_flush_sent_again_with_a_new_nonce_replays_every_item(client, evaluator, tianjin, cases):
    """The device did not get the answer and resends its buffer: the same client_ids, the first answers,
    nothing written twice — even after the upload limit has passed. A caseless rating rates the window."""
    items = [buffered(case, rated_at=at(20, 15).isoformat()) for case in cases[:2]]
    items.append(buffered(rated_at=at(20, 16).isoformat()))
    with clock(at(24)):
        first = flush(client, evaluator, items)
    with clock(at(30)):
        again = flush(client, evaluator, items)
    assert [a["status"] for a in first.json()] == [201, 201, 201]
    assert [a["status"] for a in again.json()] == [200, 200, 200]
    assert [a["id"] for a in again.json()] == [a["id"] for a in first.json()]
    assert Evaluation.objects.count() == 3 and ClientKey.objects.count() == 3
    assert Evaluation.objects.get(record=None).window.code == "W-zhanggong"


def test_a_single_upload_and_the_bulk_flush_share_the_devices_client_ids(client, evaluator, tianjin, cases):
    item = buffered(cases[0], rated_at=at(20, 15).isoformat())
    data = json.dumps(item).encode()
    single = "/api/devices/v1/evaluations"
    with clock(at(24)):
        device, secret = evaluator
        headers = signed_headers(serial=device.serial, secret=secret, method="POST", path=single, body=data)
        first = client.generic("POST", single, data=data, content_type="application/json", headers=headers)
        changed = {**item, "grade": 4}
        answers = flush(client, evaluator, [item, changed]).json()
    assert first.status_code == 201
    assert answers[0] == {"client_id": item["client_id"], "status": 200, **first.json()}
    assert (answers[1]["status"], answers[1]["errors"][0]["code"]) == (409, "client_id_reused")
    assert Evaluation.objects.count() == 1


def test_design_s7_a_replayed_nonce_is_refused_and_writes_nothing_more(client, evaluator, tianjin, cases):
    items = [buffered(cases[0], rated_at=at(20, 15).isoformat())]
    data = json.dumps(items, ensure_ascii=False).encode()
    with clock(at(24)):
        headers = signed(evaluator, data)
        first = flush(client, evaluator, items, headers)
        replay = flush(client, evaluator, items, headers)
    assert first.status_code == 200
    assert replay.status_code == 401 and replay["WWW-Authenticate"] == "Device-HMAC-SHA256"
    assert [e["code"] for e in replay.json()["errors"]] == ["replayed_nonce"]
    assert Evaluation.objects.count() == 1


def test_design_s7_the_signature_covers_the_whole_buffer(client, evaluator, tianjin, cases):
    """A buffer changed after signing (one more rating appended) fails the signature: nothing written."""
    items = [buffered(cases[0], rated_at=at(20, 15).isoformat())]
    with clock(at(24)):
        headers = signed(evaluator, json.dumps(items, ensure_ascii=False).encode())
        more = [*items, buffered(cases[1], rated_at=at(20, 16).isoformat())]
        tampered = flush(client, evaluator, more, headers)
        unsigned = client.generic("POST", PATH, data=b"[]", content_type="application/json")
        other_device = device_register(by=None, serial="EV-ZG-OTHER", window=cases[0].window)
        wrong_key = flush(
            client, evaluator, items, signed((evaluator[0], other_device[1]), json.dumps(items).encode())
        )
    assert [e["code"] for e in tampered.json()["errors"]] == ["bad_signature"]
    assert unsigned.status_code == 401 and unsigned.json()["errors"][0]["code"] == "missing_headers"
    assert (tampered.status_code, wrong_key.status_code) == (401, 401)
    assert not Evaluation.objects.exists()


def test_more_than_500_buffered_ratings_are_refused_as_a_whole(client, evaluator, tianjin, cases):
    items = [buffered(cases[0], rated_at=at(20, 15).isoformat()) for _ in range(501)]
    with clock(at(24)):
        response = flush(client, evaluator, items)
        empty = flush(client, evaluator, [])
        not_a_list = flush(client, evaluator, {"grade": 5})
    assert response.status_code == 413
    assert response.json()["errors"][0]["code"] == "too_many_items"
    assert (empty.status_code, empty.json()) == (200, [])
    assert (not_a_list.status_code, not_a_list.json()["errors"][0]["code"]) == (422, "invalid_type")
    assert not Evaluation.objects.exists()


def test_an_invalid_item_is_answered_alone(client, evaluator, tianjin, cases):
    items = [
        {"client_id": "dev-1", "grade": 5},  # no rated_at
        buffered(cases[0], rated_at="2026-11-20T15:00:00"),  # no offset
        buffered(cases[1], rated_at=at(20, 15).isoformat()),
        "five stars",
    ]
    with clock(at(24)):
        answers = flush(client, evaluator, items).json()
    assert [(a["client_id"], a["status"]) for a in answers] == [
        ("dev-1", 422),
        (items[1]["client_id"], 422),
        (items[2]["client_id"], 201),
        (None, 422),
    ]
    assert [e["code"] for e in answers[0]["errors"]] == ["required"]
    assert [e["code"] for e in answers[1]["errors"]] == ["naive_datetime"]
    assert Evaluation.objects.get().record == cases[1]


def test_the_device_openapi_document_describes_the_bulk_flush(client):
    operation = client.get("/api/devices/v1/openapi.json").json()["paths"][PATH]["post"]
    body = operation["requestBody"]["content"]["application/json"]["schema"]
    assert (body["type"], body["maxItems"]) == ("array", 500)
    assert body["items"] == {"$ref": "#/components/schemas/DeviceEvaluationIn"}
    assert {"200", "401", "413", "422"} <= set(operation["responses"])
    assert "upload_too_late" in operation["description"]
