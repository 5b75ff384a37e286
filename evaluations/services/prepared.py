"""Prepared statements for the intake path (issue 19 point 1).

Django binds parameters on the client by default (psycopg's ClientCursor): every statement is sent
as text with its values in it, and PostgreSQL plans it again each time. The case's locked read (the
case, its matter, department, region, window and staff, and two EXISTS) takes about 1.4 ms to plan
for 0.3 ms of execution. Inside ``server_binding()`` the intake's cursors bind on the server
(Django's ServerBindingCursor, what ``OPTIONS["server_side_binding"]`` would give every query), so
the text is the same for every rating, and with ``prepare_threshold`` set for the block psycopg
prepares it once per connection after that many executions; later executions skip parsing and
planning. (Django leaves psycopg's threshold off for the whole site so that a transaction-mode
pooler in front of PostgreSQL keeps working; this project connects through Django's own psycopg pool,
one session per connection, and does not use such a pooler. Behind one, PgBouncer 1.21 or later with
``max_prepared_statements`` set keeps protocol-level prepared statements working.)

Only this block, not the whole site: server-side binding changes how some queries type their
parameters (a parameter in a GROUP BY, in the reports), and the intake's statements are plain
lookups and INSERTs that do not care.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection
from django.db.backends.postgresql.base import ServerBindingCursor

PREPARE_THRESHOLD = 5  # psycopg's own default: prepare a statement on its fifth execution


@contextmanager
def server_binding() -> Iterator[None]:
    connection.ensure_connection()
    raw = connection.connection
    previous = raw.cursor_factory, raw.prepare_threshold
    raw.cursor_factory, raw.prepare_threshold = ServerBindingCursor, PREPARE_THRESHOLD
    try:
        yield
    finally:
        raw.cursor_factory, raw.prepare_threshold = previous
