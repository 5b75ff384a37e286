"""Issue 14, point 1 for devices: a device's client_id is its own (by device serial). The same device,
client_id and body → the first answer, however the JSON is written and whatever the fresh nonce and
timestamp; another body → 409 client_id_reused; another device's client_id is a rating of its own."""

import json
from datetime import UTC
from uuid import uuid4

import pytest
from django.utils import timezone

from devices.auth import signed_headers
from devices.models import PendingRating
from devices.services.pending import pending_set
from devices.services.registry import device_register
from evaluations.models import ClientKey, Evaluation

from ..races import post_together

pytestmark = pytest.mark.django_db

PATH = "/api/devices/v1/evaluations"


@pytest.fixture
def devices(org) -> list[tuple[str, str]]:
    window = org["zhanggong"]["window"]
    return [(device.serial, secret) for device, secret in (
        device_register(by=None, serial=serial, window=window) for serial in ("EV-ZG-01", "EV-ZG-02")
    )]  # fmt: skip


def send(client, device: tuple[str, str], body: dict | bytes):
    data = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
    serial, secret = device
    headers = signed_headers(serial=serial, secret=secret, method="POST", path=PATH, body=data)
    return client.generic("POST", PATH, data=data, content_type="application/json", headers=headers)


def rating(**overrides) -> dict:
    body = {
        "client_id": "x1",
        "grade": 5,
        "tags": [],
        "comment": "",
        "rated_at": timezone.localtime().isoformat(),
    }
    return {**body, **overrides}


def test_issue14_two_devices_with_the_same_client_id_make_two_ratings(client, devices, make_record):
    first, second = make_record(), make_record()
    answers = [
        send(client, device, rating(serial_no=record.serial_no))
        for device, record in zip(devices, (first, second), strict=True)
    ]
    assert [answer.status_code for answer in answers] == [201, 201]
    assert answers[0].json()["id"] != answers[1].json()["id"]
    assert sorted(Evaluation.objects.values_list("device_serial", "record__serial_no")) == [
        ("EV-ZG-01", first.serial_no),
        ("EV-ZG-02", second.serial_no),
    ]
    # Without a case too: the same window, the same client_id, one rating per device.
    for device in devices:
        assert send(client, device, rating(client_id="x2", grade=4)).status_code == 201
    assert Evaluation.objects.filter(client_id="x2").count() == 2


def test_issue14_a_retry_written_otherwise_with_a_new_nonce_is_answered_the_same(
    client, devices, make_record
):
    record = make_record()
    rated_at = timezone.localtime().replace(microsecond=0)
    body = rating(serial_no=record.serial_no, grade=2, tags=["M2-01", "M2-02"], rated_at=rated_at.isoformat())
    first = send(client, devices[0], body)
    assert first.status_code == 201 and first.json()["work_order"]
    retry = {
        **{name: body[name] for name in reversed(list(body))},
        "tags": ["M2-02", "M2-01"],
        "rated_at": rated_at.astimezone(UTC).isoformat(),
    }
    again = send(client, devices[0], json.dumps(retry, indent=2).encode())  # signed afresh: new nonce
    assert again.status_code == 200 and again.content == first.content
    assert Evaluation.objects.count() == 1


def test_issue14_the_same_device_and_client_id_with_another_body_is_409(client, devices, make_record):
    record = make_record()
    assert send(client, devices[0], rating(serial_no=record.serial_no)).status_code == 201
    changed = send(client, devices[0], rating(serial_no=record.serial_no, grade=4))
    assert changed.status_code == 409
    assert [(e["field"], e["code"]) for e in changed.json()["errors"]] == [("client_id", "client_id_reused")]
    assert list(Evaluation.objects.values_list("grade", flat=True)) == [5]


def test_issue14_a_follow_up_retry_is_the_body_as_posted_not_what_the_case_now_waits_for(
    client, devices, make_record, org
):
    """The evaluator showed the case for its 追评, so a post without assess_number took the follow-up and
    cleared the offer; the retry of that post is still the same body (not a first rating's)."""
    record = make_record()
    assert send(client, devices[0], rating(client_id="first", serial_no=record.serial_no)).status_code == 201
    pending_set(window=org["zhanggong"]["window"], record=record, assess_number=2, by="clerk")
    follow_up = rating(client_id="again", serial_no=record.serial_no, grade=3)
    first = send(client, devices[0], follow_up)
    assert first.status_code == 201 and not PendingRating.objects.exists()
    retry = send(client, devices[0], follow_up)
    assert retry.status_code == 200 and retry.content == first.content
    assert sorted(Evaluation.objects.values_list("assess_number", "grade")) == [(1, 5), (2, 3)]


# serialized_rollback: the flush after a transactional test would otherwise drop the seeded tags.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_issue14_two_threads_posting_a_window_rating_with_the_same_key_make_one_row(live_server, devices):
    """No case to lock and no once-per-case constraint: only the sender's key stops the second row."""
    body = json.dumps(rating(client_id=f"dev-{uuid4().hex}", grade=4)).encode()
    serial, secret = devices[0]
    answers = post_together(
        f"{live_server.url}{PATH}",
        body,
        lambda: signed_headers(serial=serial, secret=secret, method="POST", path=PATH, body=body),
    )
    assert sorted(status for status, _ in answers) == [200, 201]
    assert answers[0][1] == answers[1][1]
    assert Evaluation.objects.count() == 1 and ClientKey.objects.count() == 1
