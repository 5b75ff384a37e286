"""Every rating, timeout marker and work-order milestone writes one outbox row in its own transaction,
in the national field vocabulary (reporting/upstream/mapping.py, docs/upstream.md)."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from evaluations.models import Evaluation, Policy, Preset, ServiceMatter
from evaluations.refusals import Refusal
from evaluations.services.timeouts import timeouts_apply
from reporting.models import UpstreamMessage
from reporting.upstream.mapping import ASSESS_OBJECT, national_time
from reporting.upstream.outbox import outbox_suppressed
from workorders.models import State, WorkOrder
from workorders.services.appeals import workorder_appeal, workorder_void

from ..workorders.workorder_fixtures import RECTIFICATION, REPLY, move, rate, use_preset

pytestmark = pytest.mark.django_db

Kind = UpstreamMessage.Kind


def rating(record=None, **fields):
    """A rating through the intake service; without tags unless told (the shared ``rate`` tags grade 1)."""
    fields.setdefault("tags", [])
    return rate(record, **fields)


def only_message(**filters) -> UpstreamMessage:
    return UpstreamMessage.objects.get(**filters)


# --- ratings ----------------------------------------------------------------------------------


def test_a_rating_is_written_with_every_national_field(make_record, org):
    side = org["zhanggong"]
    record = make_record("SN-2025-0001")
    rated_at = timezone.now() - timedelta(hours=2)
    result = rating(
        record, grade=5, tags=["M5-01", "M5-02"], comment="一次办好", channel="qr", rated_at=rated_at
    )
    message = only_message()
    assert (message.kind, message.status, message.attempts) == (Kind.EVALUATION, "pending", 0)
    assert (message.evaluation, message.order, message.case_key) == (
        result.evaluation,
        None,
        f"R:{record.pk}",
    )
    assert message.idempotency_key == f"evaluation:{result.evaluation.pk}"
    assert message.payload == {
        "assessId": str(result.evaluation.pk),
        "projectNo": "SN-2025-0001",
        "taskCode": side["matter"].code,
        "taskName": "个体工商户设立登记",
        "projectType": "2",  # 承诺件
        "deptCode": side["department"].code,
        "deptName": side["department"].name,
        "areaCode": "360702000000",
        "windowCode": side["window"].code,
        "staffNo": side["staff"].staff_no,
        "userProp": "1",
        "pf": "3",
        "assessType": "1",
        "assessObject": "1",
        "assessStage": "2",
        "satisfaction": "5",
        "evalDetail": "M5-01,M5-02",
        "writingEvaluation": "一次办好",
        "assessTime": timezone.localtime(rated_at).strftime("%Y-%m-%d %H:%M:%S"),
        "assessNumber": "1",
    }


def test_assess_time_is_beijing_time(make_record):
    # 00:30 on 1 October in Beijing is still 30 September in UTC.
    moment = datetime(2025, 9, 30, 16, 30, tzinfo=UTC)
    record = make_record(accepted_at=datetime(2025, 9, 30, 1, tzinfo=UTC), completed_at=moment)
    rating(record, grade=4, now=moment)
    assert only_message().payload["assessTime"] == "2025-10-01 00:30:00"


@pytest.mark.parametrize("grade", [1, 2, 3, 4, 5])
def test_the_grade_is_the_satisfaction_code(make_record, grade):
    rating(make_record(), grade=grade, tags=[f"M{grade}-01"])
    assert only_message(kind=Kind.EVALUATION).payload["satisfaction"] == str(grade)


@pytest.mark.parametrize(
    ("channel", "pf"),
    [("pc", "1"), ("mobile", "2"), ("qr", "3"), ("device", "4"), ("kiosk", "5"), ("sms", "6"), ("phone", "5"),
     ("paper", "5")],
)  # fmt: skip
def test_provincial_interfaces_pf_the_channel_is_the_national_pf_code(make_record, channel, pf):
    # 6 is 短信; telephone and paper have no code of their own and go as 5 (其他终端) in this profile.
    rating(make_record(), grade=4, channel=channel)
    assert only_message().payload["pf"] == pf


def test_a_legal_person_and_an_instant_matter_have_their_codes(make_record, org):
    ServiceMatter.objects.filter(pk=org["zhanggong"]["matter"].pk).update(kind=ServiceMatter.Kind.INSTANT)
    rating(make_record(applicant_type="legal_person"), grade=4)
    payload = only_message().payload
    assert (payload["userProp"], payload["projectType"]) == ("2", "1")


def test_a_follow_up_rating_is_assess_number_2_of_the_same_case(make_record):
    record = make_record()
    first = rating(record, grade=3).evaluation
    second = rating(record, grade=5, assess_number=2).evaluation
    messages = list(UpstreamMessage.objects.order_by("id"))
    assert [m.evaluation for m in messages] == [first, second]
    assert [m.payload["assessNumber"] for m in messages] == ["1", "2"]
    assert {m.case_key for m in messages} == {f"R:{record.pk}"}


def test_a_staff_rating_at_intake_names_the_staff(make_record, org):
    rating(make_record(), grade=5, tags=["S5-01"], target="staff", stage="intake")
    payload = only_message().payload
    assert (payload["assessObject"], payload["assessStage"], payload["staffNo"]) == ("2", "1", "S-zhanggong")


def test_a_window_rating_without_a_case_is_a_case_of_its_own(org):
    result = rating(grade=5, tags=["S5-01"], target="staff", channel="qr", window=org["zhanggong"]["window"])
    message = only_message()
    assert message.case_key == f"E:{result.evaluation.pk}"
    assert (message.payload["projectNo"], message.payload["userProp"]) == ("", "1")


def test_a_batch_rating_writes_one_message_per_case(make_record):
    """Per case and per target: a batch rating rates the clerk and the matter (Tianjin art. 12)."""
    cases = [make_record(batch_no="B-7") for _ in range(3)]
    rating(cases[0], grade=5)
    sent = sorted((m.payload["projectNo"], m.payload["assessObject"]) for m in UpstreamMessage.objects.all())
    objects = {ASSESS_OBJECT["matter"], ASSESS_OBJECT["staff"]}
    assert sent == sorted((case.serial_no, target) for case in cases for target in objects)


# --- timeout markers --------------------------------------------------------------------------


def test_a_default_satisfied_after_timeout_is_reported_as_such(closed_case, regions):
    Policy.from_preset(Preset.GANZHOU, region=regions["province"]).save()
    timeouts_apply()
    message = only_message()
    marker = Evaluation.objects.get(record=closed_case)
    assert (message.kind, message.idempotency_key) == (Kind.TIMEOUT, f"timeout:{marker.pk}")
    assert (message.payload["assessType"], message.payload["satisfaction"]) == ("2", "4")
    assert message.payload["pf"] == "7"  # 系统默认评价, never a citizen's PC rating
    assert message.payload["assessTime"] == national_time(closed_case.rating_deadline)
    assert message.payload["projectNo"] == closed_case.serial_no


def test_an_unevaluated_marker_is_reported_without_satisfaction(closed_case, regions):
    Policy.from_preset(Preset.TIANJIN, region=regions["city"]).save()
    timeouts_apply()
    payload = only_message(kind=Kind.TIMEOUT).payload
    assert (payload["assessType"], payload["satisfaction"], payload["evalDetail"]) == ("3", "", "")
    assert payload["pf"] == "7"  # the generic contract can say 未评; provincial profiles keep it local


# --- the same transaction ---------------------------------------------------------------------


def test_a_refused_rating_writes_no_message(make_record):
    with pytest.raises(Refusal):
        rating(make_record(), grade=1, tags=[], comment="")  # a bad grade needs a reason
    assert not UpstreamMessage.objects.exists()


def test_a_rating_rolled_back_takes_its_message_with_it(make_record):
    record = make_record()

    def rated_then_failed() -> None:
        with transaction.atomic():
            rating(record, grade=5)
            assert UpstreamMessage.objects.count() == 1  # written inside the intake transaction
            raise RuntimeError("the caller's transaction fails after intake")

    with pytest.raises(RuntimeError):
        rated_then_failed()
    assert not Evaluation.objects.exists() and not UpstreamMessage.objects.exists()


def test_nothing_is_written_while_suppressed(make_record):
    with outbox_suppressed():
        rating(make_record(), grade=5)
    assert Evaluation.objects.count() == 1 and not UpstreamMessage.objects.exists()


# --- work-order milestones --------------------------------------------------------------------


def test_the_milestones_of_a_bad_review_follow_its_rating(new_order, people):
    move(new_order, State.CLOSED, office=people["office"], handler=people["handler"])
    order = WorkOrder.objects.get()
    messages = list(UpstreamMessage.objects.order_by("id"))
    # accept and approve are local steps: upstream hears of dispatch, the reply, the revisit.
    assert [m.kind for m in messages] == [Kind.EVALUATION, Kind.DISPATCHED, Kind.RECTIFIED, Kind.REVISITED]
    assert {m.case_key for m in messages} == {messages[0].case_key}
    assert all(m.order == order for m in messages[1:])
    events = {e.action: e for e in order.events.filter(kind="transition")}
    assert messages[1].idempotency_key == f"dispatched:{order.number}:{events['dispatch'].pk}"
    identity = {
        k: messages[0].payload[k] for k in ("assessId", "projectNo", "taskCode", "deptCode", "areaCode")
    }
    for message in messages[1:]:
        assert {k: message.payload[k] for k in identity} == identity
        assert message.payload["workOrderNo"] == order.number
    dispatched, rectified, revisited = (m.payload for m in messages[1:])
    assert dispatched["orderStatus"] == "1" and dispatched["category"] == "2"
    assert dispatched["rectifyDeadline"] == order.due.isoformat()
    assert dispatched["dispatchTime"] == national_time(order.dispatched_at)
    assert (rectified["orderStatus"], rectified["rectification"], rectified["replyContent"]) == (
        "2",
        RECTIFICATION,
        REPLY,
    )
    assert rectified["rectifyTime"] == national_time(order.submitted_at)
    assert (revisited["orderStatus"], revisited["revisitResult"], revisited["revisitWay"]) == ("3", "1", "1")
    assert revisited["revisitTime"] == national_time(order.closed_at)


@pytest.mark.parametrize(
    ("preset", "code"), [(Preset.GANZHOU, "1"), (Preset.TIANJIN, "2"), (Preset.QINGDAO, "3")]
)
def test_a_voided_bad_review_says_how_the_rating_now_counts(new_order, people, regions, preset, code):
    use_preset(regions["city"], preset)
    handling = move(new_order, State.HANDLING, office=people["office"], handler=people["handler"])
    workorder_appeal(handling, by=people["handler"], reason="评价人误操作")
    workorder_void(WorkOrder.objects.get(pk=handling.pk), by=people["office"], note="调取录像核实，属误评")
    payload = only_message(kind=Kind.VOIDED).payload
    assert (payload["orderStatus"], payload["invalidType"], payload["invalidReason"]) == (
        "4",
        code,
        "调取录像核实，属误评",
    )
