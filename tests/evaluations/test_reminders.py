"""SMS reminders for completed, unrated cases: after the policy's delay, once, with a link that works."""

from datetime import timedelta

import pytest
from django.utils import timezone

from evaluations.models import Policy, Preset, SmsMessage
from evaluations.services.intake import Rating, evaluation_record
from evaluations.services.reminders import reminders_send
from evaluations.tokens import record_for_token

pytestmark = [pytest.mark.django_db, pytest.mark.calendar]


def completed_ago(make_record, **delta):
    at = timezone.now() - timedelta(**delta)
    return make_record(accepted_at=at - timedelta(hours=1), completed_at=at)


@pytest.fixture
def tianjin(regions) -> Policy:
    policy = Policy.from_preset(Preset.TIANJIN, region=regions["city"])
    policy.save()
    return policy


def test_tianjin_reminds_once_24_hours_after_completion(make_record, tianjin):
    record = make_record(completed_at=timezone.now() - timedelta(hours=25))
    make_record(
        completed_at=timezone.now() - timedelta(hours=2), accepted_at=timezone.now() - timedelta(hours=3)
    )
    assert reminders_send() == 1
    assert reminders_send() == 0
    message = SmsMessage.objects.get()
    assert (message.record, message.kind, message.phone) == (record, "reminder", "13812345678")
    assert record.matter.name in message.body and "/r/" in message.body
    token = message.body.split("/r/")[1].split("/")[0]
    assert record_for_token(token) == record


def test_the_reminder_waits_for_the_end_of_quiet_hours(make_record, tianjin):
    completed_ago(make_record, hours=30)
    late_evening = timezone.localtime().replace(hour=22, minute=30)
    reminders_send(now=late_evening)
    send_after = timezone.localtime(SmsMessage.objects.get().send_after)
    assert (send_after.date(), send_after.hour) == ((late_evening + timedelta(days=1)).date(), 8)


def test_ganzhou_reminds_as_soon_as_the_case_arrives_unrated(make_record, regions):
    Policy.from_preset(Preset.GANZHOU, region=regions["province"]).save()
    make_record(
        completed_at=timezone.now() - timedelta(minutes=1), accepted_at=timezone.now() - timedelta(hours=1)
    )
    assert reminders_send() == 1


def test_no_reminder_for_a_rated_case_or_without_a_reminder_rule(make_record, tianjin, regions):
    rated = completed_ago(make_record, hours=30)
    evaluation_record(rating=Rating(target="matter", stage="completion", grade=5, channel="pc"), record=rated)
    assert reminders_send() == 0
    tianjin.reminder_hours = None
    tianjin.save()
    completed_ago(make_record, hours=30)
    assert reminders_send() == 0
    assert not SmsMessage.objects.exists()


def test_cases_of_a_region_without_reminders_never_crowd_out_a_due_one(make_record, regions, org):
    """600 older unrated cases of a region whose rule sends no reminder (national) come first by
    completion; the one Tianjin case due is still reminded in a batch of 500."""
    Policy.from_preset(Preset.TIANJIN, region=regions["zhanggong"]).save()
    Policy.from_preset(Preset.NATIONAL, region=regions["nankang"]).save()
    other = org["nankang"]
    two_days_ago = timezone.now() - timedelta(days=2)
    for n in range(600):
        make_record(
            accepted_at=two_days_ago - timedelta(hours=1, minutes=n),
            completed_at=two_days_ago - timedelta(minutes=n),
            matter_code=other["matter"].code,
            department_code=other["department"].code,
            region_code=other["department"].region.code,
            window_code=other["window"].code,
            staff_no=other["staff"].staff_no,
        )
    due = completed_ago(make_record, hours=25)
    assert reminders_send(limit=500) == 1
    assert SmsMessage.objects.get().record == due


def test_a_region_that_takes_up_a_reminder_rule_reminds_its_waiting_cases(
    make_record, regions, django_capture_on_commit_callbacks
):
    """Tianjin art. 16 adopted after the cases were completed: the stored due moments follow the rule."""
    waiting = completed_ago(make_record, hours=25)
    assert reminders_send() == 0  # national rule: no reminder
    with django_capture_on_commit_callbacks(execute=True):
        policy = Policy.from_preset(Preset.TIANJIN, region=regions["city"])
        policy.save()
    waiting.refresh_from_db()
    assert waiting.remind_after == waiting.completed_at + timedelta(hours=24)
    assert reminders_send() == 1
    later = completed_ago(make_record, hours=30)
    with django_capture_on_commit_callbacks(execute=True):
        policy.delete()  # back to the national rule: the unreminded case waits for nothing
    later.refresh_from_db()
    assert later.remind_after is None and reminders_send() == 0
