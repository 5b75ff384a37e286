#!/usr/bin/env bash
# Fails early, in plain words, when PostgreSQL or Redis is not reachable.
set -euo pipefail
.venv/bin/python - <<'PY'
import os, sys
import psycopg, redis
db = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/haochaping")
rd = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
problems = []
try:
    # The server must answer; the database itself may not exist yet (tests create their own).
    psycopg.connect(db.rsplit("/", 1)[0] + "/postgres", connect_timeout=3).close()
except Exception as exc:
    problems.append(f"PostgreSQL at {db}: {exc}")
try:
    redis.Redis.from_url(rd, socket_connect_timeout=3).ping()
except Exception as exc:
    problems.append(f"Redis at {rd}: {exc}")
if problems:
    print("Services not reachable (start them, or set DATABASE_URL / REDIS_URL):", *problems, sep="\n  ")
    sys.exit(1)
PY
