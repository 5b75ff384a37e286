"""Issue 19 point 2: ``POST /api/v1/evaluations/bulk``. Each item is answered as the single call
(DESIGN §7 ``POST /api/v1/evaluations``) would answer it, in order; one bad item blocks no other;
idempotency per sender (issue 14 point 1), work orders (国办发〔2019〕51号 二(三): every bad review is
rectified, so each opens one work order) and upstream outbox rows exactly as for single calls."""

import json
from uuid import uuid4

import pytest

from evaluations.models import ClientKey, Evaluation
from evaluations.services.apikeys import apikey_create
from reporting.models import UpstreamMessage
from workorders.models import WorkOrder

from ..races import bearer, post_together

pytestmark = pytest.mark.django_db

URL = "/api/v1/evaluations/bulk"
SINGLE = "/api/v1/evaluations"


def rating(record, **overrides) -> dict:
    body = {
        "client_id": f"portal-{uuid4().hex}",
        "serial_no": record.serial_no,
        "target": "matter",
        "stage": "completion",
        "grade": 5,
        "tags": [],
        "channel": "pc",
    }
    return {**body, **overrides}


def post(client, key: str, data, url: str = URL):
    text = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False)
    return client.post(
        url, data=text, content_type="application/json", headers={"Authorization": f"Bearer {key}"}
    )


def outbox_of(evaluation_id: int) -> list[str]:
    return sorted(UpstreamMessage.objects.filter(evaluation_id=evaluation_id).values_list("kind", flat=True))


def test_issue19_a_mixed_batch_is_answered_item_by_item_in_order(client, key, make_record):
    earlier = make_record()
    sent_before = rating(earlier, grade=2, tags=["M2-01"])
    first = post(client, key, sent_before, url=SINGLE).json()
    fresh, bad, reused, unreasoned = (make_record() for _ in range(4))
    items = [
        rating(fresh, grade=4),  # new
        sent_before,  # the single call's retry: its first answer
        rating(bad, grade=1, comment="材料来回跑了三次"),  # new, a bad review
        {**sent_before, "serial_no": reused.serial_no},  # the same client_id, another body
        rating(unreasoned, grade=2),  # a bad grade with neither tag nor comment
        rating(fresh, serial_no="SN-NOWHERE"),  # an unknown case
        {"client_id": "portal-x", "grade": "五"},  # not a rating at all
        42,
    ]
    items.append(dict(items[2]))  # the bad review again in the same batch: a retry

    response = post(client, key, items)

    assert response.status_code == 200
    answers = response.json()
    assert [(a["client_id"], a["status"]) for a in answers] == [
        (items[0]["client_id"], 201),
        (sent_before["client_id"], 200),
        (items[2]["client_id"], 201),
        (sent_before["client_id"], 409),
        (items[4]["client_id"], 422),
        (items[5]["client_id"], 404),
        ("portal-x", 422),
        (None, 422),
        (items[2]["client_id"], 200),
    ]
    assert answers[1] == {"client_id": sent_before["client_id"], "status": 200} | first
    assert answers[2]["work_order"] and answers[8] == {**answers[2], "status": 200}
    assert answers[0]["work_order"] is None and "errors" not in answers[0]
    codes = [[(e["field"], e["code"]) for e in a.get("errors", [])] for a in answers]
    assert codes[3] == [("client_id", "client_id_reused")]
    assert codes[4] == [("tags", "reason_required")]
    assert codes[5] == [("serial_no", "record_not_found")]
    assert ("serial_no", "required") in codes[6] and ("grade", "invalid_type") in codes[6]
    assert codes[7] == [("", "invalid_type")]
    assert all("id" not in a and "work_order" not in a for a in answers[3:8])
    # The refused items left nothing: no rating of their cases, no key, no order.
    assert set(Evaluation.objects.values_list("record__serial_no", flat=True)) == {
        earlier.serial_no,
        fresh.serial_no,
        bad.serial_no,
    }
    assert ClientKey.objects.count() == 3
    assert list(WorkOrder.objects.order_by("number").values_list("evaluation_id", flat=True)) == sorted(
        [first["id"], answers[2]["id"]]
    )
    # Outbox rows as a single call writes them, once each.
    assert outbox_of(answers[0]["id"]) and outbox_of(answers[2]["id"]) == outbox_of(first["id"])


def test_issue19_a_batch_sent_again_writes_nothing_more(client, key, make_record):
    """51号 二(三): one work order per bad review, however often a portal resends its batch."""
    items = [rating(make_record(), grade=2, tags=["M2-01"]) for _ in range(3)] + [rating(make_record())]
    first = post(client, key, items).json()
    assert [a["status"] for a in first] == [201] * 4
    counts = (Evaluation.objects.count(), WorkOrder.objects.count(), UpstreamMessage.objects.count())

    again = post(client, key, items).json()

    assert [a["status"] for a in again] == [200] * 4
    assert [(a["id"], a["work_order"]) for a in again] == [(a["id"], a["work_order"]) for a in first]
    assert (Evaluation.objects.count(), WorkOrder.objects.count(), UpstreamMessage.objects.count()) == counts
    assert counts[:2] == (4, 3)


def test_issue19_later_items_see_earlier_ones_a_follow_up_after_its_first(client, key, make_record):
    """A 追评 (51号 一(一); assess number 2) in the batch of its first rating: answered as in sequence."""
    record, other = make_record(), make_record()
    items = [
        rating(other, grade=3, assess_number=2),  # before its first: refused
        rating(other, grade=4),
        rating(record, grade=4),
        rating(record, grade=3, assess_number=2),
    ]
    answers = post(client, key, items).json()
    assert [a["status"] for a in answers] == [422, 201, 201, 201]
    assert answers[0]["errors"][0]["code"] == "follow_up_without_first"
    assert Evaluation.objects.get(pk=answers[3]["id"]).assess_number == 2


def test_issue19_another_keys_client_id_is_its_own_in_a_batch(client, key, make_record):
    other = apikey_create(by=None, name="移动端")[1]
    one, two = make_record(), make_record()
    shared = f"shared-{uuid4().hex}"
    assert post(client, key, [rating(one, client_id=shared)]).json()[0]["status"] == 201
    answer = post(client, other, [rating(two, client_id=shared)]).json()[0]
    assert answer["status"] == 201
    assert ClientKey.objects.filter(client_id=shared).count() == 2


def test_issue19_more_than_500_items_are_refused_as_a_whole(client, key, make_record):
    record = make_record()
    response = post(client, key, [rating(record) for _ in range(501)])
    assert response.status_code == 413
    [error] = response.json()["errors"]
    assert error["code"] == "too_many_items" and "500" in error["message"] and "501" in error["message"]
    assert not Evaluation.objects.exists()


def test_issue19_500_items_are_each_answered(client, key):
    items = [{"client_id": f"c-{n}", "serial_no": f"SN-NONE-{n}"} for n in range(500)]
    answers = post(client, key, items).json()
    assert len(answers) == 500 and {a["status"] for a in answers} == {422}
    assert answers[499]["client_id"] == "c-499"


def test_issue19_an_empty_list_is_answered_with_an_empty_list(client, key):
    response = post(client, key, [])
    assert (response.status_code, response.json()) == (200, [])


@pytest.mark.parametrize(
    ("data", "status", "code"),
    [
        ({"client_id": "x"}, 422, "invalid_type"),
        ('[{"client_id": "x"', 400, "malformed_json"),
        ("null", 422, "invalid_type"),
    ],
    ids=["an-object", "broken-json", "null"],
)
def test_issue19_a_body_that_is_not_a_list_is_refused_with_an_error_list(client, key, data, status, code):
    response = post(client, key, data)
    assert response.status_code == status
    assert [e["code"] for e in response.json()["errors"]] == [code]


def test_issue19_a_bad_key_is_401_and_writes_nothing(client, make_record):
    response = post(client, "not-a-key", [rating(make_record())])
    assert response.status_code == 401 and response["WWW-Authenticate"] == "Bearer"
    assert response.json()["errors"][0]["code"] == "unauthorized"
    assert not Evaluation.objects.exists()


def test_issue19_the_openapi_document_describes_the_bulk_call(client):
    operation = client.get("/api/openapi.json").json()["paths"][URL]["post"]
    body = operation["requestBody"]["content"]["application/json"]["schema"]
    assert (body["type"], body["maxItems"]) == ("array", 500)
    assert body["items"] == {"$ref": "#/components/schemas/EvaluationIn"}
    assert {"200", "401", "413", "422"} <= set(operation["responses"])
    assert "client_id_reused" in operation["description"]


# serialized_rollback: the flush after a transactional test would otherwise drop the seeded tags.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_issue19_a_batch_sent_twice_at_once_stores_each_rating_once(live_server, make_record):
    """A portal that times out and resends while the first call still runs: both calls hold the same
    bad review; it is stored once, with one work order, and both calls answer with it."""
    full_key = apikey_create(by=None, name="网上办事大厅")[1]
    items = [rating(make_record(), grade=2, tags=["M2-01"]), rating(make_record(), grade=5)]
    answers = post_together(f"{live_server.url}{URL}", json.dumps(items).encode(), bearer(full_key))
    assert [status for status, _ in answers] == [200, 200]
    statuses = sorted(tuple(a["status"] for a in body) for _, body in answers)
    assert statuses == [(200, 200), (201, 201)]
    assert [(a["id"], a["work_order"]) for a in answers[0][1]] == [
        (a["id"], a["work_order"]) for a in answers[1][1]
    ]
    assert Evaluation.objects.count() == 2 and WorkOrder.objects.count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_issue19_two_batches_sharing_cases_in_opposite_order_both_finish(live_server, make_record):
    """The cases of a batch are locked in one order, so overlapping batches wait instead of deadlocking."""
    full_key = apikey_create(by=None, name="网上办事大厅")[1]
    one, two = rating(make_record(), grade=4), rating(make_record(), grade=1, comment="态度差")
    bodies = [json.dumps([one, two]).encode(), json.dumps([two, one]).encode()]
    answers = post_together(f"{live_server.url}{URL}", bodies, bearer(full_key))
    assert [status for status, _ in answers] == [200, 200]
    by_client = {}
    for _, body in answers:
        for answer in body:
            by_client.setdefault(answer["client_id"], []).append((answer["status"], answer["id"]))
    for client_id in (one["client_id"], two["client_id"]):
        statuses, ids = zip(*by_client[client_id], strict=True)
        assert sorted(statuses) == [200, 201] and len(set(ids)) == 1
    assert Evaluation.objects.count() == 2 and WorkOrder.objects.count() == 1
