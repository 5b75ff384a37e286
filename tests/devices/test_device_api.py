"""The device API (DESIGN §7): heartbeat, the case waiting at the window, and ratings that are never
counted twice however often a device retries or however late it uploads its offline buffer."""

import json
from dataclasses import dataclass
from datetime import timedelta
from uuid import uuid4

import pytest
from django.utils import timezone

from devices.auth import signed_headers
from devices.models import Device, PendingRating
from devices.services.pending import PendingRefused, pending_set
from devices.services.registry import device_register
from evaluations.models import Evaluation, Staff
from evaluations.services.apikeys import apikey_create
from evaluations.services.duty import shift_start

from ..races import post_together

pytestmark = pytest.mark.django_db

BASE = "/api/devices/v1"


@dataclass
class Registered:
    device: Device
    secret: str

    def headers(self, method: str, path: str, body: bytes = b"") -> dict[str, str]:
        return signed_headers(
            serial=self.device.serial, secret=self.secret, method=method, path=path, body=body
        )


@pytest.fixture
def evaluator(org) -> Registered:
    return Registered(*device_register(by=None, serial="EV-ZG-01", window=org["zhanggong"]["window"]))


def call(client, device: Registered, method: str, name: str, body: dict | None = None):
    path = f"{BASE}/{name}"
    data = b"" if body is None else json.dumps(body, ensure_ascii=False).encode()
    headers = device.headers(method, path, data)
    if method == "GET":
        return client.get(path, headers=headers)
    return client.generic(method, path, data=data, content_type="application/json", headers=headers)


def rating(**overrides) -> dict:
    body = {
        "client_id": f"dev-{uuid4().hex}",
        "grade": 5,
        "tags": [],
        "comment": "",
        "rated_at": timezone.localtime().isoformat(),
    }
    return {**body, **overrides}


def codes(response) -> list[tuple[str, str]]:
    assert response["Content-Type"].startswith("application/json")
    return [(e["field"], e["code"]) for e in response.json()["errors"]]


def test_a_heartbeat_gives_the_time_the_window_and_the_staff_on_duty(client, org, evaluator):
    """On duty = signed in at the window (issue 12), in the order they signed in; posted there but not
    signed in (王五) is not on duty."""
    li = Staff.objects.create(
        name="李四",
        staff_no="S-zg-2",
        department=org["zhanggong"]["department"],
        window=org["zhanggong"]["window"],
    )
    Staff.objects.create(
        name="王五",
        staff_no="S-zg-3",
        department=org["zhanggong"]["department"],
        window=org["zhanggong"]["window"],
    )
    first = shift_start(staff=org["zhanggong"]["staff"], window=org["zhanggong"]["window"])
    shift_start(staff=li, window=org["zhanggong"]["window"])
    response = call(client, evaluator, "POST", "heartbeat", {"firmware": "2.1.0"})
    assert response.status_code == 200
    body = response.json()
    assert body["window"] == {"code": "W-zhanggong", "name": "综合受理窗口"}
    department = org["zhanggong"]["department"].name
    assert [{k: v for k, v in person.items() if k != "signed_in_at"} for person in body["staff_on_duty"]] == [
        {"staff_no": "S-zhanggong", "name": "章贡区张三", "department": department},
        {"staff_no": "S-zg-2", "name": "李四", "department": department},
    ]
    signed_in_at = timezone.datetime.fromisoformat(body["staff_on_duty"][0]["signed_in_at"])
    assert abs(signed_in_at - first.started_at) < timedelta(milliseconds=1)
    assert body["server_time"].endswith("+08:00")
    assert abs(timezone.datetime.fromisoformat(body["server_time"]) - timezone.now()) < timedelta(seconds=5)
    evaluator.device.refresh_from_db()
    assert evaluator.device.firmware == "2.1.0"


def test_a_heartbeat_may_have_an_empty_body(client, evaluator):
    assert call(client, evaluator, "POST", "heartbeat").status_code == 200


def test_a_rating_of_a_case_is_recorded_once_per_client_id(client, make_record, evaluator):
    record = make_record()
    body = rating(serial_no=record.serial_no)
    first = call(client, evaluator, "POST", "evaluations", body)
    assert first.status_code == 201, first.content
    evaluation = Evaluation.objects.get()
    assert first.json() == {"id": evaluation.pk, "work_order": None}
    assert (evaluation.record, evaluation.target, evaluation.stage) == (record, "matter", "completion")
    assert (evaluation.channel, evaluation.device_serial, evaluation.client_id) == (
        "device", "EV-ZG-01", body["client_id"],
    )  # fmt: skip
    retry = call(client, evaluator, "POST", "evaluations", body)  # a new nonce, the same body
    assert (retry.status_code, retry.json()) == (200, first.json())
    other = call(client, evaluator, "POST", "evaluations", rating(serial_no=record.serial_no, grade=4))
    assert other.status_code == 409 and codes(other) == [("", "already_rated")]
    assert Evaluation.objects.count() == 1


def test_a_staff_rating_of_a_case_names_the_staff_who_completed_it(client, org, make_record, evaluator):
    record = make_record()
    response = call(
        client, evaluator, "POST", "evaluations", rating(serial_no=record.serial_no, target="staff")
    )
    assert response.status_code == 201
    evaluation = Evaluation.objects.get()
    assert (evaluation.target, evaluation.staff) == ("staff", org["zhanggong"]["staff"])
    # The matter is still to be rated: the case stays on the evaluator.
    assert call(client, evaluator, "GET", "pending").json()["serial_no"] == record.serial_no


def test_a_rating_without_a_case_rates_the_staff_on_duty(client, org, evaluator):
    shift_start(staff=org["zhanggong"]["staff"], window=org["zhanggong"]["window"])
    response = call(client, evaluator, "POST", "evaluations", rating(grade=2, tags=["S2-01"]))
    assert response.status_code == 201, response.content
    evaluation = Evaluation.objects.get()
    assert (evaluation.record, evaluation.target, evaluation.staff) == (
        None,
        "staff",
        org["zhanggong"]["staff"],
    )
    assert evaluation.window == org["zhanggong"]["window"]
    assert response.json()["work_order"]  # a bad rating opens its work order


def test_a_kiosk_rates_through_the_kiosk_channel(client, org, make_record):
    kiosk = Registered(
        *device_register(by=None, serial="KS-01", hall=org["zhanggong"]["hall"], kind=Device.Kind.KIOSK)
    )
    response = call(client, kiosk, "POST", "evaluations", rating(serial_no=make_record().serial_no))
    assert response.status_code == 201
    assert Evaluation.objects.get().channel == "kiosk"
    without_window = call(client, kiosk, "POST", "evaluations", rating())
    assert without_window.status_code == 422 and codes(without_window) == [("window", "window_required")]


def test_a_case_of_another_hall_is_not_found(client, org, make_record, evaluator):
    elsewhere = make_record(window_code=org["nankang"]["window"].code, staff_no=None)
    for serial_no in (elsewhere.serial_no, "SN-NOWHERE"):
        response = call(client, evaluator, "POST", "evaluations", rating(serial_no=serial_no))
        assert response.status_code == 404 and codes(response) == [("serial_no", "record_not_found")]
    assert not Evaluation.objects.exists()


def test_the_intake_rules_answer_with_422(client, make_record, evaluator):
    record = make_record()
    no_reason = call(client, evaluator, "POST", "evaluations", rating(serial_no=record.serial_no, grade=1))
    assert no_reason.status_code == 422 and codes(no_reason) == [("tags", "reason_required")]
    naive = call(client, evaluator, "POST", "evaluations", rating(rated_at="2025-10-09T09:30:00"))
    assert naive.status_code == 422 and codes(naive) == [("rated_at", "naive_datetime")]
    missing = call(client, evaluator, "POST", "evaluations", {"client_id": "dev-1", "grade": 5})
    assert missing.status_code == 422 and codes(missing) == [("rated_at", "required")]
    assert not Evaluation.objects.exists()


def test_an_offline_rating_keeps_its_time_and_is_accepted_while_the_window_is_open(
    client, make_record, evaluator
):
    record = make_record()  # completed yesterday: 5 working days to rate
    rated_at = timezone.localtime(record.completed_at + timedelta(minutes=3))
    response = call(
        client,
        evaluator,
        "POST",
        "evaluations",
        rating(serial_no=record.serial_no, rated_at=rated_at.isoformat()),
    )
    assert response.status_code == 201
    assert Evaluation.objects.get().rated_at == rated_at


def test_an_offline_rating_uploaded_long_after_it_was_made_is_refused(client, make_record, evaluator):
    # Made in its window but uploaded 30 days later: past the late-upload days (test_late_upload.py).
    long_ago = timezone.now() - timedelta(days=30)
    record = make_record(accepted_at=long_ago - timedelta(hours=1), completed_at=long_ago)
    body = rating(
        serial_no=record.serial_no, rated_at=timezone.localtime(long_ago + timedelta(minutes=2)).isoformat()
    )
    response = call(client, evaluator, "POST", "evaluations", body)
    assert response.status_code == 422 and codes(response) == [("rated_at", "upload_too_late")]
    assert "3 个工作日" in response.json()["errors"][0]["message"]
    assert not Evaluation.objects.exists()


def test_the_pending_case_flows_from_the_business_system_to_the_device(client, org, evaluator):
    key = apikey_create(by=None, name="窗口综合受理系统")[1]
    assert call(client, evaluator, "GET", "pending").json() is None
    side, now = org["zhanggong"], timezone.localtime()
    case = {
        "matter_code": side["matter"].code, "department_code": side["department"].code,
        "region_code": side["department"].region.code, "window_code": side["window"].code,
        "staff_no": side["staff"].staff_no, "channel": "window", "status": "completed",
        "accepted_at": (now - timedelta(minutes=20)).isoformat(), "completed_at": now.isoformat(),
        "applicant": {"type": "person", "name": "王小明", "phone": "13812345678"},
    }  # fmt: skip
    pushed = client.put(
        "/api/v1/records/SN-2025-0042",
        data=json.dumps(case),
        content_type="application/json",
        headers={"Authorization": f"Bearer {key}"},
    )
    assert pushed.status_code == 201
    pending = call(client, evaluator, "GET", "pending")
    assert pending.status_code == 200
    body = pending.json()
    assert {k: body[k] for k in ("serial_no", "matter_name", "staff_name")} == {
        "serial_no": "SN-2025-0042",
        "matter_name": "个体工商户设立登记",
        "staff_name": "章贡区张三",
    }
    assert body["set_at"].endswith("+08:00")
    assert PendingRating.objects.get().set_by == "窗口综合受理系统"
    rated = call(client, evaluator, "POST", "evaluations", rating(serial_no="SN-2025-0042"))
    assert rated.status_code == 201
    assert call(client, evaluator, "GET", "pending").json() is None
    assert not PendingRating.objects.exists()


def test_a_rating_through_another_channel_also_clears_the_pending_case(client, org, make_record, evaluator):
    record = make_record()  # completed at the 章贡区 window: offered on its evaluator
    assert call(client, evaluator, "GET", "pending").json()["serial_no"] == record.serial_no
    key = apikey_create(by=None, name="网上办事大厅")[1]
    body = {
        "client_id": "web-1",
        "serial_no": record.serial_no,
        "target": "matter",
        "stage": "completion",
        "grade": 5,
        "tags": [],
        "channel": "qr",
    }
    posted = client.post(
        "/api/v1/evaluations",
        data=json.dumps(body),
        content_type="application/json",
        headers={"Authorization": f"Bearer {key}"},
    )
    assert posted.status_code == 201
    assert call(client, evaluator, "GET", "pending").json() is None


def test_the_clerk_can_offer_a_case_again_but_not_one_of_another_hall(org, make_record, evaluator, owner):
    record, other = make_record(), make_record(window_code=org["nankang"]["window"].code, staff_no=None)
    PendingRating.objects.all().delete()
    pending = pending_set(window=org["zhanggong"]["window"], record=record, by=owner)
    assert (pending.record, pending.set_by) == (record, "owner")
    with pytest.raises(PendingRefused):
        pending_set(window=org["zhanggong"]["window"], record=other, by=owner)
    assert PendingRating.objects.get().record == record


def test_a_rated_case_offered_again_is_not_shown(client, org, make_record, evaluator):
    record = make_record()
    assert (
        call(client, evaluator, "POST", "evaluations", rating(serial_no=record.serial_no)).status_code == 201
    )
    pending_set(window=org["zhanggong"]["window"], record=record, by="clerk")
    assert call(client, evaluator, "GET", "pending").json() is None


def test_a_case_whose_window_closed_is_no_longer_offered(client, make_record, evaluator):
    long_ago = timezone.now() - timedelta(days=30)
    make_record(accepted_at=long_ago - timedelta(hours=1), completed_at=long_ago)
    assert PendingRating.objects.exists()
    assert call(client, evaluator, "GET", "pending").json() is None


# serialized_rollback: the flush after a transactional test would otherwise drop the seeded tags.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_same_client_id_from_two_threads_with_two_nonces_makes_one_row(live_server, make_record, org):
    device = Registered(*device_register(by=None, serial="EV-ZG-02", window=org["zhanggong"]["window"]))
    body = json.dumps(rating(serial_no=make_record().serial_no, grade=2, tags=["M2-01"])).encode()
    path = f"{BASE}/evaluations"
    answers = post_together(f"{live_server.url}{path}", body, lambda: device.headers("POST", path, body))
    assert sorted(status for status, _ in answers) == [200, 201]
    assert answers[0][1] == answers[1][1]
    assert Evaluation.objects.count() == 1
