"""Many ratings in one call (issue 19 point 2): a portal's batch or a device's offline buffer.

``in_one_transaction`` holds the call's one transaction, run again after a deadlock; the API's bulk
call works inside it set-based (services/intake_set.py). ``each_in_one_transaction`` (the devices'
bulk upload) runs one callable per item, in order, inside **one transaction with a
savepoint per item**. Each callable calls the one intake service (``intake.evaluation_record``), so
an item obeys every rule, idempotency key and signal of the single call. The savepoint is the intake
service's own ``transaction.atomic()``, which inside the batch's transaction is a savepoint: a refusal
rolls back to it, so a refused item leaves no row (its rating, key, work order and outbox rows; their
on_commit work is discarded with them), and the exception (one of ``refused``) is that item's answer;
the next item goes on. A callable must therefore write only through the intake service and refuse
before it, never after a write of its own (the API and device callables only read before calling it);
the runner adds no second savepoint, which would cost two more statements per item.

Why one transaction and not one per item:

- throughput: a commit waits for the WAL flush; 500 items make one commit instead of 500, which is
  what a batch gains over single calls besides one request, one key check and one case lookup
  (docs/benchmarks.md, "Bulk intake");
- all or nothing on a failure that is not the item's fault: a bug, a lost connection or Redis down
  rolls the whole call back, so the client's retry of the batch meets no half-written state (and
  each item would replay by its ``client_id`` anyway);
- ratings later in a batch see the earlier ones (a retry, a 追评 after its first rating), exactly as
  consecutive single calls would.

The cost: the cases' row locks are held until the batch commits, so a single call on a case of a
running batch waits for it, and two batches touching the same cases in another order could deadlock.
Locking every case of the batch first, in primary-key order (intake_set does; ``prepare``, when
given, runs first inside the transaction for that), makes overlapping batches wait instead; a deadlock
PostgreSQL still detects (client ids reused across concurrent batches) rolls the whole batch back
and it runs again from the start, up to ``ATTEMPTS`` times: nothing of a failed attempt remains.
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


def in_one_transaction(work: Callable[[], Answer]) -> Answer:
    """``work()`` in one transaction, run again from the start (up to ATTEMPTS times) when PostgreSQL
    rolls it back for a deadlock or a serialization failure: nothing of a failed attempt remains."""
    for attempt in range(1, ATTEMPTS + 1):
        try:
            with transaction.atomic():
                return work()
        except OperationalError as exc:
            if attempt == ATTEMPTS or not isinstance(exc.__cause__, _RETRYABLE):
                raise
    raise AssertionError("unreachable")  # the loop returns or raises


def each_in_one_transaction(
    items: Sequence[Item],
    *,
    each: Callable[[Item, Prepared], Answer],
    prepare: Callable[[Sequence[Item]], Prepared] | None = None,
    refused: tuple[type[Exception], ...] = (Refusal,),
) -> list[Answer | Exception]:
    """``each(item, prepared)`` for every item in order, in one transaction; an item raising one of
    ``refused`` is answered by that exception (see the module docstring for what it must not write)."""

    def work() -> list[Answer | Exception]:
        prepared = prepare(items) if prepare is not None else None
        return [_one(each, item, prepared, refused) for item in items]  # type: ignore[arg-type]

    return in_one_transaction(work)


def _one(
    each: Callable[[Item, Prepared], Answer],
    item: Item,
    prepared: Prepared,
    refused: tuple[type[Exception], ...],
) -> Answer | Exception:
    try:
        return each(item, prepared)  # the intake service's atomic is the item's savepoint
    except refused as exc:
        return exc
