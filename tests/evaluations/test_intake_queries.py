"""Round trips per rating on the intake path (issue 19 point 1): counted, not timed. The figures are
in docs/benchmarks.md; before this issue a first rating through the records API cost 8 statements
(case id lookup, BEGIN, locked read, INSERT rating, INSERT outbox, DELETE pending, INSERT client key,
COMMIT) and a retry 9 (the work order looked up even for a good rating). The rating's rows now go as
one statement (services.together), named here by its tables: 'INSERT a + b + c'."""

import json
from uuid import uuid4

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from devices.models import PendingRating
from devices.services.pending import pending_set
from evaluations.models import Evaluation

pytestmark = pytest.mark.django_db

URL = "/api/v1/evaluations"


def post(client, key: str, body: dict):
    headers = {"Authorization": f"Bearer {key}"}
    return client.post(URL, data=json.dumps(body), content_type="application/json", headers=headers)


def body_for(record, grade: int = 5) -> dict:
    return {
        "client_id": f"web-{uuid4().hex}", "serial_no": record.serial_no, "target": "matter",
        "stage": "completion", "grade": grade, "tags": [], "channel": "pc",
        "comment": "办理时间太长" if grade <= 2 else "",
    }  # fmt: skip


def statements(queries: CaptureQueriesContext) -> list[str]:
    """Each statement's verb and table, e.g. 'INSERT evaluations_evaluation'; savepoints as BEGIN/COMMIT
    (the test runs inside a transaction, so the service's atomic block is a savepoint)."""
    named = []
    for query in queries:
        sql = query["sql"].replace('"', "")
        words = sql.split()
        verb = words[0]
        if verb in ("SAVEPOINT", "RELEASE", "ROLLBACK"):
            named.append({"SAVEPOINT": "BEGIN", "RELEASE": "COMMIT", "ROLLBACK": "ROLLBACK"}[verb])
        elif verb == "SELECT":
            named.append(f"SELECT {_main_table(sql)}")
        elif verb == "WITH":  # the rows written together: WITH w0 AS (INSERT INTO a …), … INSERT INTO c …
            tables = [words[at + 2] for at, word in enumerate(words) if word in ("INSERT", "(INSERT")]
            named.append("INSERT " + " + ".join(tables))
        else:
            named.append(f"{verb} {words[2]}")
    return named


def _main_table(sql: str) -> str:
    """The table after the FROM outside any parentheses (not a subquery's)."""
    depth = 0
    for index, char in enumerate(sql):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth == 0 and sql.startswith(" FROM ", index):
            return sql[index + 6 :].split()[0]
    return "?"


@pytest.fixture
def warm_key(client, key) -> str:
    """The key, checked once: the process remembers it (ApiKey.authenticate), as a busy server does."""
    unknown = {"client_id": "warm", "serial_no": "NONE", "target": "matter", "stage": "completion",
               "grade": 5, "channel": "pc"}  # fmt: skip
    assert post(client, key, unknown).status_code == 404
    return key


def test_a_first_rating_of_a_case_costs_four_statements(client, warm_key, make_record):
    record = make_record(channel="online", staff_no="", window_code="")
    with CaptureQueriesContext(connection) as queries:
        response = post(client, warm_key, body_for(record))
    assert response.status_code == 201
    assert statements(queries) == [
        "BEGIN",
        "SELECT evaluations_servicerecord",  # found by serial number, in the key's scope, locked
        "INSERT evaluations_evaluation + reporting_upstreammessage + evaluations_clientkey",
        "COMMIT",
    ]
    rating = Evaluation.objects.get(record=record)
    assert response.json()["id"] == rating.pk  # the id the locked read reserved is the row's
    assert rating.client_key.evaluation_id == rating.pk  # type: ignore[attr-defined]


def test_a_bad_rating_sends_its_rows_before_the_work_order_reads_its_number(client, warm_key, make_record):
    record = make_record(channel="online", staff_no="", window_code="")
    with CaptureQueriesContext(connection) as queries:
        response = post(client, warm_key, body_for(record, grade=1))
    assert response.status_code == 201 and response.json()["work_order"]
    assert statements(queries) == [
        "BEGIN",
        "SELECT evaluations_servicerecord",
        "INSERT evaluations_evaluation + reporting_upstreammessage",  # sent before the order's number
        "SELECT generate_series(1,",  # the order's number and its id (workorders.services.opening)
        "INSERT workorders_workorder + workorders_workorderevent + evaluations_clientkey",
        "COMMIT",
    ]
    order = Evaluation.objects.get(record=record).work_order  # type: ignore[attr-defined]
    assert order.number == response.json()["work_order"] and order.events.count() == 1


def test_a_retry_of_a_good_rating_costs_four_statements_and_no_failed_insert(client, warm_key, make_record):
    """The case has a rating already (locked_case.rated_before), so the key is looked up before the
    rules: the first answer, with no INSERT failing on the once-per-case constraint (an ERROR line in
    PostgreSQL's log for every retry of a device on a flaky network) and no work order lookup."""
    body = body_for(make_record(channel="online", staff_no="", window_code=""))
    first = post(client, warm_key, body)
    with CaptureQueriesContext(connection) as queries:
        again = post(client, warm_key, body)
    assert (again.status_code, again.json()) == (200, first.json())
    assert statements(queries) == [
        "BEGIN",
        "SELECT evaluations_servicerecord",
        "SELECT evaluations_clientkey",  # the first answer
        "COMMIT",
    ]


def test_a_new_client_id_for_a_rated_case_is_refused_as_before(client, warm_key, make_record):
    body = body_for(make_record(channel="online", staff_no="", window_code=""))
    assert post(client, warm_key, body).status_code == 201
    again = post(client, warm_key, {**body, "client_id": f"web-{uuid4().hex}"})
    assert again.status_code == 409 and again.json()["errors"][0]["code"] == "already_rated"


def test_a_client_id_used_again_with_another_body_is_refused(client, warm_key, make_record):
    body = body_for(make_record(channel="online", staff_no="", window_code=""))
    assert post(client, warm_key, body).status_code == 201
    again = post(client, warm_key, {**body, "grade": 4})
    assert again.json()["errors"][0]["code"] == "client_id_reused"


def test_a_retry_of_a_bad_rating_answers_its_work_order(client, warm_key, make_record):
    body = body_for(make_record(channel="online", staff_no="", window_code=""), grade=1)
    first = post(client, warm_key, body)
    assert first.status_code == 201 and first.json()["work_order"]
    assert post(client, warm_key, body).json() == first.json()


def test_a_case_waiting_at_a_window_leaves_it_when_rated(client, warm_key, make_record, org):
    """The DELETE of the waiting case runs only when the locked read saw one (devices.services.pending)."""
    record = make_record()
    window = org["zhanggong"]["window"]
    pending_set(window=window, record=record)
    with CaptureQueriesContext(connection) as queries:
        assert post(client, warm_key, body_for(record)).status_code == 201
    assert "DELETE devices_pendingrating" in statements(queries)
    assert not PendingRating.objects.filter(record=record).exists()
    assert Evaluation.objects.filter(record=record).count() >= 1


def test_the_statements_every_rating_repeats_are_prepared_on_the_connection(client, warm_key, make_record):
    """services.prepared: after psycopg's prepare_threshold (5) ratings the locked read and the INSERTs
    are prepared statements of the pooled connection, parsed and planned once instead of every time."""
    for _ in range(7):
        assert (
            post(
                client, warm_key, body_for(make_record(channel="online", staff_no="", window_code=""))
            ).status_code
            == 201
        )
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    assert any(
        "FOR UPDATE OF" in statement and "evaluations_servicerecord" in statement for statement in prepared
    )
    assert any('AS (INSERT INTO "evaluations_evaluation"' in statement for statement in prepared)


@pytest.mark.parametrize(("phone", "real_name"), [("13812345678", True), ("", False)])
def test_a_case_with_the_applicants_phone_is_rated_by_real_name_without_decrypting_it(
    client, warm_key, make_record, monkeypatch, phone, real_name
):
    """51号 五(二): a known applicant with a phone can be called back (real_name). The locked read says
    whether there is a phone (has_applicant_phone) and the number itself is never decrypted."""
    from evaluations import crypto

    record = make_record(channel="online", staff_no="", window_code="", applicant_phone=phone)
    decrypted: list[str] = []
    real_decrypt = crypto.decrypt
    monkeypatch.setattr(crypto, "decrypt", lambda token: decrypted.append(token) or real_decrypt(token))
    assert post(client, warm_key, body_for(record)).status_code == 201
    assert Evaluation.objects.get(record=record).real_name is real_name
    assert decrypted == []
