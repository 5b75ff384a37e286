"""追评 (国办发〔2019〕51号 三(一); the platforms' assessNumber 2): after a first rating, within the window,
once — on the case link and at the desk. The device's part is in tests/devices/test_device_followup.py."""

from datetime import timedelta

import pytest
from django.utils import timezone

from evaluations.models import (
    Evaluation,
    Role,
    ServiceRecord,
    User,
)
from workorders.models import WorkOrder

from .case_rules import (
    case_url,
    client_id_on,
    page,
    rate,
    rows,
)

# own_counters: real Redis with this test's own key prefix, so rate-limit counters never leak between runs.
pytestmark = [pytest.mark.django_db, pytest.mark.calendar, pytest.mark.usefixtures("own_counters")]


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
