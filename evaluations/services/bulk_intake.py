"""Many ratings in one call (issue 19 point 2): a portal's batch or a device's offline buffer.

``each_in_one_transaction`` runs one callable per item, in order, inside **one transaction with a
savepoint per item**. Each callable calls the one intake service (``intake.evaluation_record``), so
an item obeys every rule, idempotency key and signal of the single call; an item refused with one of
the ``refused`` exceptions rolls back to its own savepoint (no row of it remains, its work order and
outbox rows included) and the exception is that item's answer; the next item goes on.

Why one transaction and not one per item:

- throughput: a commit waits for the WAL flush; 500 items make one commit instead of 500, which is
  what brings a batch near pgbench's raw INSERT rate (docs/benchmarks.md, "Bulk intake");
- all or nothing on failure that is not the item's fault: a bug, a lost connection or Redis down
  rolls the whole call back, so the client's retry of the batch meets no half-written state (and
  each item would replay by its ``client_id`` anyway);
- ratings later in a batch see the earlier ones (a retry, a 追评 after its first rating), exactly as
  consecutive single calls would.

The cost: the cases' row locks are held until the batch commits, so two batches touching the same
cases in another order can deadlock. ``prepare``, when given, runs first inside the transaction (the API locks
every case of the batch there, in primary-key order, which orders the locks of overlapping batches);
a deadlock PostgreSQL still detects (reused client ids across batches) rolls the whole batch back
and it is run again from the start, up to ``ATTEMPTS`` times: nothing of the failed attempt remains,
and on_commit work (the upstream pusher's nudge) registered by it is discarded with it.
"""

from collections.abc import Callable, Sequence
from typing import TypeVar

from django.db import OperationalError, transaction
from psycopg import errors as pg_errors

from ..refusals import Refusal

Item = TypeVar("Item")
Prepared = TypeVar("Prepared")
Answer = TypeVar("Answer")

BULK_LIMIT = 500  # items per call, like the records API's bulk push
ATTEMPTS = 3
_RETRYABLE = (pg_errors.DeadlockDetected, pg_errors.SerializationFailure)


def each_in_one_transaction(
    items: Sequence[Item],
    *,
    each: Callable[[Item, Prepared], Answer],
    prepare: Callable[[Sequence[Item]], Prepared] | None = None,
    refused: tuple[type[Exception], ...] = (Refusal,),
) -> list[Answer | Exception]:
    """``each(item, prepared)`` for every item in order, in one transaction, a savepoint per item; an
    item raising one of ``refused`` is answered by that exception and leaves nothing written."""
    for attempt in range(1, ATTEMPTS + 1):
        try:
            with transaction.atomic():
                prepared = prepare(items) if prepare is not None else None
                return [_one(each, item, prepared, refused) for item in items]  # type: ignore[arg-type]
        except OperationalError as exc:
            if attempt == ATTEMPTS or not isinstance(exc.__cause__, _RETRYABLE):
                raise
    raise AssertionError("unreachable")  # the loop returns or raises


def _one(
    each: Callable[[Item, Prepared], Answer],
    item: Item,
    prepared: Prepared,
    refused: tuple[type[Exception], ...],
) -> Answer | Exception:
    try:
        with transaction.atomic():  # the item's savepoint
            return each(item, prepared)
    except refused as exc:
        return exc
