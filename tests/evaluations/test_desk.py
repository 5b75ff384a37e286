"""Hotline / paper rating entry and 综合点评, through the pages clerks and agents use."""

import pytest

from evaluations.models import Evaluation, Feedback, Role, User
from evaluations.services.duty import shift_start

pytestmark = pytest.mark.django_db


@pytest.fixture
def agent(regions, org) -> User:
    return User.objects.create_user(
        username="agent", password="x", role=Role.HOTLINE, region=regions["zhanggong"]
    )


def entry(client, **fields):
    data = {"channel": "phone", "target": "matter", "stage": "completion", "grade": "5", **fields}
    return client.post("/desk/entry/", data)


def test_an_agent_enters_a_phone_rating_of_a_case(client, agent, make_record):
    record = make_record()
    client.force_login(agent)
    response = entry(client, serial_no=record.serial_no, grade="4")
    assert response.status_code == 302
    evaluation = Evaluation.objects.get(record=record)
    assert (evaluation.channel, evaluation.grade, evaluation.entered_by) == ("phone", 4, agent)
    page = client.get("/desk/entry/").text
    assert "已录入" in page and record.serial_no in page


def test_a_bad_paper_rating_without_reason_shows_the_error_next_to_the_tags(client, agent, make_record):
    record = make_record()
    client.force_login(agent)
    response = entry(client, serial_no=record.serial_no, grade="1", channel="paper")
    assert response.status_code == 422
    html = response.text
    tags_block = html[html.index('id="id_tags"') - 600 : html.index('id="id_tags"')]
    assert "请至少选择一个标签或填写评价内容" in tags_block
    assert not Evaluation.objects.exists()


def test_a_case_outside_the_agents_scope_is_not_found(client, org, regions, make_record):
    other = User.objects.create_user(
        username="far", password="x", role=Role.HOTLINE, region=regions["nankang"]
    )
    record = make_record()
    client.force_login(other)
    response = entry(client, serial_no=record.serial_no)
    assert "找不到该办件，或不在您的数据范围内。" in response.text
    assert not Evaluation.objects.exists()


def test_a_rating_without_a_case_goes_to_the_window_staff_on_duty(client, agent, org):
    client.force_login(agent)
    window = org["zhanggong"]["window"]
    shift_start(staff=org["zhanggong"]["staff"], window=window)  # signed in: on duty (issue 12)
    response = entry(client, window=window.pk, target="staff", evaluator_phone="13900001111")
    assert response.status_code == 302
    evaluation = Evaluation.objects.get()
    assert (evaluation.staff, evaluation.record, evaluation.real_name) == (
        org["zhanggong"]["staff"],
        None,
        True,
    )


def test_a_window_clerk_cannot_open_the_feedback_answer_page(client, org, make_record):
    clerk = User.objects.create_user(
        username="clerk", password="x", role=Role.WINDOW_STAFF, department=org["zhanggong"]["department"]
    )
    client.force_login(clerk)
    feedback = Feedback.objects.create(
        source="box",
        content="大厅空调太冷",
        hall=org["zhanggong"]["hall"],
        region=org["zhanggong"]["hall"].region,
    )
    assert client.get(f"/desk/feedback/{feedback.pk}/answer/").status_code == 403


def test_feedback_goes_to_the_department_which_answers_it(client, agent, colleague, outsider, org):
    client.force_login(agent)
    department = org["zhanggong"]["department"]
    response = client.post(
        "/desk/feedback/new/",
        {
            "source": "hotline",
            "department": department.pk,
            "content": "建议增加午间延时服务",
            "contact_phone": "13700002222",
        },
    )
    assert response.status_code == 302
    feedback = Feedback.objects.get()
    assert feedback.region == department.region and feedback.contact_phone == "13700002222"

    client.force_login(outsider)
    assert "建议增加午间延时服务" not in client.get("/desk/feedback/").text

    client.force_login(colleague)
    assert "建议增加午间延时服务" in client.get("/desk/feedback/").text
    client.post(f"/desk/feedback/{feedback.pk}/answer/", {"answer": "已安排每周三延时至 18:30。"})
    feedback.refresh_from_db()
    assert (feedback.status, feedback.answered_by, feedback.answer) == (
        "answered",
        colleague,
        "已安排每周三延时至 18:30。",
    )


def test_feedback_needs_a_department_or_a_hall(client, agent):
    client.force_login(agent)
    response = client.post("/desk/feedback/new/", {"source": "box", "content": "很好"})
    assert "请选择被点评的部门或大厅。" in response.text
    assert not Feedback.objects.exists()
