"""The review queue of burst-flagged ratings (issue 12, point 3): the hold, the decision, the page.

The clauses: the work follows "自愿真实" (Tianjin art. 4 "坚持自愿真实、公开透明、标准统一原则"; Qingdao
art. 4 "遵循自愿真实、公开透明、统一标准的原则"; Ganzhou art. 5), so a citizen's rating is never lost
through inaction; and 51号 五(二) "建立申诉复核机制，排除误评和恶意差评" with 四(一) "核实为误评或恶意差评
的，评价结果不予采纳": a rating found to be 刷评 or 恶意评价 after a verified review leaves the figures.
(None of the four seeds uses the words 刷评 or 不真实评价; 恶意评价 is Ganzhou art. 19 and Qingdao art. 13.)
"""

import datetime as dt
import uuid

import pytest
import time_machine
from django.db import DatabaseError, connection
from django.urls import reverse

from evaluations import flags
from evaluations.models import Evaluation, FlagReview, Policy, Preset, Role, User
from evaluations.services.flags import FlagReviewRefused, flag_review_decide
from evaluations.services.policies import policy_set

from ..db_roles import as_owner

pytestmark = [pytest.mark.django_db, pytest.mark.calendar]

TZ = dt.timezone(dt.timedelta(hours=8))
# Monday 2 November 2026, 10:00 Beijing time: every test here fixes its own moment.
MONDAY = dt.datetime(2026, 11, 2, 10, 0, tzinfo=TZ)
QUEUE = reverse("reviews:flags")
BURST = "同一地址 2 分钟内评价超过 3 次"


@pytest.fixture(autouse=True)
def monday():
    with time_machine.travel(MONDAY, tick=False):
        yield


def rating(
    side: dict, *, at: dt.datetime = MONDAY, grade: int = 5, flagged: bool = True, **extra
) -> Evaluation:
    """A QR rating of ``side`` (an entry of the org fixture), flagged as a burst from one address."""
    fields = {
        "target": "staff",
        "stage": "completion",
        "grade": grade,
        "channel": "qr",
        "rated_at": at,
        "matter": side["matter"],
        "staff": side["staff"],
        "window": side["window"],
        "department": side["department"],
        "region": side["department"].region,
        "ip_address": "10.1.2.3",
        "flagged": flagged,
        "flag_reason": BURST if flagged else "",
        **extra,
    }
    return Evaluation.objects.create(**fields)


def decide_url(evaluation: Evaluation) -> str:
    return reverse("reviews:flag_decide", args=[evaluation.pk])


# --- the hold ---------------------------------------------------------------------------------------


def test_tianjin_qingdao_art4_voluntary_and_true_a_flag_is_held_at_most_n_working_days(org):
    """Rated Monday with the default 3: held Monday to Wednesday, counted from Thursday 00:00 — then it
    counts whether or not anybody reviewed it, so inaction never suppresses a citizen's rating."""
    flagged = rating(org["zhanggong"])
    counts_from = flags.counts_from(Evaluation.objects.select_related("region").filter(pk=flagged.pk))
    assert counts_from[flagged.pk] == dt.datetime(2026, 11, 5, 0, 0, tzinfo=TZ)
    start, end = MONDAY - dt.timedelta(days=1), MONDAY + dt.timedelta(days=1)
    assert flags.held_ids(start=start, end=end) == [flagged.pk]
    wednesday_night = dt.datetime(2026, 11, 4, 23, 59, tzinfo=TZ)
    assert flags.held_ids(start=start, end=end, now=wednesday_night) == [flagged.pk]
    assert flags.held_ids(start=start, end=end, now=dt.datetime(2026, 11, 5, 0, 0, tzinfo=TZ)) == []


def test_tianjin_art4_the_hold_is_counted_in_working_days_across_national_day(org):
    """Rated Wednesday 30 September 2026: 1-7 October are holidays and Saturday 10 October a working
    day, so the three working days are 8, 9 and 10 October and it counts from Saturday the 10th."""
    flagged = rating(org["zhanggong"], at=dt.datetime(2026, 9, 30, 16, 0, tzinfo=TZ))
    counts_from = flags.counts_from(Evaluation.objects.select_related("region").filter(pk=flagged.pk))
    assert counts_from[flagged.pk] == dt.datetime(2026, 10, 10, 0, 0, tzinfo=TZ)


def test_tianjin_art4_the_hold_follows_the_region_policy_and_zero_holds_nothing(org, regions):
    Policy.from_preset(Preset.GANZHOU, region=regions["zhanggong"], flag_hold_days=0).save()
    Policy.from_preset(Preset.GANZHOU, region=regions["nankang"], flag_hold_days=1).save()
    here, there = rating(org["zhanggong"]), rating(org["nankang"])
    window = {"start": MONDAY - dt.timedelta(hours=1), "end": MONDAY + dt.timedelta(hours=1)}
    assert flags.held_ids(**window) == [there.pk]
    assert flags.held_ids(**window, now=dt.datetime(2026, 11, 3, 0, 0, tzinfo=TZ)) == []
    assert here.pk not in flags.held_ids(**window)


def test_the_hold_is_a_local_setting_that_a_preset_leaves_alone(regions):
    """No regulation sets the hold, so it is not a preset rule: switching preset keeps it."""
    policy = Policy.from_preset(Preset.NATIONAL, region=regions["city"], flag_hold_days=5)
    policy.save()
    policy_set(region=regions["city"], preset=Preset.TIANJIN)
    policy.refresh_from_db()
    assert (policy.preset, policy.flag_hold_days) == (Preset.TIANJIN, 5)
    assert "flag_hold_days" not in policy.overrides()
    assert Policy.from_preset(Preset.QINGDAO).flag_hold_days == 3  # the default


def test_a_confirmed_ruled_or_appeal_voided_rating_is_never_held(org, owner):
    side = org["zhanggong"]
    confirmed, ruled, voided = rating(side), rating(side), rating(side, validity="not_adopted")
    flag_review_decide(evaluation=confirmed, decision="confirmed", reason="", by=owner)
    flag_review_decide(evaluation=ruled, decision="ruled", reason="同一设备连续刷评", by=owner)
    plain = rating(side, flagged=False)
    held = flags.held_ids(start=MONDAY - dt.timedelta(hours=1), end=MONDAY + dt.timedelta(hours=1))
    assert held == [] and {confirmed.pk, ruled.pk, voided.pk, plain.pk}.isdisjoint(held)


# --- the decision ---------------------------------------------------------------------------------


def test_51hao_5_2_a_ruled_rating_is_marked_ruled_with_its_reason_and_logged(org, owner):
    flagged = rating(org["zhanggong"])
    review = flag_review_decide(
        evaluation=flagged,
        decision="ruled",
        reason="  同一地址 2 分钟内评价 8 次，现场无对应办事人  ",
        by=owner,
    )
    flagged.refresh_from_db()
    assert (flagged.validity, flagged.validity_reason) == (
        "ruled",
        "同一地址 2 分钟内评价 8 次，现场无对应办事人",
    )
    assert flagged.validity_changed_at == MONDAY and flagged.get_validity_display() == "认定刷评或恶意评价"
    assert (review.decision, review.decided_by, review.decided_at) == ("ruled", owner, MONDAY)
    assert (flagged.grade, flagged.flagged, flagged.flag_reason) == (
        5,
        True,
        BURST,
    )  # the rating itself stays


def test_51hao_5_2_a_ruling_needs_a_reason_and_a_refusal_writes_nothing(org, owner):
    flagged = rating(org["zhanggong"])
    with pytest.raises(FlagReviewRefused) as refused:
        flag_review_decide(evaluation=flagged, decision="ruled", reason="   ", by=owner)
    assert (refused.value.code, refused.value.field) == ("reason_required", "reason")
    assert "请填写认定理由" in refused.value.message
    flagged.refresh_from_db()
    assert flagged.validity == "valid" and not FlagReview.objects.exists()


def test_confirming_a_flag_keeps_the_rating_valid(org, owner):
    flagged = rating(org["zhanggong"])
    review = flag_review_decide(evaluation=flagged, decision="confirmed", reason="", by=owner)
    flagged.refresh_from_db()
    assert flagged.validity == "valid" and review.get_decision_display() == "确认有效"


@pytest.mark.parametrize(
    ("setup", "code"),
    [("decided", "already_reviewed"), ("not_flagged", "not_flagged"), ("voided", "not_valid")],
)
def test_a_decision_is_taken_once_on_a_valid_flagged_rating(org, owner, setup, code):
    side = org["zhanggong"]
    if setup == "decided":
        target = rating(side)
        flag_review_decide(evaluation=target, decision="confirmed", reason="", by=owner)
    elif setup == "not_flagged":
        target = rating(side, flagged=False)
    else:
        target = rating(side, validity="not_adopted")
    before = FlagReview.objects.count()
    with pytest.raises(FlagReviewRefused) as refused:
        flag_review_decide(evaluation=target, decision="ruled", reason="刷评", by=owner)
    assert refused.value.code == code and FlagReview.objects.count() == before


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE evaluations_flagreview SET decision = 'confirmed', reason = '' WHERE id = %s",
        "UPDATE evaluations_flagreview SET decided_at = now() WHERE id = %s",
        "DELETE FROM evaluations_flagreview WHERE id = %s",
    ],
)
def test_qingdao_decisions_are_append_only_in_the_database(org, owner, sql):
    review = flag_review_decide(
        evaluation=rating(org["zhanggong"]), decision="ruled", reason="刷评", by=owner
    )
    # Even the owner (the app role may not UPDATE or DELETE this table at all: test_database_roles).
    with (
        pytest.raises(DatabaseError, match="append-only"),
        as_owner(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, [review.pk])
    review.refresh_from_db()
    assert (review.decision, review.reason) == ("ruled", "刷评")


# --- neighbours -----------------------------------------------------------------------------------


def test_neighbours_are_the_ratings_at_the_window_or_from_the_address_within_a_minute(org, owner):
    side, other = org["zhanggong"], org["nankang"]
    flagged = rating(side)
    same_window = rating(side, flagged=False, ip_address="10.9.9.9", at=MONDAY - dt.timedelta(seconds=40))
    same_address = rating(other, flagged=False, at=MONDAY + dt.timedelta(seconds=30))
    rating(side, flagged=False, at=MONDAY - dt.timedelta(seconds=90))  # too early
    rating(other, flagged=False, ip_address="10.9.9.9")  # another window, another address
    city = User.objects.create_user(
        username="city", password="pw-1", role=Role.OFFICE, region=side["department"].region.parent
    )
    near = flags.neighbours(city, [flagged])[flagged.pk]
    assert [(n.evaluation, n.same_window, n.same_address) for n in near] == [
        (same_window, True, False),
        (same_address, False, True),
    ]
    # The 章贡区 office does not see the 南康区 rating, even as a neighbour.
    assert [n.evaluation for n in flags.neighbours(owner, [flagged])[flagged.pk]] == [same_window]


def test_the_queue_shows_an_address_masked():
    assert flags.masked_address("10.1.2.3") == "10.1.*.*"
    assert flags.masked_address("2001:db8:85a3::8a2e:370:7334") == "2001:0db8:85a3:…"
    assert flags.masked_address(None) == ""


# --- the page -------------------------------------------------------------------------------------


def test_the_queue_lists_flagged_ratings_in_scope_with_reason_neighbours_and_hold(client, org, owner):
    side = org["zhanggong"]
    flagged = rating(side)
    rating(side, flagged=False, at=MONDAY - dt.timedelta(seconds=20))
    rating(org["nankang"])  # out of the 章贡区 office's scope
    client.force_login(owner)
    response = client.get(QUEUE)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('class="card fl-item"') == 1 and f'id="flag-{flagged.pk}"' in html
    assert BURST in html and "暂缓计入，未核查将于 11月5日 起自动计入" in html
    assert "前后 1 分钟内同一窗口或同一地址的评价（1 条）" in html and "同一窗口" in html
    assert "10.1.*.*" in html and "10.1.2.3" not in html
    assert "确认有效" in html and "认定刷评或恶意评价" in html
    assert '<span class="fl-count">1</span>' in html


def test_a_flag_whose_hold_ended_is_shown_as_counted_and_can_still_be_ruled(client, org, owner):
    old = rating(org["zhanggong"], at=dt.datetime(2026, 10, 26, 10, 0, tzinfo=TZ))
    client.force_login(owner)
    assert "暂缓期已过，已计入统计" in client.get(QUEUE).content.decode()
    response = client.post(
        decide_url(old), {f"flag-{old.pk}-decision": "ruled", f"flag-{old.pk}-reason": "刷评"}
    )
    assert response.status_code == 302
    old.refresh_from_db()
    assert old.validity == "ruled"


def test_an_office_rules_a_flag_from_the_page_and_sees_it_in_the_decisions(client, org, owner):
    flagged = rating(org["zhanggong"])
    client.force_login(owner)
    data = {f"flag-{flagged.pk}-decision": "ruled", f"flag-{flagged.pk}-reason": "同一手机连续评价同一窗口"}
    response = client.post(decide_url(flagged), data, follow=True)
    html = response.content.decode()
    assert "已认定为刷评或恶意评价：该评价不再计入任何统计" in html and "没有待核查的评价" in html
    flagged.refresh_from_db()
    assert flagged.validity == "ruled" and flagged.flag_review.decided_by == owner
    decided = client.get(QUEUE + "?tab=decided").content.decode()
    assert "同一手机连续评价同一窗口" in decided and "不计入任何统计" in decided and owner.username in decided


def test_an_office_confirms_a_flag_from_the_page(client, org, owner):
    flagged = rating(org["zhanggong"])
    client.force_login(owner)
    response = client.post(decide_url(flagged), {f"flag-{flagged.pk}-decision": "confirmed"}, follow=True)
    assert "已确认有效：该评价计入统计" in response.content.decode()
    assert FlagReview.objects.get().decision == "confirmed"


def test_51hao_5_2_a_ruling_without_reason_is_refused_next_to_the_field(client, org, owner):
    flagged = rating(org["zhanggong"])
    client.force_login(owner)
    response = client.post(decide_url(flagged), {f"flag-{flagged.pk}-decision": "ruled"})
    html = response.content.decode()
    assert response.status_code == 422
    assert (
        f'id="id_flag-{flagged.pk}-reason-error" role="alert">认定为刷评或恶意评价时，请填写认定理由。'
        in html
    )
    assert not FlagReview.objects.exists()


def test_a_second_decision_from_a_stale_page_is_refused_with_a_message(client, org, owner):
    flagged = rating(org["zhanggong"])
    flag_review_decide(evaluation=flagged, decision="confirmed", reason="", by=owner)
    client.force_login(owner)
    data = {f"flag-{flagged.pk}-decision": "ruled", f"flag-{flagged.pk}-reason": "刷评"}
    response = client.post(decide_url(flagged), data, follow=True)
    assert "这条评价已经核查过了，核查结论不能更改。" in response.content.decode()
    assert FlagReview.objects.get().decision == "confirmed"


def test_only_offices_decide_within_their_scope(client, org, owner, colleague, outsider):
    flagged = rating(org["zhanggong"])
    data = {f"flag-{flagged.pk}-decision": "confirmed"}
    client.force_login(outsider)
    assert client.post(decide_url(flagged), data).status_code == 404
    assert "没有待核查的评价" in client.get(QUEUE).content.decode()
    client.force_login(colleague)  # a department handler
    assert client.get(QUEUE).status_code == 403 and client.post(decide_url(flagged), data).status_code == 403
    region = org["zhanggong"]["department"].region
    auditor = User.objects.create_user(username="audit", password="pw-1", role=Role.AUDITOR, region=region)
    client.force_login(auditor)
    page = client.get(QUEUE).content.decode()
    assert BURST in page and "fl-form" not in page  # reads, cannot decide
    assert client.post(decide_url(flagged), data).status_code == 403
    assert not FlagReview.objects.exists()


def test_the_home_page_links_the_queue_for_offices(client, owner):
    client.force_login(owner)
    assert QUEUE in client.get(reverse("home")).content.decode()


def test_a_burst_on_the_citizen_page_reaches_the_queue_with_its_neighbours(
    client, make_record, owner, settings
):
    """From intake to the queue: the fourth rating from one address in two minutes is flagged."""
    default = {**settings.CACHES["default"], "KEY_PREFIX": f"test-flags-{uuid.uuid4().hex[:12]}"}
    settings.CACHES = {**settings.CACHES, "default": default}
    from evaluations.tokens import case_token

    for _ in range(settings.CITIZEN_ADDRESS_BURST + 1):
        url = reverse("citizen:case_rate", kwargs={"token": case_token(make_record())})
        assert client.post(url, {"matter-grade": 5}, REMOTE_ADDR="10.7.7.7").status_code == 302
    flagged = Evaluation.objects.get(flagged=True)
    assert flagged.ip_address == "10.7.7.7"
    client.force_login(owner)
    html = client.get(QUEUE).content.decode()
    assert f'id="flag-{flagged.pk}"' in html
    assert f"前后 1 分钟内同一窗口或同一地址的评价（{settings.CITIZEN_ADDRESS_BURST} 条）" in html
