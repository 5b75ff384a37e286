"""The evaluator device and the clerk's window page for what Tianjin art. 12-15 and the follow-up rating
(追评, 国办发〔2019〕51号 三(一); assessNumber 2) ask of them: the window rating of a joint-approval case at
intake, one rating of clerk and matter for a batch, a consultation's clerk only, and the 追评 the clerk
offers on the evaluator."""

import json
from dataclasses import dataclass
from datetime import timedelta
from uuid import uuid4

import pytest
from django.urls import reverse
from django.utils import timezone

from devices.auth import signed_headers
from devices.models import Device, PendingRating
from devices.services.pending import pending_set
from devices.services.registry import device_register
from evaluations.models import Evaluation, Role, ServiceMatter, User

pytestmark = [pytest.mark.django_db, pytest.mark.calendar, pytest.mark.usefixtures("own_counters")]

BASE = "/api/devices/v1"


@dataclass
class Registered:
    device: Device
    secret: str


@pytest.fixture
def evaluator(org) -> Registered:
    return Registered(*device_register(by=None, serial="EV-ZG-09", window=org["zhanggong"]["window"]))


@pytest.fixture
def clerk(org) -> User:
    user = User.objects.create_user(
        "clerk", password="pw-for-tests-1", role=Role.WINDOW_STAFF, department=org["zhanggong"]["department"]
    )
    staff = org["zhanggong"]["staff"]
    staff.user = user
    staff.save(update_fields=["user"])
    return user


def call(client, device: Registered, method: str, name: str, body: dict | None = None):
    path = f"{BASE}/{name}"
    data = b"" if body is None else json.dumps(body, ensure_ascii=False).encode()
    headers = signed_headers(
        serial=device.device.serial, secret=device.secret, method=method, path=path, body=data
    )
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


def slots(record) -> list[tuple[str, str, int, int | None]]:
    found = Evaluation.objects.filter(record=record).order_by("target", "stage", "assess_number")
    return [(e.target, e.stage, e.assess_number, e.grade) for e in found]


def waiting(client, evaluator) -> dict | None:
    response = call(client, evaluator, "GET", "pending")
    assert response.status_code == 200
    return response.json()


def ask(client, window, record, **extra):
    return client.post(reverse("devices:ask_rating", args=[window.code]), {"record": record.pk, **extra})


def test_tianjin_art13_joint_case_window_rating_at_intake_from_device(
    client, org, make_record, evaluator, clerk
):
    """Tianjin art. 13: a joint-approval case rates the window at intake (the device refused it with
    not_completed before). The clerk offers it from the window page; the device asks for the clerk."""
    now = timezone.now()
    record = make_record(
        status="accepted",
        completed_at=None,
        accepted_at=now - timedelta(minutes=10),
        joint_department_codes=[org["nankang"]["department"].code],
    )
    window = org["zhanggong"]["window"]
    client.force_login(clerk)
    html = client.get(reverse("devices:window", args=[window.code])).content.decode()
    assert "今天受理的联办件" in html and record.serial_no in html and "请评价收件" in html
    assert ask(client, window, record).status_code == 302
    body = waiting(client, evaluator)
    assert {k: body[k] for k in ("serial_no", "stage", "target", "assess_number", "staff_and_matter")} == {
        "serial_no": record.serial_no,
        "stage": "intake",
        "target": "staff",
        "assess_number": 1,
        "staff_and_matter": False,
    }
    posted = call(client, evaluator, "POST", "evaluations", rating(serial_no=record.serial_no, grade=4))
    assert posted.status_code == 201, posted.content
    assert slots(record) == [("staff", "intake", 1, 4)]
    assert Evaluation.objects.get().staff == org["zhanggong"]["staff"]
    assert waiting(client, evaluator) is None  # the rating it waited for came: off the evaluator
    html = client.get(reverse("devices:window", args=[window.code])).content.decode()
    assert "已评价收件" in html


def test_tianjin_art13_a_joint_case_at_intake_rates_the_clerk_not_the_matter(
    client, org, make_record, evaluator
):
    record = make_record(
        status="accepted", completed_at=None, joint_department_codes=[org["nankang"]["department"].code]
    )
    matter = call(
        client, evaluator, "POST", "evaluations", rating(serial_no=record.serial_no, target="matter")
    )
    assert matter.status_code == 422 and matter.json()["errors"][0]["code"] == "stage_not_allowed"
    early = call(
        client, evaluator, "POST", "evaluations", rating(serial_no=record.serial_no, stage="completion")
    )
    assert early.status_code == 422 and early.json()["errors"][0]["code"] == "not_completed"
    assert not Evaluation.objects.exists()


def test_tianjin_art12_a_batch_on_the_device_rates_clerk_and_matter_at_once(
    client, org, make_record, evaluator
):
    first, second = (make_record(batch_no="B-DEV") for _ in range(2))
    pending_set(window=org["zhanggong"]["window"], record=second)
    assert waiting(client, evaluator)["staff_and_matter"] is True
    bad = call(
        client, evaluator, "POST", "evaluations", rating(serial_no=second.serial_no, grade=1, tags=["M1-01"])
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["code"] == "reason_required_each"
    body = rating(serial_no=second.serial_no, grade=1, tags=["M1-01", "S1-01"])
    assert call(client, evaluator, "POST", "evaluations", body).status_code == 201
    for case in (first, second):
        assert slots(case) == [("matter", "completion", 1, 1), ("staff", "completion", 1, 1)]


def test_tianjin_art15_a_hall_consultation_on_the_device_rates_the_clerk(client, org, make_record, evaluator):
    consultation = ServiceMatter.objects.create(
        code="M-zg-q", name="政策咨询", department=org["zhanggong"]["department"], consultation_only=True
    )
    record = make_record(matter_code=consultation.code)  # completed at the window: offered on the evaluator
    assert {k: waiting(client, evaluator)[k] for k in ("stage", "target")} == {
        "stage": "completion",
        "target": "staff",
    }
    assert (
        call(client, evaluator, "POST", "evaluations", rating(serial_no=record.serial_no)).status_code == 201
    )
    assert slots(record) == [("staff", "completion", 1, 5)]
    assert waiting(client, evaluator) is None


@pytest.mark.usefixtures("ten_in_the_morning")  # "today's cases": not just after midnight
def test_51hao_follow_up_on_the_device_when_the_clerk_offers_it(client, org, make_record, evaluator, clerk):
    now = timezone.now()
    record = make_record(completed_at=now - timedelta(minutes=30), accepted_at=now - timedelta(hours=1))
    assert (
        call(
            client, evaluator, "POST", "evaluations", rating(serial_no=record.serial_no, grade=4)
        ).status_code
        == 201
    )
    assert waiting(client, evaluator) is None
    window = org["zhanggong"]["window"]
    client.force_login(clerk)
    html = client.get(reverse("devices:window", args=[window.code])).content.decode()
    assert "请追评" in html
    response = ask(client, window, record, assess_number="2")
    assert response.status_code == 302
    assert PendingRating.objects.get(window=window).assess_number == 2
    body = waiting(client, evaluator)
    assert (body["serial_no"], body["target"], body["assess_number"]) == (record.serial_no, "matter", 2)
    assert "评价器显示追评" in client.get(reverse("devices:window", args=[window.code])).content.decode()
    posted = call(
        client, evaluator, "POST", "evaluations", rating(serial_no=record.serial_no, grade=2, tags=["M2-01"])
    )
    assert posted.status_code == 201, posted.content
    assert posted.json()["work_order"]  # a bad follow-up is a complaint of its own
    assert slots(record) == [("matter", "completion", 1, 4), ("matter", "completion", 2, 2)]
    assert waiting(client, evaluator) is None
    html = client.get(reverse("devices:window", args=[window.code])).content.decode()
    assert "已追评" in html and "请追评" not in html
    again = ask(client, window, record, assess_number="2")  # once only
    assert again.status_code == 302 and not PendingRating.objects.filter(window=window).exists()


def test_51hao_the_device_may_send_the_follow_up_itself_once(client, make_record, evaluator):
    record = make_record()
    early = call(
        client, evaluator, "POST", "evaluations", rating(serial_no=record.serial_no, assess_number=2)
    )
    assert early.status_code == 422 and early.json()["errors"][0]["code"] == "follow_up_without_first"
    assert (
        call(client, evaluator, "POST", "evaluations", rating(serial_no=record.serial_no)).status_code == 201
    )
    follow_up = rating(serial_no=record.serial_no, assess_number=2, grade=3)
    assert call(client, evaluator, "POST", "evaluations", follow_up).status_code == 201
    assert call(client, evaluator, "POST", "evaluations", follow_up).status_code == 200  # a retry
    twice = call(
        client, evaluator, "POST", "evaluations", rating(serial_no=record.serial_no, assess_number=2)
    )
    assert twice.status_code == 409 and twice.json()["errors"][0]["code"] == "follow_up_exists"
    assert slots(record) == [("matter", "completion", 1, 5), ("matter", "completion", 2, 3)]


def test_51hao_a_case_not_rated_cannot_be_offered_for_a_follow_up(client, org, make_record, clerk):
    now = timezone.now()
    record = make_record(completed_at=now - timedelta(minutes=30), accepted_at=now - timedelta(hours=1))
    PendingRating.objects.all().delete()
    client.force_login(clerk)
    response = ask(client, org["zhanggong"]["window"], record, assess_number="2")
    assert response.status_code == 302 and not PendingRating.objects.exists()
    messages = client.get(reverse("devices:window", args=[org["zhanggong"]["window"].code])).content.decode()
    assert "已评价且尚未追评的办件" in messages
