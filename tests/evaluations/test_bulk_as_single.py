"""Issue 19 point 2: a bulk call answers and writes exactly what the same items sent one by one as single
calls would (DESIGN §7), whichever path each item takes inside it (services/intake_set.py: judged by the
single call's rules and written together, or through the single call itself). The same stream of items
goes to two identical sets of cases: once as single calls, once as one bulk call; the answers and every
row written (ratings, work orders, outbox messages, client keys) must be the same."""

import json

import pytest

from evaluations.models import ClientKey, Evaluation, ServiceRecord
from evaluations.services.apikeys import apikey_create
from reporting.models import UpstreamMessage
from workorders.models import WorkOrder

pytestmark = pytest.mark.django_db

# Each case: (name, what make_record is given). Online cases take the set path; a window case's matter
# rating also rates its clerk (two rows), so it goes through the single call.
CASES = {
    "good": {"channel": "online", "window_code": "", "staff_no": ""},
    "bad": {"channel": "online", "window_code": "", "staff_no": ""},
    "tagged": {"channel": "online", "window_code": "", "staff_no": ""},
    "unreasoned": {"channel": "online", "window_code": "", "staff_no": ""},
    "reused": {"channel": "online", "window_code": "", "staff_no": ""},
    "before": {"channel": "online", "window_code": "", "staff_no": ""},
    "lonely": {"channel": "online", "window_code": "", "staff_no": ""},
    "window": {},
}


def item(case: str, client_id: str, **fields) -> dict:
    body = {"client_id": client_id, "serial_no": case, "target": "matter", "stage": "completion",
            "grade": 5, "tags": [], "channel": "pc"}  # fmt: skip
    return {**body, **fields}


STREAM = [
    item("good", "a1", grade=4),
    item("bad", "a2", grade=1, comment="材料来回跑了三次"),
    item("tagged", "a3", grade=2, tags=["M2-01"]),
    item("unreasoned", "a4", grade=2),  # a bad grade with neither tag nor comment
    item("good", "a1", grade=4),  # a retry within the batch: the first answer
    item("good", "a5", grade=3),  # the case rated again under another client_id
    item("reused", "a2", grade=5),  # a client_id used for another body
    item("nowhere", "a6"),  # an unknown case
    item("before", "b1", grade=2, comment="态度差"),  # sent before the stream: a retry across calls
    item("before", "a7", grade=5),  # that case is rated already
    item("lonely", "a8", assess_number=2),  # a 追评 without a first rating
    item("lonely", "a9", stage="intake"),  # an online case is rated on completion only
    item("window", "a10", grade=4),  # rates the matter and its clerk: two rows
    item("window", "a11", grade=2, comment="又让我补材料", assess_number=2),  # its 追评
    item("bad", "a2", grade=1, comment="材料来回跑了三次"),  # the bad one's retry: its work order
    {"client_id": "a12", "grade": "五"},  # not a rating at all
]


def post(client, key: str, path: str, data) -> dict | list:
    headers = {"Authorization": f"Bearer {key}"}
    body = json.dumps(data, ensure_ascii=False)
    return client.post(path, data=body, content_type="application/json", headers=headers)


def answer_of(status: int, body: dict) -> tuple:
    codes = [error["code"] for error in body.get("errors", [])]
    return status, codes, bool(body.get("work_order"))


def cases_for(make_record, prefix: str) -> dict[str, ServiceRecord]:
    return {name: make_record(serial_no=f"{prefix}-{name}", **fields) for name, fields in CASES.items()}


def with_serials(stream: list[dict], prefix: str) -> list[dict]:
    return [{**body, "serial_no": f"{prefix}-{body['serial_no']}"} if "serial_no" in body else body
            for body in stream]  # fmt: skip


def written(cases: dict[str, ServiceRecord]) -> dict:
    ratings = Evaluation.objects.filter(record__in=cases.values())
    by_case = {
        name: sorted(ratings.filter(record=case).values_list("target", "stage", "grade", "assess_number",
                                                              "channel", "kind", "comment", "tags"))
        for name, case in cases.items()
    }  # fmt: skip
    return {
        "ratings": by_case,
        "work orders": WorkOrder.objects.filter(evaluation__in=ratings).count(),
        "outbox": sorted(
            UpstreamMessage.objects.filter(evaluation__in=ratings).values_list("kind", flat=True)
        ),
        "client keys": ClientKey.objects.filter(evaluation__in=ratings).count(),
    }


def test_issue19_a_bulk_call_answers_and_writes_what_single_calls_would(client, make_record):
    single_key = apikey_create(by=None, name="逐条")[1]
    bulk_key = apikey_create(by=None, name="批量")[1]
    single_cases, bulk_cases = cases_for(make_record, "S"), cases_for(make_record, "B")
    before = item("before", "b1", grade=2, comment="态度差")
    for key, prefix in ((single_key, "S"), (bulk_key, "B")):
        response = post(client, key, "/api/v1/evaluations", with_serials([before], prefix)[0])
        assert response.status_code == 201

    singles = []
    for body in with_serials(STREAM, "S"):
        response = post(client, single_key, "/api/v1/evaluations", body)
        singles.append(answer_of(response.status_code, response.json()))
    response = post(client, bulk_key, "/api/v1/evaluations/bulk", with_serials(STREAM, "B"))
    assert response.status_code == 200
    bulk = [answer_of(entry["status"], entry) for entry in response.json()]

    assert bulk == singles
    assert [status for status, _codes, _order in singles] == [
        201,
        201,
        201,
        422,
        200,
        409,
        409,
        404,
        200,
        409,
        422,
        422,
        201,
        201,
        200,
        422,
    ]  # fmt: skip  (the single calls' own answers: the stream tries what it means to)
    assert written(bulk_cases) == written(single_cases)
    assert written(bulk_cases)["work orders"] == 4  # bad, tagged, before, the window case's 追评


def test_issue19_a_retried_bulk_call_replays_every_answer(client, make_record):
    key = apikey_create(by=None, name="批量")[1]
    cases = cases_for(make_record, "R")
    stream = with_serials(STREAM, "R")
    first = post(client, key, "/api/v1/evaluations/bulk", stream).json()
    counts = written(cases)
    again = post(client, key, "/api/v1/evaluations/bulk", stream).json()
    assert [entry.get("id") for entry in again if entry["status"] == 200] == [
        entry.get("id") for entry in first if entry["status"] in (200, 201)
    ]
    assert written(cases) == counts


def test_issue19_a_batch_of_new_ratings_is_written_by_a_fixed_number_of_statements(client, make_record):
    """Counted, not timed: 50 new ratings (10 of them bad, each opening its work order) cost the same
    statements as 5 (one of them bad): the rows of each table by one INSERT, not five statements an item."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    key = apikey_create(by=None, name="批量")[1]
    assert post(client, key, "/api/v1/evaluations/bulk", []).json() == []  # the key checked once, remembered
    counts: dict[int | str, int] = {}
    for size in (5, 50):
        cases = [make_record(serial_no=f"N{size}-{n}", **CASES["good"]) for n in range(size)]
        stream = [item(case.serial_no, f"n{size}-{n}", grade=1 if n % 5 == 0 else 5, comment="慢")
                  for n, case in enumerate(cases)]  # fmt: skip
        with CaptureQueriesContext(connection) as queries:
            answers = post(client, key, "/api/v1/evaluations/bulk", stream).json()
        assert [entry["status"] for entry in answers] == [201] * size
        orders = WorkOrder.objects.filter(evaluation__record__in=cases).count()
        assert orders == size // 5
        counts[size] = len(queries)
        with CaptureQueriesContext(connection) as queries:  # the same call again: every item a replay
            again = post(client, key, "/api/v1/evaluations/bulk", stream).json()
        assert [entry["work_order"] for entry in again] == [entry["work_order"] for entry in answers]
        counts[f"replayed {size}"] = len(queries)  # the bad ones' work orders come with their keys
    assert counts[50] == counts[5]
    assert counts["replayed 50"] == counts["replayed 5"]
