"""The rules of the intake service, each with its refusal code."""

from datetime import timedelta

import pytest
from django.dispatch import receiver
from django.utils import timezone

from evaluations.models import Evaluation, ServiceMatter
from evaluations.refusals import Refusal
from evaluations.services.duty import shift_start
from evaluations.services.intake import Rating, RefusedOne, evaluation_record, evaluations_record_together
from evaluations.signals import bad_evaluation_recorded

pytestmark = [pytest.mark.django_db, pytest.mark.calendar]


def rate(record=None, **fields):
    values = {"target": "matter", "stage": "completion", "grade": 5, "channel": "pc"}
    values.update(fields)
    extra = {key: values.pop(key) for key in ("window", "staff", "matter") if key in values}
    return evaluation_record(rating=Rating(**values), record=record, **extra)


def refusal(record=None, **fields) -> Refusal:
    with pytest.raises(Refusal) as caught:
        rate(record, **fields)
    return caught.value


def test_a_good_rating_needs_neither_tag_nor_comment(make_record):
    result = rate(make_record())
    assert result.created and result.evaluation.grade == 5 and result.evaluation.real_name


@pytest.mark.parametrize("grade", [1, 2])
def test_a_bad_grade_needs_a_tag_or_a_comment(make_record, grade):
    record = make_record()
    assert refusal(record, grade=grade).code == "reason_required"
    assert rate(record, grade=grade, comment="材料清单和窗口说的不一致").created


def test_tags_must_belong_to_the_grade_and_the_target(make_record):
    record = make_record()
    assert refusal(record, grade=1, tags=["M5-01"]).code == "tag_mismatch"
    assert refusal(record, grade=1, tags=["S1-01"]).code == "tag_mismatch"
    assert refusal(record, grade=1, tags=["X9-99"]).code == "tag_unknown"
    assert rate(record, grade=1, tags=["M1-06"]).evaluation.tags == ["M1-06"]


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"grade": 6}, "grade_invalid"),
        ({"target": "window"}, "target_invalid"),
        ({"stage": "whenever"}, "stage_invalid"),
        ({"channel": "fax"}, "channel_invalid"),
        ({"channel": "default"}, "channel_invalid"),
        ({"assess_number": 3}, "assess_number_invalid"),
        ({"comment": "很" * 501}, "comment_too_long"),
    ],
)
def test_malformed_ratings_are_refused(make_record, fields, code):
    assert refusal(make_record(), **fields).code == code


def test_a_case_is_rated_once_per_target_and_stage(make_record):
    record = make_record()
    rate(record)
    error = refusal(record, grade=4)
    assert (error.code, error.status) == ("already_rated", 409)


def test_window_cases_rate_the_staff_at_each_stage_and_the_matter_on_completion(make_record):
    record = make_record()
    rate(record, target="staff", stage="intake", grade=5, channel="device")
    rate(record, target="staff", stage="completion", grade=4, channel="device")
    rate(record, target="matter", stage="completion", grade=5, channel="device")
    assert refusal(record, target="matter", stage="intake").code == "stage_not_allowed"
    assert Evaluation.objects.filter(record=record).count() == 3


def test_online_cases_rate_only_the_matter_on_completion(make_record):
    record = make_record(channel="online", window_code=None)
    assert refusal(record, target="staff", stage="completion").code == "stage_not_allowed"
    assert rate(record).created


def test_the_matter_waits_for_completion_but_the_staff_can_be_rated_at_intake(make_record):
    record = make_record(status="accepted", completed_at=None)
    assert refusal(record).code == "not_completed"
    assert rate(record, target="staff", stage="intake", channel="device").created


def test_the_window_closes_after_the_policy_working_days(make_record):
    long_ago = timezone.now() - timedelta(days=30)
    record = make_record(accepted_at=long_ago, completed_at=long_ago)
    error = refusal(record)
    assert error.code == "window_closed" and "5 个工作日" in error.message


def test_consultation_only_matters_handled_online_are_not_rated(make_record, org):
    ServiceMatter.objects.filter(pk=org["zhanggong"]["matter"].pk).update(consultation_only=True)
    assert refusal(make_record(channel="online")).code == "consultation_not_rated"
    in_the_hall = make_record(channel="window")  # Tianjin art. 15: in a hall the clerk may be rated
    assert refusal(in_the_hall).code == "consultation_staff_only"
    assert rate(in_the_hall, target="staff", channel="device").created


def test_one_follow_up_rating_within_the_window(make_record):
    record = make_record()
    assert refusal(record, assess_number=2).code == "follow_up_without_first"
    rate(record, grade=4)
    assert rate(record, grade=3, assess_number=2).evaluation.assess_number == 2
    error = refusal(record, grade=2, comment="还是慢", assess_number=2)
    assert (error.code, error.status) == ("follow_up_exists", 409)


def test_a_batch_takes_one_rating_for_all_its_cases(make_record):
    first, second, third = (make_record(batch_no="B-1") for _ in range(3))
    result = rate(second, grade=4)
    assert {row.record_id for row in result.rows} == {first.pk, second.pk, third.pk}
    assert result.evaluation.record_id == second.pk
    assert refusal(first).code == "already_rated"


def test_a_theme_rating_covers_the_matters_not_rated_one_by_one(make_record):
    alone, covered, rated_here = (make_record(theme_no="T-1") for _ in range(3))
    rate(alone, grade=3, apply_to_theme=False)
    result = rate(rated_here, grade=5)
    assert {row.record_id for row in result.rows} == {covered.pk, rated_here.pk}
    assert Evaluation.objects.get(record=alone).grade == 3


def test_joint_approval_rates_the_window_at_intake_and_window_and_matter_at_completion(make_record, org):
    record = make_record(
        channel="online", window_code=None, joint_department_codes=[org["nankang"]["department"].code]
    )
    assert rate(record, target="staff", stage="intake", channel="qr", staff=org["zhanggong"]["staff"]).created
    assert rate(record, target="staff", stage="completion", channel="qr").created
    assert rate(record, target="matter", stage="completion", channel="qr").created


def test_a_window_rating_without_a_case_goes_to_the_staff_on_duty(org):
    window = org["zhanggong"]["window"]
    shift_start(staff=org["zhanggong"]["staff"], window=window)  # signed in: on duty (issue 12)
    result = rate(target="staff", channel="qr", window=window, matter=org["zhanggong"]["matter"])
    evaluation = result.evaluation
    assert (evaluation.staff, evaluation.window, evaluation.record) == (
        org["zhanggong"]["staff"],
        window,
        None,
    )
    assert evaluation.department == org["zhanggong"]["department"] and not evaluation.real_name
    assert refusal(target="staff", channel="qr").code == "window_required"


def test_a_rating_from_the_future_is_refused(make_record):
    error = refusal(make_record(), rated_at=timezone.now() + timedelta(hours=1))
    assert error.code == "rated_at_invalid"


def test_issue14_the_same_client_id_and_body_returns_the_first_answer(make_record):
    record = make_record()
    first = rate(record, client_id="dev-1-0001", grade=5, tags=["M5-01"])
    again = rate(record, client_id="dev-1-0001", grade=5, tags=["M5-01", "M5-01"], comment="  ")
    assert not again.created and again.evaluation.pk == first.evaluation.pk
    assert Evaluation.objects.count() == 1


def test_issue14_the_same_client_id_with_another_body_is_refused(make_record):
    record = make_record()
    rate(record, client_id="dev-1-0001", grade=5)
    error = refusal(record, client_id="dev-1-0001", grade=1, comment="changed my mind")
    assert (error.code, error.status) == ("client_id_reused", 409)
    assert list(Evaluation.objects.values_list("grade", flat=True)) == [5]


def test_a_bad_rating_signals_once_inside_the_transaction(make_record):
    seen = []

    @receiver(bad_evaluation_recorded)
    def open_order(sender, evaluation, **kwargs):
        seen.append(evaluation.pk)
        return "CP202611-000001"

    try:
        result = rate(make_record(), grade=1, tags=["M1-01"])
        rate(make_record(), grade=5)
    finally:
        bad_evaluation_recorded.disconnect(open_order)
    assert seen == [result.evaluation.pk]
    assert result.work_order == result.evaluation.work_order.number  # the work-order app's receiver answers


def test_a_refused_rating_writes_nothing(make_record):
    refusal(make_record(), grade=1)
    assert not Evaluation.objects.exists()


def test_a_bad_batch_rating_opens_one_work_order(make_record):
    from workorders.models import WorkOrder

    cases = [make_record(batch_no="B-9") for _ in range(3)]
    # Tianjin art. 12: the batch's one rating is of the clerk and the matter, each with its bad content.
    result = rate(cases[0], grade=1, tags=["M1-01", "S1-01"], comment="三件都等了一周")
    assert len(result.rows) == 6
    assert WorkOrder.objects.get().evaluation == result.evaluation


def test_a_case_without_a_phone_is_not_a_real_name_rating(make_record):
    evaluation = rate(make_record(applicant_phone=""), grade=4).evaluation
    assert not evaluation.real_name


def test_ratings_recorded_together_are_written_all_or_none(make_record):
    """The citizen page rates the case and its clerk at once: a refused second rating leaves no first."""
    record = make_record()
    good = {"rating": Rating(target="matter", stage="completion", grade=5, channel="qr"), "record": record}
    bad = {"rating": Rating(target="staff", stage="completion", grade=1, channel="qr"), "record": record}
    with pytest.raises(RefusedOne) as refused:
        evaluations_record_together([good, bad])
    assert (refused.value.index, refused.value.refusal.code) == (1, "reason_required")
    assert not Evaluation.objects.filter(record=record).exists()
    [first] = evaluations_record_together([good])
    assert first.created and Evaluation.objects.filter(record=record).count() == 1
