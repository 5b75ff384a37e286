"""Two database roles (README, 安全; DESIGN §9; Qingdao art. 16: records "自动生成、不可更改").

The owner (DATABASE_URL) runs the migrations and owns every table. The web server, the Celery worker
and beat connect as the app role (DATABASE_CONNECT_AS=app), which owns nothing: it cannot TRUNCATE,
ALTER or DROP a table, nor disable or drop a trigger, and on the append-only tables below it may not
DELETE. After every ``migrate`` (post_migrate, evaluations/apps.py) the owner creates the role when it
is missing and grants it afresh, so new tables are covered; ``manage.py db_roles`` does the same by hand
and shows the result.
"""

import logging

from django.apps import apps
from django.conf import settings
from django.db import DatabaseError, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from psycopg import errors, sql

logger = logging.getLogger(__name__)

# What the app may do on every other table of the schema.
ORDINARY = ("SELECT", "INSERT", "UPDATE", "DELETE")

# Rows that are written once and never deleted: ratings and the decisions beside them, the outboxes
# (the record of what was sent) and the logs. Models by label; the privileges the app keeps on each.
APPEND_ONLY: dict[str, tuple[str, ...]] = {
    "evaluations.Evaluation": ("SELECT", "INSERT"),  # + UPDATE of EVALUATION_UPDATABLE_COLUMNS only
    "evaluations.FlagReview": ("SELECT", "INSERT"),
    "evaluations.Ruling": ("SELECT", "INSERT"),  # rulings are rows of their own (migration 0017)
    "evaluations.ChainLink": ("SELECT", "INSERT"),  # the hash chain (evaluations/chain)
    "evaluations.DailyDigest": ("SELECT", "INSERT"),
    "evaluations.ClientKey": ("SELECT", "INSERT"),  # idempotency keys per sender
    "workorders.WorkOrderEvent": ("SELECT", "INSERT"),
    "reporting.RevisitReveal": ("SELECT", "INSERT"),
    "admin.LogEntry": ("SELECT", "INSERT"),  # the audit trail (evaluations/audit.py)
    "questionnaires.Submission": ("SELECT", "INSERT"),  # a citizen's answers are never edited or dropped
    "questionnaires.Answer": ("SELECT", "INSERT"),
    "evaluations.SmsMessage": ("SELECT", "INSERT", "UPDATE"),  # the sender updates the status
    "reporting.UpstreamMessage": ("SELECT", "INSERT", "UPDATE"),  # likewise
}
# The columns of a rating the ruling trigger updates (it runs with the inserting role's rights): the
# cached outcome of the latest Ruling. A direct UPDATE by the app is refused by the guard trigger of
# migration 0017, which lets only that trigger (pg_trigger_depth() > 1) change them.
EVALUATION_UPDATABLE_COLUMNS: tuple[str, ...] = ("validity", "validity_reason", "validity_changed_at")
# Tables the app reads but never writes.
READ_ONLY_TABLES = ("django_migrations",)


def app_role() -> str:
    return settings.DATABASE_APP_ROLE


def _ident(name: str) -> sql.Identifier:
    return sql.Identifier(name)


def _privileges(names: tuple[str, ...]) -> sql.Composable:
    return sql.SQL(", ").join(sql.SQL(name) for name in names)


def _run(cursor, statement: sql.Composable) -> None:
    """Execute a composed statement as plain text (Django's debug cursor logs strings)."""
    cursor.execute(statement.as_string(cursor.db.connection))


def _ensure_role(cursor, role: str, password: str) -> None:
    """Create the role when missing; keep it a plain login role (no superuser, no CREATEDB...)."""
    attributes = sql.SQL("LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS")
    cursor.execute(
        "SELECT rolcanlogin AND NOT (rolsuper OR rolcreatedb OR rolcreaterole OR rolreplication "
        "OR rolbypassrls) FROM pg_roles WHERE rolname = %s",
        [role],
    )
    row = cursor.fetchone()
    if row is None:
        create = sql.SQL("CREATE ROLE {} {}").format(_ident(role), attributes)
        try:
            with transaction.atomic(using=cursor.db.alias):  # another process may create it at once
                _run(cursor, create)
        except DatabaseError as exc:
            if not isinstance(exc.__cause__, errors.DuplicateObject | errors.UniqueViolation):
                raise
        else:
            logger.info("created database role %s", role)
    elif not row[0]:
        _run(cursor, sql.SQL("ALTER ROLE {} {}").format(_ident(role), attributes))
    if password:
        _run(cursor, sql.SQL("ALTER ROLE {} PASSWORD {}").format(_ident(role), sql.Literal(password)))


def _table(label: str) -> str | None:
    try:
        return apps.get_model(label)._meta.db_table
    except LookupError:  # an app that is not installed
        return None


def grant_app_role(connection: BaseDatabaseWrapper) -> bool:
    """Create the app role if missing and set its privileges in this database; False when skipped."""
    role, password = app_role(), settings.DATABASE_APP_PASSWORD
    if not role or connection.vendor != "postgresql":
        return False
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute("SELECT current_user, current_schema(), current_database()")
        user, schema_name, database = cursor.fetchone()
        if user == role:  # a flush's post_migrate in a process that already runs as the app role
            return False
        _ensure_role(cursor, role, password)
        who, schema = _ident(role), _ident(schema_name)
        statements = [
            sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(_ident(database), who),
            sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(schema, who),
            sql.SQL("REVOKE CREATE ON SCHEMA {} FROM {}").format(schema, who),
            # From scratch every time, so a table moved to a stricter list loses what it had.
            sql.SQL("REVOKE ALL ON ALL TABLES IN SCHEMA {} FROM {}").format(schema, who),
            sql.SQL("GRANT {} ON ALL TABLES IN SCHEMA {} TO {}").format(_privileges(ORDINARY), schema, who),
            sql.SQL("REVOKE ALL ON ALL SEQUENCES IN SCHEMA {} FROM {}").format(schema, who),
            sql.SQL("GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA {} TO {}").format(schema, who),
        ]
        for label, privileges in APPEND_ONLY.items():
            if table := _table(label):
                statements.append(sql.SQL("REVOKE ALL ON {} FROM {}").format(_ident(table), who))
                statements.append(
                    sql.SQL("GRANT {} ON {} TO {}").format(_privileges(privileges), _ident(table), who)
                )
        for table in READ_ONLY_TABLES:
            statements.append(sql.SQL("REVOKE ALL ON {} FROM {}").format(_ident(table), who))
            statements.append(sql.SQL("GRANT SELECT ON {} TO {}").format(_ident(table), who))
        if EVALUATION_UPDATABLE_COLUMNS and (table := _table("evaluations.Evaluation")):
            columns = sql.SQL(", ").join(_ident(column) for column in EVALUATION_UPDATABLE_COLUMNS)
            statements.append(sql.SQL("GRANT UPDATE ({}) ON {} TO {}").format(columns, _ident(table), who))
        for statement in statements:
            _run(cursor, statement)
    return True


def grant_after_migrate(sender, using: str = "default", **kwargs) -> None:
    """post_migrate receiver (connected once, for the evaluations app: every table exists by then)."""
    grant_app_role(connections[using])
