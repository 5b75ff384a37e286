"""Tianjin 实施细则 第十一—十四条: which rating covers what — online once for the matter, a window's
clerk at each visit, a batch (art. 12), a joint approval (art. 13), a theme (art. 14) — through the intake
service, the APIs, the case link and the desk. Each test names its clause; helpers in case_rules.py."""

import pytest

from evaluations.models import (
    Evaluation,
    Role,
    ServiceMatter,
    User,
)
from workorders.models import WorkOrder

from .case_rules import accepted, api_rate, case_url, joint_case, page, rate, refusal, rows

# own_counters: real Redis with this test's own key prefix, so rate-limit counters never leak between runs.
pytestmark = [pytest.mark.django_db, pytest.mark.calendar, pytest.mark.usefixtures("own_counters")]


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


def test_tianjin_art14_the_desk_may_rate_one_theme_matter_alone(client, make_record, regions):
    agent = User.objects.create_user(
        username="agent", password="x", role=Role.HOTLINE, region=regions["zhanggong"]
    )
    alone, other = make_record(theme_no="T-14d"), make_record(theme_no="T-14d")
    client.force_login(agent)
    data = {"channel": "phone", "target": "matter", "stage": "completion", "grade": "4", "theme_one": "on"}
    assert client.post("/desk/entry/", {**data, "serial_no": alone.serial_no}).status_code == 302
    assert (rows(alone), rows(other)) == ([("matter", "completion", 1, 4)], [])
