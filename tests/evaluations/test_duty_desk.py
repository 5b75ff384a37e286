"""Phone and paper ratings without a case at the desk (issue 12, points 1 and 2).

Point 1: the desk asks which clerk when several were on duty, never guesses, and can rate the window
alone. Point 2: nobody enters a rating of themselves or of a window they staff that day — ratings are
the citizens' own (Tianjin 实施细则 第四条 自愿真实; 国办发〔2019〕51号 一(二) "自愿自主真实评价",
五(二) "排除误评和恶意差评"); the service refuses with ``self_rating`` and writes nothing.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from evaluations.models import Evaluation, Role, Staff, User, Window
from evaluations.refusals import Refusal
from evaluations.services.duty import shift_end, shift_start
from evaluations.services.intake import Rating, evaluation_record

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("ten_in_the_morning")]


@pytest.fixture
def side(org) -> dict:
    side = dict(org["zhanggong"])
    side["colleague"] = Staff.objects.create(
        name="李四", staff_no="S-zg-li", department=side["department"], window=side["window"]
    )
    side["other_window"] = Window.objects.create(hall=side["hall"], code="W-zg-2", name="帮办代办窗口")
    side["other_window"].departments.add(side["department"])
    return side


@pytest.fixture
def agent(regions, org) -> User:
    return User.objects.create_user(
        username="agent", password="x", role=Role.HOTLINE, region=regions["zhanggong"]
    )


@pytest.fixture
def clerk(side) -> User:
    """The window clerk 章贡区张三 with a login of his own (Staff.user)."""
    user = User.objects.create_user(
        username="window_clerk", password="x", role=Role.WINDOW_STAFF, department=side["department"]
    )
    Staff.objects.filter(pk=side["staff"].pk).update(user=user)
    return user


def entry(client, **fields):
    data = {
        "channel": "paper",
        "target": "staff",
        "stage": "completion",
        "grade": "5",
        "assess_number": "1",  # the 追评 choice (issue 12, point 6), when the form has it
        **fields,
    }
    return client.post("/desk/entry/", data)


def field_errors(response, name: str) -> list[str]:
    return [str(error) for error in response.context["form"].errors.get(name, [])]


# ---- point 1: who the desk rating names ----------------------------------------------------------


def test_tianjin_art10_a_paper_rating_of_a_window_goes_to_the_one_clerk_signed_in(client, agent, side):
    shift_start(staff=side["colleague"], window=side["window"])
    client.force_login(agent)
    assert entry(client, window=side["window"].pk).status_code == 302
    evaluation = Evaluation.objects.get()
    assert (evaluation.staff, evaluation.window, evaluation.entered_by) == (
        side["colleague"],
        side["window"],
        agent,
    )
    assert "李四" in client.get("/desk/entry/").text


def test_the_desk_asks_which_clerk_when_several_were_on_duty(client, agent, side):
    shift_start(staff=side["staff"], window=side["window"])
    shift_start(staff=side["colleague"], window=side["window"])
    client.force_login(agent)
    response = entry(client, window=side["window"].pk)
    assert response.status_code == 422
    assert any("多名工作人员在岗" in error and "李四" in error for error in field_errors(response, "staff"))
    assert not Evaluation.objects.exists()
    assert entry(client, window=side["window"].pk, staff=side["colleague"].pk).status_code == 302
    assert Evaluation.objects.get().staff == side["colleague"]


def test_the_desk_may_rate_the_window_alone(client, agent, side):
    shift_start(staff=side["staff"], window=side["window"])
    client.force_login(agent)
    assert entry(client, window=side["window"].pk, window_only="on").status_code == 302
    evaluation = Evaluation.objects.get()
    assert (evaluation.staff, evaluation.window, evaluation.department) == (
        None,
        side["window"],
        side["department"],
    )
    assert "只计入窗口" in client.get("/desk/entry/").text


def test_with_nobody_on_duty_a_paper_rating_rates_the_window_only(client, agent, side):
    client.force_login(agent)
    rated_at = (timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    assert entry(client, window=side["window"].pk, rated_at=rated_at).status_code == 302
    assert Evaluation.objects.get().staff is None


def test_the_paper_form_asks_at_the_time_written_on_it(client, agent, side):
    """Two on duty now, one when the form was filled in: that one, no question asked."""
    shift_start(staff=side["staff"], window=side["window"], now=timezone.now() - timedelta(hours=2))
    shift_start(staff=side["colleague"], window=side["window"], now=timezone.now() - timedelta(minutes=30))
    client.force_login(agent)
    rated_at = (timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    assert entry(client, window=side["window"].pk, rated_at=rated_at).status_code == 302
    assert Evaluation.objects.get().staff == side["staff"]


# ---- point 2: nobody rates themselves -------------------------------------------------------------


def test_51hao_tianjin_art4_a_clerk_cannot_enter_a_rating_of_himself(client, clerk, side):
    """What was seen: three paper 非常满意 of himself accepted. Now each is refused, in Chinese, next to
    the field, and nothing is written."""
    shift_start(staff=side["staff"], window=side["other_window"])  # he is working elsewhere today
    client.force_login(clerk)
    for _attempt in range(3):
        response = entry(client, window=side["window"].pk, staff=side["staff"].pk)
        assert response.status_code == 422
        assert any(
            "不能录入对本人" in error and "自愿、真实" in error for error in field_errors(response, "staff")
        )
    assert not Evaluation.objects.exists()


def test_51hao_tianjin_art4_a_clerk_cannot_rate_his_own_window_nor_the_clerk_beside_him(client, clerk, side):
    client.force_login(clerk)
    # His home window (Staff.window), the window alone or a colleague there: refused alike.
    for fields in ({"window_only": "on"}, {"staff": side["colleague"].pk}, {}):
        response = entry(client, window=side["window"].pk, **fields)
        assert response.status_code == 422, fields
        assert any("不能录入对本人" in error for error in field_errors(response, "window")), fields
    assert not Evaluation.objects.exists()


def test_51hao_a_window_the_clerk_signed_in_at_today_is_his_too(side, clerk):
    shift_start(staff=side["staff"], window=side["other_window"])
    shift_end(staff=side["staff"])
    with pytest.raises(Refusal) as caught:
        evaluation_record(
            rating=Rating(target="staff", stage="completion", grade=5, channel="paper", window_only=True),
            window=side["other_window"],
            by=clerk,
        )
    assert (caught.value.code, caught.value.status, caught.value.field) == ("self_rating", 403, "window")


def test_51hao_a_window_he_worked_at_on_another_day_may_be_entered(side, clerk):
    yesterday = timezone.now() - timedelta(days=1)
    shift_start(staff=side["staff"], window=side["other_window"], now=yesterday)
    shift_end(staff=side["staff"], now=yesterday + timedelta(hours=1))
    result = evaluation_record(
        rating=Rating(target="staff", stage="completion", grade=5, channel="paper", window_only=True),
        window=side["other_window"],
        by=clerk,
    )
    assert result.evaluation.entered_by == clerk and result.evaluation.staff is None


def test_51hao_a_clerk_cannot_enter_a_rating_of_a_case_of_his_window(client, clerk, make_record):
    record = make_record()  # completed at his window, by him
    client.force_login(clerk)
    response = entry(client, serial_no=record.serial_no, target="matter")
    assert response.status_code == 422
    assert any("不能录入对本人" in error for error in field_errors(response, "serial_no"))
    assert not Evaluation.objects.exists()


def test_51hao_every_entered_rating_keeps_who_entered_it(client, agent, side):
    client.force_login(agent)
    assert entry(client, window=side["window"].pk, staff=side["staff"].pk, channel="phone").status_code == 302
    evaluation = Evaluation.objects.get()
    assert (evaluation.entered_by, evaluation.channel) == (agent, "phone")
