"""The calls of bench_province's paced load (bench/paced_load.py), single or bulk: pure functions, no
server and no clock."""

import json

from bench.paced_load import BULK_PATH, PATH, item_statuses, request_of, slots


def bodies(count: int) -> list[dict]:
    return [{"client_id": f"c-{number}", "grade": 5} for number in range(count)]


def test_single_calls_carry_one_rating_each_at_its_own_slot():
    due = slots(bodies(3), rate=2.0, batch=None)
    assert due == [(0.0, [bodies(3)[0]]), (0.5, [bodies(3)[1]]), (1.0, [bodies(3)[2]])]
    path, payload = request_of(due[1][1], bulk=False)
    assert (path, json.loads(payload)) == (PATH, {"client_id": "c-1", "grade": 5})


def test_bulk_calls_carry_consecutive_batches_due_at_their_first_ratings_slot():
    due = slots(bodies(120), rate=150.0, batch=50)
    assert [offset for offset, _ in due] == [0.0, 50 / 150, 100 / 150]  # 150 ratings/s kept
    assert [len(items) for _, items in due] == [50, 50, 20]  # the last batch holds the rest
    assert [item["client_id"] for _, items in due for item in items] == [f"c-{n}" for n in range(120)]
    path, payload = request_of(due[2][1], bulk=True)
    assert path == BULK_PATH and json.loads(payload) == bodies(120)[100:]  # the items, as an array


def test_statuses_are_counted_per_rating():
    assert item_statuses(201, b'{"id": 1}', 1, bulk=False) == [201]
    answer = json.dumps([{"client_id": "a", "status": 201}, {"client_id": "b", "status": 409}]).encode()
    assert item_statuses(200, answer, 2, bulk=True) == [201, 409]
    assert item_statuses(502, b"Bad Gateway", 3, bulk=True) == [502, 502, 502]  # the call failed whole
    assert item_statuses(200, b"[]", 2, bulk=True) == [0, 0]  # not one answer per item
