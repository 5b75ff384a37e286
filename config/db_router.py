"""Reporting reads on a read replica (docs/scaling.md): the database router and the switch that turns it on.

When ``DATABASE_REPLICA_URL`` is set, settings add the alias ``replica`` (a PostgreSQL streaming
standby of ``default``) and this router. It sends a read to the replica only inside
``replica_reads()`` (or a view wrapped in ``reads_from_replica``), which the read-only reporting views
enter around everything they read: the rankings page and API, the dashboard and the public pages. Every
other read, and every write, goes to ``default``, so

- nothing that reads in order to write (intake, work orders, the rollup refresh, the upstream push,
  circulars and exports, which freeze what they read) ever reads a replica that may lag behind;
- the session, the user and the permission checks before the view are read from ``default`` too;
- without ``DATABASE_REPLICA_URL`` there is no ``replica`` alias and the router sends nothing anywhere.

Routing by model alone would not do: the rollup tables are read by the rankings and also deleted and
rebuilt by the refresh, and a queryset's ``_raw_delete(queryset.db)`` takes the read alias.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps
from typing import Any, ParamSpec, TypeVar

from django.conf import settings
from django.db import connections, router

REPLICA = "replica"
_reporting: ContextVar[bool] = ContextVar("reporting_reads", default=False)

P = ParamSpec("P")
R = TypeVar("R")


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


@contextmanager
def replica_reads() -> Iterator[None]:
    """Reads inside go to the replica when one is configured (writes still go to default)."""
    token = _reporting.set(True)
    try:
        yield
    finally:
        _reporting.reset(token)


def reads_from_replica(view: Callable[P, R]) -> Callable[P, R]:
    """For a view that only reads: what it reads (and its template renders) comes from the replica."""

    @wraps(view)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with replica_reads():
            return view(*args, **kwargs)

    return wrapper


def read_alias(model: type) -> str:
    """The alias a raw SQL read of ``model``'s table should use (what the router would pick)."""
    return router.db_for_read(model)


def read_cursor(model: type):
    """A cursor on the connection a read of ``model`` goes to (for raw reporting SQL)."""
    return connections[read_alias(model)].cursor()


class ReplicaRouter:
    """Reporting reads to ``replica`` inside ``replica_reads()``; everything else to ``default``."""

    def db_for_read(self, model: type, **hints: Any) -> str | None:
        if _reporting.get() and replica_configured():
            return REPLICA
        return None

    def db_for_write(self, model: type, **hints: Any) -> str:
        return "default"

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # one database, two servers: rows read from either may be related

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints: Any) -> bool:
        return db != REPLICA  # a standby is read-only; it receives the schema through replication
