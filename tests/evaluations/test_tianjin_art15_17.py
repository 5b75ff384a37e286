"""Tianjin 实施细则 第十五—十七条: consultations are not rated online nor chased, in a hall only the clerk is
(art. 15); reminders and timeouts (art. 16) are in test_reminders and test_timeouts; real name (art. 17)."""

import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from evaluations.models import (
    Evaluation,
    EvaluationKind,
    Policy,
    Preset,
    ServiceRecord,
    SmsMessage,
)
from evaluations.services.reminders import reminders_reschedule, reminders_send
from evaluations.services.timeouts import timeouts_apply

from ..helpers import working_days_ago
from .case_rules import api_rate, case_url, page, rate, refusal, rows

# own_counters: real Redis with this test's own key prefix, so rate-limit counters never leak between runs.
pytestmark = [pytest.mark.django_db, pytest.mark.calendar, pytest.mark.usefixtures("own_counters")]


# ---- 第十五条: a consultation finished online is not rated (nor chased); in a hall only the clerk is -----


def test_tianjin_art15_online_consultation_not_chased(make_record, consultation, tianjin):
    at = timezone.now() - timedelta(hours=30)
    online = make_record(
        matter_code=consultation.code, channel="online", window_code=None, completed_at=at,
        accepted_at=at - timedelta(hours=1),
    )  # fmt: skip
    flagged = make_record(
        consultation=True,
        channel="online",
        window_code=None,
        completed_at=at,
        accepted_at=at - timedelta(hours=1),
    )  # a business system says so of a case whose matter is rated otherwise
    due = make_record(
        channel="online", window_code=None, completed_at=at, accepted_at=at - timedelta(hours=1)
    )
    assert (online.remind_after, flagged.remind_after) == (None, None)
    assert reminders_send() == 1
    assert SmsMessage.objects.get().record == due
    later = make_record(channel="online", window_code=None)  # completed a day ago, not reminded yet
    tianjin.reminder_hours = 48
    tianjin.save()
    moved = reminders_reschedule(tianjin.region)  # a changed rule moves the open cases' reminders
    later.refresh_from_db()
    assert (moved, later.remind_after) == (1, later.completed_at + timedelta(hours=48))
    unreminded = ServiceRecord.objects.filter(pk__in=[online.pk, flagged.pk], remind_after__isnull=True)
    assert unreminded.count() == 2  # but never a consultation's


@pytest.mark.parametrize("preset", [Preset.TIANJIN, Preset.GANZHOU])
def test_tianjin_art15_consultation_neither_unevaluated_nor_defaulted(
    make_record, consultation, regions, preset
):
    """Ganzhou art. 11 defaults an unrated case to 满意 — but not a consultation, which is not rated."""
    Policy.from_preset(preset, region=regions["province"]).save()
    long_ago = working_days_ago(10)
    for channel, window in (("online", None), ("window", "W-zhanggong")):
        make_record(
            matter_code=consultation.code, channel=channel, window_code=window, accepted_at=long_ago,
            completed_at=long_ago,
        )  # fmt: skip
    ordinary = make_record(accepted_at=long_ago, completed_at=long_ago)
    counts = timeouts_apply()
    assert sum(counts.values()) == 1
    assert list(Evaluation.objects.values_list("record", flat=True)) == [ordinary.pk]


@pytest.mark.parametrize("channel", ["online", "mobile", "hotline", "kiosk"])
def test_tianjin_art15_online_consultation_is_not_rated(make_record, consultation, channel):
    record = make_record(matter_code=consultation.code, channel=channel, window_code=None)
    assert refusal(record).code == "consultation_not_rated"
    assert refusal(record, channel="phone").message == "查询咨询类业务在网上办结的，不进行评价。"


def test_tianjin_art15_in_a_hall_the_clerk_may_still_be_rated(make_record, consultation, org):
    record = make_record(matter_code=consultation.code)
    error = refusal(record)
    assert (error.code, error.field) == ("consultation_staff_only", "target")
    assert rate(record, target="staff", grade=4).evaluation.staff == org["zhanggong"]["staff"]


def test_tianjin_art15_records_api_takes_the_consultation_flag(client, key, org):
    side = org["zhanggong"]
    body = {
        "matter_code": side["matter"].code,
        "department_code": side["department"].code,
        "region_code": side["department"].region.code,
        "channel": "online",
        "status": "completed",
        "accepted_at": (timezone.localtime() - timedelta(hours=2)).isoformat(),
        "completed_at": (timezone.localtime() - timedelta(hours=1)).isoformat(),
        "applicant": {"type": "person", "name": "王小明", "phone": "13812345678"},
    }
    headers = {"Authorization": f"Bearer {key}"}

    def put(serial_no: str, payload: dict):
        url = f"/api/v1/records/{serial_no}"
        return client.put(url, data=json.dumps(payload), content_type="application/json", headers=headers)

    assert put("SN-Q-1", {**body, "consultation": True}).status_code == 201
    assert put("SN-Q-2", body).status_code == 201
    assert put("SN-Q-3", {**body, "consultation": "yes"}).status_code == 422  # a strict boolean
    flagged, plain = (
        ServiceRecord.objects.get(serial_no="SN-Q-1"),
        ServiceRecord.objects.get(serial_no="SN-Q-2"),
    )
    assert (flagged.consultation, flagged.is_consultation, plain.consultation) == (True, True, False)
    refused = api_rate(client, key, flagged)
    assert refused.status_code == 422 and refused.json()["errors"][0]["code"] == "consultation_not_rated"
    assert "consultation" in client.get("/api/openapi.json").content.decode()


def test_tianjin_art15_the_link_of_an_online_consultation_says_it_is_not_rated(
    client, make_record, consultation
):
    record = make_record(matter_code=consultation.code, channel="online", window_code=None)
    html = page(client, record)
    assert "本业务不进行评价" in html and "查询咨询类业务在网上办结的" in html and "<form" not in html
    response = client.post(case_url(record), {"matter-grade": 5})
    assert response.status_code == 422 and not Evaluation.objects.exists()


def test_tianjin_art15_the_link_of_a_hall_consultation_rates_the_clerk(
    client, make_record, consultation, org
):
    record = make_record(matter_code=consultation.code)
    html = page(client, record)
    assert "您对窗口工作人员的服务满意吗" in html and "您对办理结果满意吗" not in html
    assert client.post(case_url(record), {"staff-grade": 5}).status_code == 302
    assert rows(record) == [("staff", "completion", 1, 5)]
    assert "追加评价" in page(client, record)  # its clerk may take a follow-up too


def test_tianjin_art15_batch_and_theme_ratings_leave_a_consultation_out(make_record, consultation):
    rated, consulted = (
        make_record(theme_no="T-15"),
        make_record(theme_no="T-15", matter_code=consultation.code),
    )
    rate(rated)
    assert rows(consulted) == []


def test_tianjin_art15_the_demo_defaults_no_consultation():
    """The demo (Ganzhou rules: 满意 by default after 5 working days) once defaulted its consultations."""
    call_command("seed_demo", months=1, verbosity=0)
    consultations = ServiceRecord.objects.filter(matter__consultation_only=True)
    assert consultations.exists()
    markers = Evaluation.objects.filter(record__in=consultations).exclude(kind=EvaluationKind.ACTIVE)
    assert not markers.exists()
    assert not Evaluation.objects.filter(record__in=consultations, target="matter").exists()
    assert Evaluation.objects.filter(kind=EvaluationKind.DEFAULT).exists()  # other cases still are


# ---- 第十六条 is tested in test_reminders and test_timeouts; 第十七条 here and in test_intake_rules ----


def test_tianjin_art17_a_rating_is_real_name_when_the_office_can_call_back(make_record):
    assert rate(make_record()).evaluation.real_name
    assert not rate(make_record(applicant_phone="")).evaluation.real_name
