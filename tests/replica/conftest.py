"""Tests against a real PostgreSQL streaming standby (config/db_router.py): ``make test-replica``.

scripts/standby.sh starts a throw-away primary and its standby on loopback and runs pytest with
DATABASE_URL (the primary) and DATABASE_REPLICA_URL (the standby) set. A standby is read-only, so no
test database can be created on it: these tests use the throw-away primary's own database, migrate
it once as the owner, and then, like the rest of the suite (tests/db_roles.py), connect to both
servers with the app role's privileges. Their rows are committed (replication only ships committed
data) and never cleaned up: the whole cluster is deleted when the run ends.

Without DATABASE_REPLICA_URL (the normal ``make test``) every test marked ``needs_standby`` is
reported as skipped, with the reason, and none of these fixtures runs.
"""

import os
from collections.abc import Iterator

import psycopg
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connections

needs_standby = pytest.mark.skipif(
    not os.environ.get("DATABASE_REPLICA_URL"),
    reason="needs a streaming standby: make test-replica (scripts/standby.sh) sets DATABASE_REPLICA_URL",
)


def _reconnect() -> None:
    connections.close_all()
    for wrapper in connections.all():
        wrapper.close_pool()


if os.environ.get("DATABASE_REPLICA_URL"):
    # Replaces pytest-django's test database (and the suite's, tests/conftest.py) for this directory,
    # which ``make test-replica`` runs alone; without a standby the suite's own setup stays in force.
    @pytest.fixture(scope="session")
    def django_db_setup(django_db_blocker) -> None:
        """The primary's database migrated (the standby follows), then the app role on both aliases."""
        assert "replica" in settings.DATABASES, "DATABASE_REPLICA_URL is set but settings made no replica"
        with django_db_blocker.unblock():
            call_command("migrate", verbosity=0, interactive=False)  # also creates the app role
            _reconnect()
            wait_for_replay()  # the schema and the role reach the standby
            role = f"-c role={settings.DATABASE_APP_ROLE}"
            for alias in ("default", "replica"):
                connections[alias].settings_dict.setdefault("OPTIONS", {})["options"] = role
            _reconnect()


@pytest.fixture
def standby(django_db_setup, django_db_blocker) -> Iterator[None]:
    """Database access for one test, outside any test transaction: what it writes is committed."""
    with django_db_blocker.unblock():
        yield


def _owner_url(alias: str) -> str:
    data = settings.DATABASES[alias]
    return f"postgres://postgres@{data['HOST']}:{data['PORT']}/{data['NAME']}"


def wait_for_replay() -> None:
    """Until the standby has replayed everything the primary has written so far (a bounded wait)."""
    with psycopg.connect(_owner_url("default"), autocommit=True) as primary:
        row = primary.execute("SELECT pg_current_wal_insert_lsn()").fetchone()
        assert row is not None
        target = row[0]
    with psycopg.connect(_owner_url("replica"), autocommit=True) as standby:
        for _ in range(600):
            done = standby.execute(
                "SELECT pg_wal_lsn_diff(pg_last_wal_replay_lsn(), %s) >= 0", [target]
            ).fetchone()
            if done and done[0]:
                return
            standby.execute("SELECT pg_sleep(0.05)")
    raise AssertionError("the standby did not replay the primary's WAL within 30 s")


def pause_replay(paused: bool) -> None:
    """Stop or restart applying WAL on the standby (the owner's right): the standby keeps what it had."""
    with psycopg.connect(_owner_url("replica"), autocommit=True) as standby:
        standby.execute("SELECT pg_wal_replay_pause()" if paused else "SELECT pg_wal_replay_resume()")
        if paused:
            for _ in range(600):
                state = standby.execute("SELECT pg_get_wal_replay_pause_state()").fetchone()
                if state and state[0] == "paused":
                    return
                standby.execute("SELECT pg_sleep(0.05)")
            raise AssertionError("the standby did not pause replay")
