"""The rows of one rating sent to PostgreSQL as one statement (issue 19 point 1: fewer round trips).

A good rating writes three rows — the rating, its outbox message, its idempotency key — and each
INSERT was a round trip of its own, most of whose cost on this path is the client's (psycopg, the
driver's protocol, the kernel), not PostgreSQL's. Inside ``written_together()`` an INSERT that needs
nothing back (its primary key reserved beforehand, or not read by the caller: services.composed
``insert(obj, returning=False)``) is held instead of sent. What is held goes as one statement,
``WITH w0 AS (INSERT …), w1 AS (INSERT …) INSERT …``, just before any other statement the block runs
(a work order's number, a device's waiting case) and when the block ends; so every other statement
sees the rows as if each had been sent at once.

The sub-statements of one WITH run in an unspecified order: two rows of one table are never held
together (the second sends the first), so ids drawn from one sequence keep the order the rows were
written in. Foreign keys are checked at commit (Django declares them DEFERRABLE INITIALLY DEFERRED),
so a message may name the rating of the same statement. An exception inside the block drops what is
held: the caller's transaction rolls back anyway, and a constraint a held row breaks (the once-per-case
rule, a reused client_id) raises IntegrityError when the rows are sent, inside the block, as before.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections


@dataclass
class _Held:
    connection: Any
    statements: list[tuple[str, str, list[Any]]] = field(default_factory=list)  # (table, sql, params)

    def send(self) -> None:
        if not self.statements:
            return
        statements, self.statements = self.statements, []
        *first, (_table, last, _params) = statements
        ctes = ", ".join(f"w{number} AS ({sql})" for number, (_t, sql, _p) in enumerate(first))
        sql = f"WITH {ctes} {last}" if first else last
        with self.connection.cursor() as cursor:
            cursor.execute(sql, [param for _t, _s, params in statements for param in params])


_held: ContextVar[_Held | None] = ContextVar("written_together", default=None)


def hold(table: str, sql: str, params: list[Any], using: str = DEFAULT_DB_ALIAS) -> bool:
    """Hold one INSERT (without RETURNING) when inside ``written_together()``; False outside it."""
    held = _held.get()
    if held is None or held.connection is not connections[using]:
        return False
    if any(known == table for known, _sql, _params in held.statements):
        held.send()  # one row of a table at a time: its sequence keeps the order of writing
    held.statements.append((table, sql, params))
    return True


@contextmanager
def written_together(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Send the INSERTs held inside this block as one statement (see the module's docstring)."""
    if _held.get() is not None:  # nested: the outer block sends them
        yield
        return
    connection = connections[using]
    held = _Held(connection)

    def send_first(execute, sql, params, many, context):
        held.send()
        return execute(sql, params, many, context)

    token = _held.set(held)
    try:
        with connection.execute_wrapper(send_first):
            yield
            held.send()
    finally:
        _held.reset(token)
