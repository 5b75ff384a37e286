"""Create the database named in DATABASE_URL when it does not exist yet."""

import os
import sys
from urllib.parse import urlsplit

import psycopg
from psycopg import sql

url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/haochaping")
name = urlsplit(url).path.lstrip("/")
maintenance = url.rsplit("/", 1)[0] + "/postgres"
try:
    with psycopg.connect(maintenance, autocommit=True, connect_timeout=5) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"created database {name}")
except psycopg.OperationalError as exc:
    sys.exit(f"PostgreSQL is not reachable at {maintenance}: {exc}")
