"""The suite runs with the app role's privileges (README, 安全; config/database_roles.py).

pytest-django creates and migrates the test database as the owner (DATABASE_URL), whose post_migrate
grants the app role. From then on every connection (the tests', the live server's) starts with the
app role as its current role (``options=-c role=…``, i.e. ``SET ROLE`` at connection start; Django's
``assume_role`` option would do the same but hangs with the connection pool in Django 5.2), so what the
app role may not do fails in the tests as in production. Two things are done as the owner on purpose:
the flush of transactional tests (TRUNCATE, which the app role may never do) and, through
``as_owner()``, the few statements a test uses to prove that the triggers refuse a change even to the
owner.

``SET ROLE`` rather than logging in as the app role: a test's data lives in its open transaction, and
only the same session can show what the owner may do with it. tests/test_database_roles.py logs in as
the app role for real (psycopg, and a web server started with DATABASE_CONNECT_AS=app).
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import connection, connections, transaction
from django.db.backends.postgresql.operations import DatabaseOperations
from psycopg import sql

_original_flush = DatabaseOperations.execute_sql_flush


def set_role_sql() -> str:
    return connection.ops.compose_sql("SET ROLE %s", [settings.DATABASE_APP_ROLE])


def _flush_as_owner(self: DatabaseOperations, sql_list: list[str]) -> None:
    # One transaction: if a statement fails, the SET ROLE NONE (back to the owner) is rolled back with it.
    role = self.compose_sql("SET ROLE %s", [settings.DATABASE_APP_ROLE])
    _original_flush(self, ["SET ROLE NONE", *sql_list, role])


def _reconnect() -> None:
    connections.close_all()
    for wrapper in connections.all():
        wrapper.close_pool()


def assume_app_role() -> None:
    """From now on, every new connection to the test database takes the app role's privileges."""
    role = settings.DATABASE_APP_ROLE
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        if not cursor.fetchone()[0]:  # an owner that is not a superuser must be a member to SET ROLE
            grant = sql.SQL("GRANT {} TO CURRENT_USER").format(sql.Identifier(role))
            cursor.execute(grant.as_string(connection.connection))
    connection.settings_dict.setdefault("OPTIONS", {})["options"] = f"-c role={role}"
    DatabaseOperations.execute_sql_flush = _flush_as_owner  # type: ignore[method-assign]
    _reconnect()


def back_to_owner() -> None:
    """Before the test database is dropped: the owner again."""
    connection.settings_dict["OPTIONS"].pop("options", None)
    DatabaseOperations.execute_sql_flush = _original_flush  # type: ignore[method-assign]
    _reconnect()


@contextmanager
def as_owner() -> Iterator[None]:
    """The owner's privileges for the statements inside, in a savepoint of the current transaction.

    Only to prove that a trigger refuses a change even to the owner, or for a fixture that the app never
    does itself; an error inside rolls the savepoint back, and the SET ROLE NONE with it.
    """
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET ROLE NONE")
        yield
        cursor.execute(set_role_sql())
