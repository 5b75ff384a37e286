"""A device's offline ratings (issue 12, point 7): judged by ``rated_at``, accepted up to
``Policy.late_upload_days`` working days later and marked 补传, refused with a code when older or
impossible, and never recorded twice.

The clauses: Tianjin 实施细则 第十六条 and Ganzhou 办法 第十一条 (rate within 5 working days of
completion), 国办发〔2019〕51号 一(一) (现场服务: 没有在服务现场作出评价的可在一定期限内补充评价).

Every test fixes its own moment in November 2026 (no holidays that month): a case completed Monday
16 November 10:00 may be rated until the end of Monday 23 November (17, 18, 19, 20, 23).
"""

import json
from datetime import datetime
from uuid import uuid4

import pytest
from django.db import DatabaseError, connection

from devices.auth import signed_headers
from devices.services.registry import device_register
from evaluations.models import Evaluation, Policy, Preset
from evaluations.services.apikeys import apikey_create
from evaluations.services.timeouts import timeouts_apply

from ..db_roles import as_owner
from .november import BEIJING, at, clock

pytestmark = [pytest.mark.django_db, pytest.mark.calendar]

PATH = "/api/devices/v1/evaluations"


@pytest.fixture
def evaluator(org):
    device, secret = device_register(by=None, serial="EV-ZG-LATE", window=org["zhanggong"]["window"])
    return device, secret


@pytest.fixture
def ganzhou(regions) -> Policy:
    policy = Policy.from_preset(Preset.GANZHOU, region=regions["province"])
    policy.save()
    return policy


@pytest.fixture
def case(make_record):
    """Completed Monday 16 November 10:00 at the 章贡区 window; its window ends with 23 November."""
    with clock(at(16, 10, 5)):
        return make_record(accepted_at=at(16, 9), completed_at=at(16, 10))


@pytest.fixture
def other_case(make_record, case):
    """Another case completed at the same moment at the same window."""
    with clock(at(16, 10, 6)):
        return make_record(accepted_at=at(16, 9), completed_at=at(16, 10))


def upload(client, evaluator, **fields):
    device, secret = evaluator
    body = {"client_id": f"dev-{uuid4().hex}", "grade": 5, "tags": [], "comment": "", **fields}
    data = json.dumps(body, ensure_ascii=False).encode()
    headers = signed_headers(serial=device.serial, secret=secret, method="POST", path=PATH, body=data)
    return client.generic("POST", PATH, data=data, content_type="application/json", headers=headers)


def codes(response) -> list[tuple[str, str]]:
    assert response["Content-Type"].startswith("application/json")
    return [(e["field"], e["code"]) for e in response.json()["errors"]]


def test_device_upload_judged_by_rated_at_within_tianjin_window(client, evaluator, tianjin, case):
    """Tianjin art. 16: rated on Friday 20 November, inside the 5 working days; the evaluator was
    offline and uploads on Tuesday 24 November, after the window closed: accepted, marked 补传."""
    with clock(at(24)):
        response = upload(client, evaluator, serial_no=case.serial_no, rated_at=at(20, 15).isoformat())
    assert response.status_code == 201, response.content
    evaluation = Evaluation.objects.get()
    assert (evaluation.record, evaluation.rated_at, evaluation.late_upload) == (case, at(20, 15), True)
    assert evaluation.channel == "device"


def test_device_upload_rated_after_the_ganzhou_art11_window_is_window_closed(
    client, evaluator, ganzhou, case
):
    """Ganzhou art. 11: a rating made on 24 November (the window ended with the 23rd) is too late,
    however promptly it is uploaded."""
    with clock(at(24, 10, 1)):
        response = upload(client, evaluator, serial_no=case.serial_no, rated_at=at(24, 10).isoformat())
    assert response.status_code == 422 and codes(response) == [("", "window_closed")]
    assert "5 个工作日" in response.json()["errors"][0]["message"]
    assert not Evaluation.objects.exists()


def test_51hao_upload_later_than_the_late_upload_days_is_upload_too_late(
    client, evaluator, tianjin, case, other_case
):
    """51号 一(一) allows a rating 'within a period': made on the 20th, the default 3 working days run
    out with the 25th (23, 24, 25); uploaded on Thursday 26 November it is refused, with a code."""
    with clock(at(25, 23, 50)):
        in_time = upload(client, evaluator, serial_no=case.serial_no, rated_at=at(20, 15).isoformat())
    assert in_time.status_code == 201
    with clock(at(26, 0, 10)):
        late = upload(client, evaluator, serial_no=other_case.serial_no, rated_at=at(20, 15, 5).isoformat())
    assert late.status_code == 422 and codes(late) == [("rated_at", "upload_too_late")]
    message = late.json()["errors"][0]["message"]
    assert "2026-11-20 15:05" in message and "3 个工作日" in message
    assert Evaluation.objects.count() == 1


def test_51hao_a_caseless_rating_forty_days_old_is_upload_too_late(client, evaluator, tianjin):
    """The issue's case: a window rating without a case, made 40 days before it arrived, was accepted.
    Without a case there is no completion to count from, so the upload limit alone decides."""
    with clock(at(30)):
        response = upload(client, evaluator, rated_at=datetime(2026, 10, 21, 10, tzinfo=BEIJING).isoformat())
    assert response.status_code == 422 and codes(response) == [("rated_at", "upload_too_late")]
    assert not Evaluation.objects.exists()


def test_51hao_a_caseless_rating_uploaded_two_working_days_later_is_accepted_as_late(
    client, evaluator, tianjin
):
    with clock(at(24)):
        response = upload(client, evaluator, rated_at=at(20, 16).isoformat())
    assert response.status_code == 201, response.content
    evaluation = Evaluation.objects.get()
    assert (evaluation.record, evaluation.window.code, evaluation.late_upload) == (None, "W-zhanggong", True)


@pytest.mark.parametrize("rated_at", ["0001-01-01T00:00:00+08:00", "1999-12-31T23:59:00+08:00"])
def test_an_impossible_rated_at_is_refused_with_a_code_not_a_500(client, evaluator, tianjin, case, rated_at):
    """Year 0001 gave a 500 (it does not even convert to UTC): it is refused as out of range, with a
    case and without one."""
    with clock(at(20)):
        for fields in ({"serial_no": case.serial_no}, {}):
            response = upload(client, evaluator, rated_at=rated_at, **fields)
            assert response.status_code == 422, response.content
            assert codes(response) == [("rated_at", "rated_at_out_of_range")]
    assert not Evaluation.objects.exists()


def test_a_rated_at_in_the_future_is_still_invalid(client, evaluator, tianjin, case):
    with clock(at(20)):
        response = upload(client, evaluator, serial_no=case.serial_no, rated_at=at(20, 11).isoformat())
    assert response.status_code == 422 and codes(response) == [("rated_at", "rated_at_invalid")]


def test_the_same_late_upload_twice_makes_one_row(client, evaluator, tianjin, case):
    """Exactly once (DESIGN §7): the device retries its buffered rating; the retry, even after the
    upload limit has passed, gets the first answer and writes nothing."""
    client_id = f"dev-{uuid4().hex}"
    fields = {"client_id": client_id, "serial_no": case.serial_no, "rated_at": at(20, 15).isoformat()}
    with clock(at(24)):
        first = upload(client, evaluator, **fields)
        again = upload(client, evaluator, **fields)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    with clock(at(30)):
        much_later = upload(client, evaluator, **fields)
    assert (much_later.status_code, much_later.json()) == (200, first.json())
    assert Evaluation.objects.filter(client_id=client_id).count() == 1
    assert Evaluation.objects.count() == 1


def test_a_live_device_rating_is_not_marked_late(client, evaluator, tianjin, case):
    with clock(at(18, 9, 30)):
        response = upload(client, evaluator, serial_no=case.serial_no, rated_at=at(18, 9, 28).isoformat())
    assert response.status_code == 201
    assert Evaluation.objects.get().late_upload is False


def test_tianjin_art16_a_business_system_rating_is_judged_when_it_arrives(client, tianjin, case):
    """Only a signed device has an offline buffer: a business system's rating of the 20th posted on
    the 24th is past the window (DESIGN §7: 422 when the evaluation window has closed)."""
    key = apikey_create(by=None, name="网上办事大厅")[1]
    body = {
        "client_id": "web-late-1",
        "serial_no": case.serial_no,
        "target": "matter",
        "stage": "completion",
        "grade": 5,
        "tags": [],
        "channel": "pc",
        "rated_at": at(20, 15).isoformat(),
    }
    with clock(at(24)):
        response = client.post(
            "/api/v1/evaluations",
            data=json.dumps(body),
            content_type="application/json",
            headers={"Authorization": f"Bearer {key}"},
        )
    assert response.status_code == 422 and codes(response) == [("", "window_closed")]


def test_late_upload_days_is_a_local_setting_kept_when_the_preset_changes(client, evaluator, tianjin, case):
    """No regulation sets it: switching the preset keeps it; 0 accepts only same-day uploads."""
    tianjin.late_upload_days = 0
    tianjin.apply_preset(Preset.GANZHOU)
    tianjin.save()
    assert Policy.objects.get(pk=tianjin.pk).late_upload_days == 0
    with clock(at(19, 10)):
        response = upload(client, evaluator, serial_no=case.serial_no, rated_at=at(18, 17).isoformat())
    assert response.status_code == 422 and codes(response) == [("rated_at", "upload_too_late")]
    with clock(at(19, 10, 1)):
        same_day = upload(client, evaluator, serial_no=case.serial_no, rated_at=at(19, 9).isoformat())
    assert same_day.status_code == 201 and Evaluation.objects.get().late_upload is True


def test_tianjin_art16_the_unevaluated_marker_waits_for_late_uploads(
    client, evaluator, tianjin, case, other_case
):
    """Tianjin art. 16 marks a case 未评 after its 5 working days; a rating made in them may still be in
    a device's buffer, so the marker waits the late-upload days as well (and keeps the deadline's time)."""
    unrated = other_case
    with clock(at(24)):
        assert timeouts_apply() == {"unevaluated": 0, "default": 0}
        assert (
            upload(client, evaluator, serial_no=case.serial_no, rated_at=at(23, 18).isoformat()).status_code
            == 201
        )
    with clock(at(26, 23, 50)):  # the 23rd + 3 working days: the 24th, 25th and 26th
        assert timeouts_apply() == {"unevaluated": 0, "default": 0}
    with clock(at(27, 0, 1)):
        assert timeouts_apply() == {"unevaluated": 1, "default": 0}
    marker = Evaluation.objects.get(record=unrated)
    assert (marker.kind, marker.rated_at) == ("unevaluated", unrated.rating_deadline)
    assert Evaluation.objects.get(record=case).kind == "active"


def test_the_late_upload_marker_cannot_be_changed(client, evaluator, tianjin, case):
    """Ratings are append-only (migration 0005); the 补传 marker set at INSERT is too (0015)."""
    with clock(at(24)):
        upload(client, evaluator, serial_no=case.serial_no, rated_at=at(20, 15).isoformat())
    evaluation = Evaluation.objects.get()
    # Even the owner (the app role may not UPDATE that column at all: test_database_roles).
    with (
        pytest.raises(DatabaseError, match="append-only"),
        as_owner(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE evaluations_evaluation SET late_upload = false WHERE id = %s", [evaluation.pk])
    evaluation.refresh_from_db()
    assert evaluation.late_upload is True
