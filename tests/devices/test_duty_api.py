"""Signing in and out on the evaluator (issue 12, point 1), through the signed device API.

Tianjin art. 10(1): the window evaluator shows the clerk's name; the heartbeat gives the evaluator
who is on duty (name, staff number, department, no photograph), and a rating without a case is the
clerk's signed in at its ``rated_at`` — or the window's alone when nobody is.
"""

import json
from datetime import timedelta
from uuid import uuid4

import pytest
from django.utils import timezone

from devices.auth import signed_headers
from devices.models import Device
from devices.services.registry import device_register
from evaluations.models import Evaluation, Shift, Staff, Window

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("ten_in_the_morning")]

BASE = "/api/devices/v1"


@pytest.fixture
def evaluator(org) -> tuple[Device, str]:
    return device_register(by=None, serial="EV-ZG-01", window=org["zhanggong"]["window"])


def call(client, device: tuple[Device, str], name: str, body: dict | None = None, method: str = "POST"):
    path = f"{BASE}/{name}"
    data = b"" if body is None else json.dumps(body, ensure_ascii=False).encode()
    headers = signed_headers(serial=device[0].serial, secret=device[1], method=method, path=path, body=data)
    if method == "GET":
        return client.get(path, headers=headers)
    return client.generic(method, path, data=data, content_type="application/json", headers=headers)


def codes(response) -> list[tuple[str, str]]:
    return [(error["field"], error["code"]) for error in response.json()["errors"]]


def rating(**overrides) -> dict:
    body = {"client_id": f"dev-{uuid4().hex}", "grade": 5, "rated_at": timezone.localtime().isoformat()}
    return {**body, **overrides}


def test_tianjin_art10_1_a_clerk_signs_in_on_the_evaluator_which_then_shows_him(client, org, evaluator):
    side = org["zhanggong"]
    response = call(client, evaluator, "duty/sign-in", {"staff_no": "S-zhanggong"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["window"] == {"code": "W-zhanggong", "name": "综合受理窗口"}
    (person,) = body["staff_on_duty"]
    assert {key: person[key] for key in ("staff_no", "name", "department")} == {
        "staff_no": "S-zhanggong",
        "name": "章贡区张三",
        "department": side["department"].name,
    }
    assert set(person) == {"staff_no", "name", "department", "signed_in_at"}  # no photograph, no phone
    shift = Shift.objects.get()
    assert (shift.staff, shift.window, shift.started_device, shift.started_by) == (
        side["staff"], side["window"], "EV-ZG-01", None,
    )  # fmt: skip
    assert call(client, evaluator, "heartbeat").json()["staff_on_duty"] == body["staff_on_duty"]


def test_tianjin_art10_1_a_rating_without_a_case_is_the_signed_in_clerks_until_he_signs_out(
    client, org, evaluator
):
    side = org["zhanggong"]
    call(client, evaluator, "duty/sign-in", {"staff_no": "S-zhanggong"})
    assert call(client, evaluator, "evaluations", rating()).status_code == 201
    assert Evaluation.objects.get().staff == side["staff"]
    out = call(client, evaluator, "duty/sign-out", {"staff_no": "S-zhanggong"})
    assert (out.status_code, out.json()["staff_on_duty"]) == (200, [])
    assert Shift.objects.get().ended_device == "EV-ZG-01"
    assert call(client, evaluator, "evaluations", rating(grade=4)).status_code == 201
    window_only = Evaluation.objects.get(grade=4)
    assert (window_only.staff, window_only.window, window_only.department) == (
        None, side["window"], side["department"],
    )  # fmt: skip


def test_an_offline_rating_keeps_the_clerk_of_its_rated_at(client, org, evaluator):
    side = org["zhanggong"]
    call(client, evaluator, "duty/sign-in", {"staff_no": "S-zhanggong"})
    made = timezone.localtime()
    call(client, evaluator, "duty/sign-out", {"staff_no": "S-zhanggong"})
    response = call(
        client, evaluator, "evaluations", rating(rated_at=(made + timedelta(microseconds=1)).isoformat())
    )
    assert response.status_code == 201
    assert Evaluation.objects.get().staff == side["staff"]


def test_signing_in_at_another_window_ends_the_shift_at_this_one(client, org, evaluator):
    side = org["zhanggong"]
    call(client, evaluator, "duty/sign-in", {"staff_no": "S-zhanggong"})
    other = Window.objects.create(hall=side["hall"], code="W-zg-2", name="帮办代办窗口")
    other.departments.add(side["department"])
    second = device_register(by=None, serial="EV-ZG-02", window=other)
    assert call(client, second, "duty/sign-in", {"staff_no": "S-zhanggong"}).status_code == 200
    assert call(client, evaluator, "heartbeat").json()["staff_on_duty"] == []
    assert Shift.objects.filter(ended_at__isnull=True).get().window == other


@pytest.mark.parametrize(
    ("staff_no", "status", "code"),
    [
        ("S-NOBODY", 404, "staff_unknown"),
        ("S-nankang", 422, "staff_not_at_window"),  # another district's department
    ],
)
def test_a_sign_in_that_cannot_be_is_refused_with_its_code(client, org, evaluator, staff_no, status, code):
    response = call(client, evaluator, "duty/sign-in", {"staff_no": staff_no})
    assert response.status_code == status and codes(response) == [("staff_no", code)]
    assert "message" in response.json()["errors"][0]
    assert not Shift.objects.exists()


def test_an_inactive_clerk_cannot_sign_in(client, org, evaluator):
    Staff.objects.filter(staff_no="S-zhanggong").update(active=False)
    response = call(client, evaluator, "duty/sign-in", {"staff_no": "S-zhanggong"})
    assert response.status_code == 422 and codes(response) == [("staff_no", "staff_inactive")]


def test_signing_out_someone_not_signed_in_here_is_a_conflict(client, org, evaluator):
    response = call(client, evaluator, "duty/sign-out", {"staff_no": "S-zhanggong"})
    assert response.status_code == 409 and codes(response) == [("staff_no", "not_on_duty")]


def test_a_kiosk_without_a_window_signs_nobody_in(client, org):
    kiosk = device_register(by=None, serial="KS-01", hall=org["zhanggong"]["hall"], kind=Device.Kind.KIOSK)
    response = call(client, kiosk, "duty/sign-in", {"staff_no": "S-zhanggong"})
    assert response.status_code == 422 and codes(response) == [("window", "window_required")]


@pytest.mark.parametrize("body", [{}, {"staff_no": ""}, {"staff_no": 7}, {"staff_no": "x" * 33}])
def test_a_bad_body_is_a_422_with_the_field(client, evaluator, body):
    response = call(client, evaluator, "duty/sign-in", body)
    assert response.status_code == 422
    assert all(field.endswith("staff_no") for field, _code in codes(response))


def test_an_unsigned_sign_in_is_refused(client, org):
    response = client.post(
        f"{BASE}/duty/sign-in", {"staff_no": "S-zhanggong"}, content_type="application/json"
    )
    assert response.status_code == 401
    assert not Shift.objects.exists()


def test_the_duty_calls_are_in_the_openapi_schema(client):
    schema = client.get(f"{BASE}/openapi.json").json()
    for path in ("/api/devices/v1/duty/sign-in", "/api/devices/v1/duty/sign-out"):
        assert "post" in schema["paths"][path], path
    staff = schema["components"]["schemas"]["StaffOut"]["properties"]
    assert set(staff) == {"staff_no", "name", "department", "signed_in_at"}
