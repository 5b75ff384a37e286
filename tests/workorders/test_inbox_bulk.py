"""The inbox's bulk form through the test client (issue 16 §2): tick rows, one POST, a result per order.

Dispatching (转派) is the office's (Ganzhou 第六条, 第八条), signing for an order the department's; the
form is a plain POST that works without JavaScript.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from workorders.models import Category, Source, State, WorkOrder, WorkOrderEvent
from workorders.services.opening import workorder_open_for_supervision

from .workorder_fixtures import bad_order, move

pytestmark = [pytest.mark.django_db, pytest.mark.calendar]


def form_of(response) -> dict[str, list[str]]:
    """What the page's bulk form would submit as it stands: ticked rows and every row's fields."""
    data: dict[str, list[str]] = {"back": [response.context["back"]]}
    for item in response.context["rows"]:
        order = item.row.order
        data[f"seen-{order.number}"] = [order.state]
        if item.checked:
            data.setdefault("order", []).append(order.number)
        if item.dispatchable:
            data[f"category-{order.number}"] = [item.category]
            data[f"department-{order.number}"] = [item.department_id]
    return data


def test_24_orders_are_dispatched_by_one_post(client, make_record, people, local_departments):
    orders = [bad_order(make_record()) for _n in range(24)]
    town = local_departments["town"].department
    client.force_login(people["office"])
    page = client.get("/orders/?tab=dispatch&per_page=50&select=page")
    assert page.status_code == 200 and len(page.context["rows"]) == 24
    assert all(item.checked and item.dispatchable for item in page.context["rows"])
    assert page.text.count('type="checkbox" name="order"') == 24 and page.text.count(" checked>") == 24
    data = form_of(page)
    adjusted = orders[5].number
    data[f"department-{adjusted}"] = [str(town.pk)]
    data[f"category-{orders[6].number}"] = [Category.SIMPLE]

    response = client.post("/orders/bulk/", {**data, "action": "dispatch"})  # the one submission
    assert response.status_code == 302
    assert response["Location"] == "/orders/?tab=dispatch&per_page=50"
    assert WorkOrder.objects.filter(state=State.DISPATCHED).count() == 24
    assert WorkOrderEvent.objects.filter(kind="transition", action="dispatch").count() == 24
    for order in orders:
        assert WorkOrderEvent.objects.filter(order=order, action="dispatch", actor=people["office"]).exists()
    assert WorkOrder.objects.get(number=adjusted).department == town
    assert WorkOrder.objects.get(number=orders[6].number).category == Category.SIMPLE

    after = client.get(response["Location"])
    results = after.context["results"]
    assert (results["done"], results["refused"], len(results["rows"])) == (24, 0, 24)
    assert "批量派发：完成 24 件" in after.text and town.name in after.text
    assert client.get(response["Location"]).context["results"] is None  # shown once


def test_rows_refused_are_listed_with_their_reason_and_the_rest_are_done(client, make_record, people):
    first, second = bad_order(make_record()), bad_order(make_record())
    client.force_login(people["office"])
    data = form_of(client.get("/orders/?tab=dispatch&select=page"))
    move(second, State.DISPATCHED, office=people["office"], handler=people["handler"])  # meanwhile
    response = client.post("/orders/bulk/", {**data, "action": "dispatch"}, follow=True)
    rows = {number: (done, text) for number, done, text in response.context["results"]["rows"]}
    assert rows[first.number][0] is True
    assert rows[second.number] == (False, "工单已被他人处理，当前状态为“待签收”，无法派发。")
    assert "未执行 1 件" in response.text
    assert WorkOrderEvent.objects.filter(order=second, action="dispatch").count() == 1


def test_a_department_accepts_in_bulk(client, make_record, people):
    sent = [move(bad_order(make_record()), State.DISPATCHED, **roles(people)) for _n in range(3)]
    client.force_login(people["handler"])
    page = client.get("/orders/?select=page")
    assert [name for name, _label in page.context["bulk_actions"]] == ["accept"]
    assert not any(item.dispatchable for item in page.context["rows"])
    response = client.post("/orders/bulk/", {**form_of(page), "action": "accept"}, follow=True)
    assert response.context["results"]["done"] == 3
    assert {WorkOrder.objects.get(pk=order.pk).state for order in sent} == {State.HANDLING}
    # The office may not sign for a department.
    client.force_login(people["office"])
    refused = client.post("/orders/bulk/", {"action": "accept", "order": [sent[0].number]})
    assert refused.status_code == 403


def roles(people) -> dict:
    return {"office": people["office"], "handler": people["handler"]}


def test_nothing_ticked_comes_back_with_the_error_above_the_list_and_nothing_done(
    client, make_record, people
):
    order = bad_order(make_record())
    client.force_login(people["office"])
    response = client.post("/orders/bulk/", {"action": "dispatch", "back": "tab=dispatch"})
    assert response.status_code == 422
    assert "请先勾选要处理的工单。" in response.text and 'role="alert"' in response.text
    assert response.context["tab"] == "dispatch"
    assert 'href="/orders/?tab=' in response.text  # the list's links lead back to the inbox, not here
    unknown = client.post("/orders/bulk/", {"action": "close", "order": [order.number]})
    assert unknown.status_code == 422 and "没有这个批量操作。" in unknown.text
    assert unknown.context["rows"][0].checked  # what was ticked stays ticked
    bad = client.post("/orders/bulk/", {"action": "dispatch", "order": ["CP2026\x00"]})
    assert bad.status_code == 422 and "工单编号格式不正确。" in bad.text
    many = [f"CP202612-{n:06d}" for n in range(101)]
    too_many = client.post("/orders/bulk/", {"action": "dispatch", "order": many})
    assert too_many.status_code == 422 and "一次最多处理 100 件工单，您勾选了 101 件。" in too_many.text
    assert WorkOrder.objects.get(pk=order.pk).state == State.CREATED
    assert not WorkOrderEvent.objects.filter(kind="transition").exists()


def test_the_buttons_offered_fit_the_rows_on_the_page(client, make_record, people):
    bad_order(make_record())
    client.force_login(people["office"])
    offered = lambda url: [name for name, _label in client.get(url).context["bulk_actions"]]  # noqa: E731
    assert offered("/orders/?tab=dispatch") == ["dispatch"]
    move(bad_order(make_record()), State.HANDLING, **roles(people))
    assert offered("/orders/?tab=handling") == ["remind"]
    assert offered("/orders/?tab=all") == ["dispatch", "remind"]
    assert offered("/orders/?tab=review") == []


def test_a_reminder_from_the_list_is_on_the_timeline(client, make_record, people):
    order = move(bad_order(make_record()), State.HANDLING, **roles(people))
    client.force_login(people["office"])
    data = form_of(client.get("/orders/?tab=handling&select=page"))
    response = client.post("/orders/bulk/", {**data, "action": "remind"}, follow=True)
    assert "批量催办：完成 1 件" in response.text
    assert "催办" in client.get(f"/orders/{order.number}/").text
    assert WorkOrderEvent.objects.filter(order=order, action="remind", actor=people["office"]).count() == 1


def test_roles_without_a_bulk_action_get_no_checkboxes_and_403(client, make_record, people):
    order = bad_order(make_record())
    for role in ("auditor", "hotline"):
        client.force_login(people[role])
        page = client.get("/orders/?tab=all")
        assert page.context["bulk_actions"] == [] and 'name="order"' not in page.text
        assert (
            client.post("/orders/bulk/", {"action": "dispatch", "order": [order.number]}).status_code == 403
        )
    client.force_login(people["outside_office"])  # may dispatch, but not this order
    response = client.post("/orders/bulk/", {"action": "dispatch", "order": [order.number]}, follow=True)
    assert response.context["results"]["rows"] == [[order.number, False, "工单不存在或不在您的数据范围内。"]]
    assert WorkOrder.objects.get(pk=order.pk).state == State.CREATED


def test_the_inbox_filters_by_source_and_shows_a_supervision_order_without_a_rating(
    client, make_record, people, org, regions
):
    rating = bad_order(make_record())
    finding = workorder_open_for_supervision(
        department=org["zhanggong"]["department"],
        region=regions["zhanggong"],
        summary="窗口工作人员离岗，群众等候 30 分钟",
    )
    client.force_login(people["office"])
    numbers = lambda url: {item.row.order.number for item in client.get(url).context["rows"]}  # noqa: E731
    assert numbers("/orders/?tab=all") == {rating.number, finding.number}
    assert numbers(f"/orders/?tab=all&source={Source.SUPERVISION}") == {finding.number}
    assert numbers(f"/orders/?tab=all&source={Source.RATING}") == {rating.number}
    html = client.get(f"/orders/?tab=all&source={Source.SUPERVISION}").text
    assert "监督查评" in html and "窗口工作人员离岗" in html


def test_the_page_size_and_the_bulk_rows_keep_the_query_count_fixed(client, make_record, people):
    client.force_login(people["office"])

    def measure() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/orders/?tab=dispatch&per_page=100&select=page").status_code == 200
        return len(queries)

    for _n in range(2):
        bad_order(make_record())
    few = measure()
    for _n in range(25):
        bad_order(make_record())
    assert measure() == few
    assert len(client.get("/orders/?tab=dispatch&per_page=100").context["rows"]) == 27
    assert len(client.get("/orders/?tab=dispatch&per_page=7").context["rows"]) == 20  # not a size: default
