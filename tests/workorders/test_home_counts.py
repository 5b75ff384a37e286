"""The home page says what needs the user (issue 16 §2): per role, counts that each link to the inbox
tab (or the flags queue) listing exactly those items, and never a different number than that list."""

from datetime import timedelta

import pytest
from django.utils import timezone

from evaluations.models import Evaluation
from workorders.models import State, WorkOrder
from workorders.services import extensions

from ..db_roles import as_owner
from .workorder_fixtures import bad_order, move, rate

pytestmark = [pytest.mark.django_db, pytest.mark.calendar]


def set_due(order: WorkOrder, due) -> None:
    WorkOrder.objects.filter(pk=order.pk).update(due=due)


@pytest.fixture
def orders(make_record, people) -> None:
    """Orders waiting in every place: to dispatch, to sign, overdue, due today, to review, to revisit,
    an extension to decide (待审核, with the one under review), closed; and a flagged rating to review."""
    today = timezone.localdate()
    roles = {"office": people["office"], "handler": people["handler"]}
    for _n in range(3):
        bad_order(make_record())
    move(bad_order(make_record()), State.DISPATCHED, **roles)
    set_due(move(bad_order(make_record()), State.HANDLING, **roles), today - timedelta(days=3))
    set_due(move(bad_order(make_record()), State.HANDLING, **roles), today)
    asking = move(bad_order(make_record()), State.HANDLING, **roles)
    extensions.extension_request(
        asking, by=people["handler"], reason="需外单位配合", new_due=asking.due + timedelta(days=14)
    )
    move(bad_order(make_record()), State.REVIEWING, **roles)
    move(bad_order(make_record()), State.REVISITING, **roles)
    move(bad_order(make_record()), State.CLOSED, **roles)
    good = rate(make_record(), grade=5, tags=[]).evaluation
    with as_owner():  # intake sets the flag at INSERT; the app role never changes it afterwards
        Evaluation.objects.filter(pk=good.pk).update(
            flagged=True, flag_reason="同一窗口 2 分钟内评价超过 3 次"
        )


def listed(client, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200
    if url.startswith("/reviews/flags/"):
        return response.context["pending_count"]
    return response.context["page"].paginator.count


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("office", {"overdue": 1, "due_today": 1, "dispatch": 3, "review": 2, "revisit": 1, "flags": 1}),
        ("handler", {"overdue": 1, "due_today": 1, "handling": 4}),
        ("hotline", {"revisit": 1}),
        ("auditor", {"overdue": 1, "due_today": 1, "dispatch": 3, "review": 2, "revisit": 1, "flags": 1}),
        (
            "outside_office",
            {"overdue": 0, "due_today": 0, "dispatch": 0, "review": 0, "revisit": 0, "flags": 0},
        ),
    ],
)
def test_each_home_count_is_the_count_of_the_list_it_links_to(client, people, orders, role, expected):
    client.force_login(people[role])
    home = client.get("/")
    needs = home.context["needs"]
    assert {need.key: need.count for need in needs} == expected
    for need in needs:
        assert f'href="{need.url}"' in home.text
        assert listed(client, need.url) == need.count, need.key
    assert home.context["read_only"] == (role == "auditor")


def test_the_home_tells_the_department_what_to_do_not_the_master_data(client, people, orders):
    client.force_login(people["handler"])
    home = client.get("/")
    assert home.context["counts"] is None and "政务服务事项" not in home.text
    assert "待我处理" in home.text and "待签收/整改中" in home.text
    client.force_login(people["office"])
    home = client.get("/")
    assert "待我处理" in home.text and home.context["counts"]["departments"] == 1  # below, as 基础数据
    assert home.text.index("待我处理") < home.text.index("基础数据")
    client.force_login(people["auditor"])
    assert "办理情况（只读）" in client.get("/").text


def test_a_role_without_work_orders_sees_no_counts(client, people):
    client.force_login(people["window_staff"])
    assert client.get("/").context["needs"] == []
