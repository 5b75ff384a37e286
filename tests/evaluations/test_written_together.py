"""services.together: the INSERTs held inside written_together() go as one statement, before any other
statement of the block and at its end; two rows of one table keep their order; an error drops them."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from evaluations.models import ClientKey, SenderKind
from evaluations.services.composed import insert_rows
from evaluations.services.together import written_together

pytestmark = pytest.mark.django_db


@pytest.fixture
def ratings(make_record) -> list:
    """Three good ratings of three cases, none with a client key yet (a key is one per rating)."""
    from ..workorders.workorder_fixtures import rate

    return [rate(make_record(), grade=5, tags=[]).evaluation for _ in range(3)]


@pytest.fixture
def rating(ratings):
    return ratings[0]


def key(rating, client_id: str) -> ClientKey:
    return ClientKey(sender_kind=SenderKind.SYSTEM, sender_id="", client_id=client_id, evaluation=rating)


def test_rows_held_in_the_block_are_sent_at_its_end(rating):
    with CaptureQueriesContext(connection) as queries:
        with written_together():
            insert_rows([key(rating, "a")], returning=False)
            assert len(queries) == 0  # held, not sent
        assert len(queries) == 1 and queries[0]["sql"].startswith('INSERT INTO "evaluations_clientkey"')
    assert ClientKey.objects.filter(client_id="a").count() == 1


def test_a_statement_of_the_block_sees_the_rows_held_before_it(rating):
    with CaptureQueriesContext(connection) as queries, written_together():
        insert_rows([key(rating, "b")], returning=False)
        assert ClientKey.objects.filter(client_id="b").count() == 1
        assert [query["sql"].split()[0] for query in queries] == ["INSERT", "SELECT"]


def test_two_rows_of_one_table_are_sent_apart_so_their_ids_keep_the_order_written(ratings):
    with CaptureQueriesContext(connection) as queries, written_together():
        insert_rows([key(ratings[1], "first")], returning=False)
        insert_rows([key(ratings[2], "second")], returning=False)
    assert len(queries) == 2
    first, second = (ClientKey.objects.get(client_id=name).pk for name in ("first", "second"))
    assert first < second


def test_rows_of_several_tables_go_as_one_with_statement(rating):
    from reporting.models import UpstreamMessage

    message = UpstreamMessage.objects.filter(evaluation=rating).get()
    copy = UpstreamMessage(
        kind=message.kind, profile=message.profile, evaluation=rating, case_key=message.case_key,
        idempotency_key=f"{message.idempotency_key}:copy", payload=message.payload,
        next_attempt_at=message.next_attempt_at, sent_body="",
    )  # fmt: skip
    with CaptureQueriesContext(connection) as queries, written_together():
        insert_rows([copy], returning=False)
        insert_rows([key(rating, "c")], returning=False)
    assert len(queries) == 1 and queries[0]["sql"].startswith("WITH w0 AS (INSERT INTO")
    assert UpstreamMessage.objects.filter(idempotency_key=copy.idempotency_key).exists()
    assert ClientKey.objects.filter(client_id="c").exists()


def _hold_then_fail(rating) -> None:
    with written_together():
        insert_rows([key(rating, "d")], returning=False)
        raise ZeroDivisionError


def test_an_error_in_the_block_sends_nothing_held(rating):
    with CaptureQueriesContext(connection) as queries:
        with pytest.raises(ZeroDivisionError):
            _hold_then_fail(rating)
        assert len(queries) == 0
    assert not ClientKey.objects.filter(client_id="d").exists()


def test_a_held_row_that_breaks_a_constraint_raises_inside_the_block(ratings):
    insert_rows([key(ratings[0], "e")])
    with pytest.raises(IntegrityError), transaction.atomic(), written_together():
        insert_rows([key(ratings[1], "e")], returning=False)  # the same sender and client_id
    assert ClientKey.objects.filter(client_id="e").count() == 1
