"""Tianjin 实施细则 第十一—十七条 (evaluation rules) and the follow-up rating (追评, 国办发〔2019〕51号
三(一); the platforms' assessNumber 2), through the intake service, the records and evaluations APIs, the case
link page and the desk. Each test names the clause it checks. The device's part is in
tests/devices/test_device_followup.py."""

import json
import re
from datetime import timedelta
from uuid import uuid4

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from evaluations.models import (
    Evaluation,
    EvaluationKind,
    Policy,
    Preset,
    Role,
    ServiceMatter,
    ServiceRecord,
    SmsMessage,
    User,
)
from evaluations.refusals import Refusal
from evaluations.services.apikeys import apikey_create
from evaluations.services.intake import Rating, evaluation_record
from evaluations.services.reminders import reminders_reschedule, reminders_send
from evaluations.services.timeouts import timeouts_apply
from evaluations.tokens import case_token
from workorders.models import WorkOrder

from ..helpers import working_days_ago

pytestmark = [pytest.mark.django_db, pytest.mark.calendar]


def rate(record, **fields):
    values = {"target": "matter", "stage": "completion", "grade": 5, "channel": "qr"}
    values.update(fields)
    staff = values.pop("staff", None)
    return evaluation_record(rating=Rating(**values), record=record, staff=staff)


def refusal(record, **fields) -> Refusal:
    with pytest.raises(Refusal) as caught:
        rate(record, **fields)
    return caught.value


def rows(record, **filters) -> list[tuple[str, str, int, int | None]]:
    found = Evaluation.objects.filter(record=record, **filters).order_by("target", "stage", "assess_number")
    return [(e.target, e.stage, e.assess_number, e.grade) for e in found]


@pytest.fixture(autouse=True)
def own_counters(settings) -> None:
    """Real Redis, with a key prefix of this test's own: rate-limit counters never leak between runs."""
    default = {**settings.CACHES["default"], "KEY_PREFIX": f"test-art11-17-{uuid4().hex[:12]}"}
    settings.CACHES = {**settings.CACHES, "default": default}


@pytest.fixture
def key(db) -> str:
    return apikey_create(by=None, name="网上办事大厅")[1]


def api_rate(client, key: str, record, **fields):
    body = {
        "client_id": f"web-{uuid4().hex}",
        "serial_no": record.serial_no,
        "target": "matter",
        "stage": "completion",
        "grade": 5,
        "tags": [],
        "channel": "pc",
        **fields,
    }
    return client.post(
        "/api/v1/evaluations",
        data=json.dumps(body),
        content_type="application/json",
        headers={"Authorization": f"Bearer {key}"},
    )


def case_url(record) -> str:
    return reverse("citizen:case_rate", kwargs={"token": case_token(record)})


def page(client, record) -> str:
    return client.get(case_url(record)).content.decode()


def client_id_on(html: str, prefix: str) -> str:
    return re.search(rf'name="{prefix}-client_id" value="([^"]+)"', html).group(1)


@pytest.fixture
def consultation(org) -> ServiceMatter:
    """A 查询咨询 matter of the 章贡区 department (the fixture's make_record uses its code when told)."""
    return ServiceMatter.objects.create(
        code="M-zg-consult",
        name="政策咨询",
        department=org["zhanggong"]["department"],
        consultation_only=True,
    )


@pytest.fixture
def tianjin(regions) -> Policy:
    policy = Policy.from_preset(Preset.TIANJIN, region=regions["city"])
    policy.save()
    return policy


def joint_case(make_record, org, **fields):
    return make_record(joint_department_codes=[org["nankang"]["department"].code], **fields)


def accepted(make_record, org, **fields):
    now = timezone.now()
    return joint_case(
        make_record,
        org,
        status="accepted",
        completed_at=None,
        accepted_at=now - timedelta(minutes=20),
        **fields,
    )


# ---- 第十一条: online once for the matter; at a window the clerk at each visit, the matter once ----------


def test_tianjin_art11_online_cases_rate_the_matter_once_window_cases_the_clerk_too(make_record):
    online = make_record(channel="online", window_code=None)
    assert refusal(online, target="staff").code == "stage_not_allowed"
    rate(online)
    assert refusal(online).code == "already_rated"
    window = make_record()
    rate(window, target="staff", stage="intake")
    rate(window, target="staff")
    rate(window)
    assert rows(window) == [
        ("matter", "completion", 1, 5),
        ("staff", "completion", 1, 5),
        ("staff", "intake", 1, 5),
    ]


# ---- 第十二条: a batch takes one rating, of the clerk and the matter; a bad one names both -----------------


def test_tianjin_art12_batch_rating_applies_to_staff_and_matter(make_record, org):
    batch = [make_record(batch_no="B-12") for _ in range(3)]
    result = rate(batch[1], grade=5, tags=["M5-01", "S5-01"])
    assert result.evaluation.record == batch[1] and result.evaluation.target == "matter"
    for case in batch:
        assert rows(case) == [("matter", "completion", 1, 5), ("staff", "completion", 1, 5)]
    staff_rows = Evaluation.objects.filter(target="staff")
    assert {e.staff for e in staff_rows} == {org["zhanggong"]["staff"]}
    assert {tuple(e.tags) for e in staff_rows} == {("S5-01",)}
    assert {tuple(e.tags) for e in Evaluation.objects.filter(target="matter")} == {("M5-01",)}
    assert refusal(batch[0]).code == "already_rated"  # one rating for the whole batch


def test_tianjin_art12_bad_batch_rating_asks_for_the_bad_content_of_each(make_record):
    batch = [make_record(batch_no="B-12b") for _ in range(2)]
    for tags in ([], ["M1-01"], ["S1-01"]):
        error = refusal(batch[0], grade=1, tags=tags, comment="两件都等了一周")
        assert (error.code, error.field) == ("reason_required_each", "tags")
        assert "请分别选择对工作人员和对办理事项的具体差评内容" in error.message
    assert not Evaluation.objects.exists()  # a refusal writes nothing
    result = rate(batch[0], grade=1, tags=["M1-01", "S1-01"], comment="两件都等了一周")
    assert len(result.rows) == 4
    assert WorkOrder.objects.get().evaluation == result.evaluation  # one complaint, one work order
    matter, staff = (Evaluation.objects.get(record=batch[1], target=t) for t in ("matter", "staff"))
    assert (matter.tags, staff.tags, staff.comment) == (["M1-01"], ["S1-01"], "两件都等了一周")


def test_tianjin_art12_a_clerk_rated_on_their_own_keeps_that_rating(make_record):
    first, second = (make_record(batch_no="B-12c") for _ in range(2))
    rate(second, target="staff", grade=3)
    rate(first, grade=5)
    assert rows(second) == [("matter", "completion", 1, 5), ("staff", "completion", 1, 3)]
    assert rows(first) == [("matter", "completion", 1, 5), ("staff", "completion", 1, 5)]


def test_tianjin_art12_the_link_of_a_batch_case_asks_one_rating_for_both(client, make_record):
    batch = [make_record(batch_no="B-12d") for _ in range(2)]
    html = page(client, batch[0])
    assert "本次为批量业务（共 2 件）" in html and "对工作人员的评价（选填）" not in html
    assert 'value="M1-01"' in html and 'value="S1-01"' in html  # the tags of both, in one block
    response = client.post(case_url(batch[0]), {"matter-grade": 2, "matter-tags": ["M2-01"]})
    assert response.status_code == 422 and "请分别选择对工作人员和对办理事项" in response.content.decode()
    response = client.post(case_url(batch[0]), {"matter-grade": 2, "matter-tags": ["M2-01", "S2-01"]})
    assert response.status_code == 302
    assert Evaluation.objects.filter(target="staff", tags=["S2-01"]).count() == 2
    assert Evaluation.objects.filter(target="matter", tags=["M2-01"]).count() == 2


# ---- 第十三条: joint approval rates the window at intake, the window and the matter at completion ---------


def test_tianjin_art13_joint_case_window_rating_at_intake_from_the_receipt_link(client, make_record, org):
    record = accepted(make_record, org)
    html = page(client, record)
    assert "请您评价收件服务" in html and "您对收件时窗口工作人员的服务满意吗" in html
    assert org["zhanggong"]["staff"].name in html
    response = client.post(case_url(record), {"step": "intake", "intake-grade": 4})
    assert response.status_code == 302
    assert rows(record) == [("staff", "intake", 1, 4)]
    assert Evaluation.objects.get().staff == org["zhanggong"]["staff"]
    again = page(client, record)
    assert "办件尚未办结" in again and "您已经评价了收件时的窗口服务" in again


def test_tianjin_art13_a_plain_window_case_not_completed_still_waits(client, make_record):
    record = make_record(status="accepted", completed_at=None)
    assert "办件尚未办结" in page(client, record)  # only joint approval is rated at intake on the link


def test_tianjin_art13_joint_case_at_completion_rates_window_and_matter_at_once(client, make_record, org):
    record = joint_case(make_record, org)
    html = page(client, record)
    assert "多部门联合审批，办结时的评价同时适用于窗口工作人员" in html
    response = client.post(
        case_url(record), {"matter-grade": 1, "matter-tags": ["M1-01"], "matter-comment": "慢"}
    )
    assert response.status_code == 422
    assert not Evaluation.objects.exists()
    response = client.post(case_url(record), {"matter-grade": 1, "matter-tags": ["M1-01", "S1-01"]})
    assert response.status_code == 302
    assert rows(record) == [("matter", "completion", 1, 1), ("staff", "completion", 1, 1)]
    assert WorkOrder.objects.count() == 1


def test_tianjin_art13_joint_case_at_intake_through_the_api(client, key, make_record, org):
    record = accepted(make_record, org)
    response = api_rate(client, key, record, target="staff", stage="intake", grade=5)
    assert response.status_code == 201
    assert rows(record) == [("staff", "intake", 1, 5)]


# ---- 第十四条: a theme rating covers the matters not rated one by one; each may be rated alone ----------


def test_tianjin_art14_theme_matters_can_be_rated_one_by_one(client, key, make_record):
    theme = [make_record(theme_no="T-14") for _ in range(3)]
    for grade, case in zip((5, 3, 4), theme, strict=True):
        response = api_rate(client, key, case, grade=grade, apply_to_theme=False)
        assert response.status_code == 201, response.content  # 409 before: the first covered them all
    assert [rows(case) for case in theme] == [
        [("matter", "completion", 1, 5)],
        [("matter", "completion", 1, 3)],
        [("matter", "completion", 1, 4)],
    ]


def test_tianjin_art14_the_theme_rating_covers_only_those_not_rated_separately(client, key, make_record):
    alone, rated_here, covered = (make_record(theme_no="T-14b") for _ in range(3))
    assert api_rate(client, key, alone, grade=2, tags=["M2-01"], apply_to_theme=False).status_code == 201
    assert api_rate(client, key, rated_here, grade=5).status_code == 201  # a theme rating (the default)
    assert rows(alone) == [("matter", "completion", 1, 2)]
    assert rows(covered) == [("matter", "completion", 1, 5)]
    assert api_rate(client, key, covered, grade=1, tags=["M1-01"]).status_code == 409  # covered already


def test_tianjin_art14_the_link_offers_the_theme_or_this_matter_alone(client, make_record, org):
    other = ServiceMatter.objects.create(
        code="M-zg-2", name="食品经营许可", department=org["zhanggong"]["department"]
    )
    first = make_record(theme_no="T-14c")
    second = make_record(theme_no="T-14c", matter_code=other.code)
    third = make_record(theme_no="T-14c")
    html = page(client, first)
    assert "本办件属于主题业务" in html and "食品经营许可" in html and "只评价本事项" in html
    response = client.post(case_url(first), {"matter-grade": 4, "matter-theme_scope": "this"})
    assert response.status_code == 302
    assert (rows(first), rows(second), rows(third)) == ([("matter", "completion", 1, 4)], [], [])
    html = page(client, second)
    assert "个体工商户设立登记" in html  # the third case, still unrated, is listed; the first is not
    assert (
        client.post(case_url(second), {"matter-grade": 5, "matter-theme_scope": "theme"}).status_code == 302
    )
    assert (rows(first)[0][3], rows(second)[0][3], rows(third)[0][3]) == (4, 5, 5)


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


# ---- 追评 (51号 三(一); assessNumber 2): after a first rating, within the window, once ----------------


def test_51hao_follow_up_on_the_case_link_after_a_first_rating(client, make_record, org):
    record = make_record()
    assert "追加评价（追评）" not in page(client, record)  # not before a first rating
    response = client.post(case_url(record), {"matter-grade": 4, "staff-grade": 5}, follow=True)
    thanks = response.content.decode()
    assert "您还可以通过本链接追加评价一次" in thanks and 'class="c-again"' in thanks
    html = page(client, record)
    assert "追加评价（追评）" in html and "您的首次评价" in html and "满意" in html
    assert 'name="step" value="follow_up"' in html
    response = client.post(
        case_url(record),
        {
            "step": "follow_up",
            "followup-client_id": client_id_on(html, "followup"),
            "followup-grade": 2,
            "followup-tags": ["M2-01"],
            "followup_staff-grade": 4,
        },
    )
    assert response.status_code == 302
    assert rows(record, assess_number=2) == [("matter", "completion", 2, 2), ("staff", "completion", 2, 4)]
    assert rows(record, assess_number=1) == [("matter", "completion", 1, 4), ("staff", "completion", 1, 5)]
    assert WorkOrder.objects.get().evaluation.assess_number == 2  # a bad follow-up is a complaint too
    done = page(client, record)
    assert "该办件已经评价过了" in done and "每个办件只能追评一次" in done
    again = client.post(
        case_url(record), {"step": "follow_up", "followup-grade": 1, "followup-comment": "再评"}
    )
    assert again.status_code == 409 and Evaluation.objects.filter(assess_number=2).count() == 2


def test_51hao_a_resent_follow_up_is_answered_not_written_twice(client, make_record):
    record = make_record()
    rate(record, grade=4)
    client_id = client_id_on(page(client, record), "followup")
    for _ in range(2):
        response = client.post(
            case_url(record), {"step": "follow_up", "followup-client_id": client_id, "followup-grade": 3}
        )
        assert response.status_code == 302
    assert rows(record, assess_number=2) == [("matter", "completion", 2, 3)]


def test_51hao_no_follow_up_after_the_window(client, make_record):
    record = make_record()
    rate(record)
    ServiceRecord.objects.filter(pk=record.pk).update(rating_deadline=timezone.now() - timedelta(minutes=1))
    assert "评价期限已过" in page(client, record)
    response = client.post(case_url(record), {"step": "follow_up", "followup-grade": 3})
    assert response.status_code == 410 and not Evaluation.objects.filter(assess_number=2).exists()


def test_51hao_a_follow_up_posted_before_any_rating_is_the_first_rating_form(client, make_record):
    record = make_record()
    response = client.post(case_url(record), {"step": "follow_up", "followup-grade": 3})
    assert response.status_code == 422 and "请选择满意程度" in response.content.decode()
    assert not Evaluation.objects.exists()


def test_51hao_follow_up_at_the_desk(client, make_record, regions):
    agent = User.objects.create_user(
        username="agent", password="x", role=Role.HOTLINE, region=regions["zhanggong"]
    )
    record = make_record()
    client.force_login(agent)
    form = client.get("/desk/entry/").content.decode()
    assert "追评（对已评价的办件追加评价）" in form
    data = {"channel": "phone", "serial_no": record.serial_no, "target": "matter", "stage": "completion"}
    refused = client.post("/desk/entry/", {**data, "grade": "3", "assess_number": "2"})
    assert "该办件还没有首次评价，不能追评" in refused.content.decode()
    assert client.post("/desk/entry/", {**data, "grade": "5"}).status_code == 302
    assert client.post("/desk/entry/", {**data, "grade": "3", "assess_number": "2"}).status_code == 302
    assert rows(record) == [("matter", "completion", 1, 5), ("matter", "completion", 2, 3)]
    assert "（追评）" in client.get("/desk/entry/").content.decode()
    again = client.post("/desk/entry/", {**data, "grade": "2", "assess_number": "2", "comment": "还是慢"})
    assert "该办件已经追评过了，每件只能追评一次" in again.content.decode()


def test_tianjin_art14_the_desk_may_rate_one_theme_matter_alone(client, make_record, regions):
    agent = User.objects.create_user(
        username="agent", password="x", role=Role.HOTLINE, region=regions["zhanggong"]
    )
    alone, other = make_record(theme_no="T-14d"), make_record(theme_no="T-14d")
    client.force_login(agent)
    data = {"channel": "phone", "target": "matter", "stage": "completion", "grade": "4", "theme_one": "on"}
    assert client.post("/desk/entry/", {**data, "serial_no": alone.serial_no}).status_code == 302
    assert (rows(alone), rows(other)) == ([("matter", "completion", 1, 4)], [])
