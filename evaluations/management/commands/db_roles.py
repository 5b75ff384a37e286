"""Grant the app role its privileges now (migrate does it too) and show what it may do, table by table."""

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from config.database_roles import app_role, grant_app_role

PRIVILEGES = """
SELECT c.relname,
       concat_ws(' ',
           CASE WHEN has_table_privilege(%(role)s, c.oid, 'SELECT') THEN 'SELECT' END,
           CASE WHEN has_table_privilege(%(role)s, c.oid, 'INSERT') THEN 'INSERT' END,
           CASE WHEN has_table_privilege(%(role)s, c.oid, 'UPDATE') THEN 'UPDATE'
                WHEN has_any_column_privilege(%(role)s, c.oid, 'UPDATE') THEN 'UPDATE(columns)' END,
           CASE WHEN has_table_privilege(%(role)s, c.oid, 'DELETE') THEN 'DELETE' END,
           CASE WHEN has_table_privilege(%(role)s, c.oid, 'TRUNCATE') THEN 'TRUNCATE' END)
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')
ORDER BY c.relname
"""


class Command(BaseCommand):
    help = "Create the app database role if missing, grant its privileges, and list them (README, 安全)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)
        parser.add_argument("--show", action="store_true", help="only list the privileges, grant nothing")

    def handle(self, *args, database: str, show: bool, **options) -> None:
        role = app_role()
        if not role:
            raise CommandError("DATABASE_APP_ROLE is empty: the app connects as the owner.")
        connection = connections[database]
        if not show and not grant_app_role(connection):
            raise CommandError(f"connected as {role} itself: run this as the owner (DATABASE_URL).")
        with connection.cursor() as cursor:
            cursor.execute(PRIVILEGES, {"role": role})
            rows = cursor.fetchall()
        width = max((len(name) for name, _ in rows), default=10)
        for name, privileges in rows:
            self.stdout.write(f"{name:<{width}}  {privileges or '-'}")
