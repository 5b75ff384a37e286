"""The frame of ``bench_intake``: one throw-away database, one gunicorn, one mode, pgbench, checks.

A mode (``MODES`` in the command) is ``run(context) -> Measured``: it loads the server it is given,
counts what was stored and says which rates it measured and what it checked. This frame then
measures pgbench's raw INSERT rate of the same row shape in the same database, prints the mode's
figures, every rate against pgbench, the worker RSS and the checks, fails on a failed check, and
drops the database.

The server runs with ``bench.floor_settings``: the product's settings and URLs plus the floor
endpoint (bench/floor_urls.py), which the normal app does not have.
"""

import json
import os
import secrets
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import psycopg
from django.conf import settings

from . import server
from .baseline import pgbench_inserts_per_second
from .checks import Check, fail_unless


@dataclass
class Context:
    options: dict[str, Any]  # the command's options
    database_url: str
    port: int
    setup: dict[str, Any]  # bench/prepare.py's answer: key, serials (ratings + warmup), floor_row
    server: subprocess.Popen
    env: dict[str, str]  # the server's environment, for a mode that runs manage.py in the database

    def scalar(self, query: str) -> Any:
        with psycopg.connect(self.database_url) as connection:
            row = connection.execute(query).fetchone()
        assert row is not None  # the checks' queries are aggregates: always one row
        return row[0]


@dataclass
class Measured:
    lines: list[str]  # the mode's own figures, printed as they are
    rates: dict[str, float]  # name -> requests (or ratings) per second; each is also put against pgbench
    checks: list[Check] = field(default_factory=list)


Mode = Callable[[Context], Measured]


def run(options: dict[str, Any], mode: Mode, write: Callable[[str], None]) -> None:
    database = settings.DATABASES["default"]
    name = f"{database['NAME']}_bench"
    maintenance = server.database_url(database, "postgres")
    bench_url = server.database_url(database, name)
    server.recreate(maintenance, name)
    env = {**os.environ, "DATABASE_URL": bench_url, "DEBUG": "0", "SECRET_KEY": secrets.token_urlsafe(50),
           "ALLOWED_HOSTS": "127.0.0.1", "DB_POOL_MAX": "4", "LOG_LEVEL": "WARNING",
           "CACHE_KEY_PREFIX": f"hcp-bench-{secrets.token_hex(4)}",
           # A bulk call of 500 can pass gunicorn's default 30 s on a saturated machine; a killed worker
           # writes nothing and the client resends, but the run measures more cleanly without kills.
           "GUNICORN_CMD_ARGS": "--timeout 300"}  # fmt: skip
    gunicorn = None
    try:
        server.manage(env, "migrate", "--noinput")
        server.manage(env, "seed_demo", "--months", "0")
        setup = json.loads(
            server.manage(
                env, "bench_intake", "--prepare", str(options["ratings"] + options["warmup"])
            ).splitlines()[-1]
        )
        floor_env = {**env, "DJANGO_SETTINGS_MODULE": "bench.floor_settings",
                     "BENCH_FLOOR_DEPARTMENT": str(setup["floor_row"]["department_id"]),
                     "BENCH_FLOOR_REGION": str(setup["floor_row"]["region_id"])}  # fmt: skip
        gunicorn = server.serve(floor_env, options["workers"], options["port"])
        measured = mode(Context(options, bench_url, options["port"], setup, gunicorn, env))
        rss = server.worker_rss_mb(gunicorn)
        server.stop(gunicorn)
        gunicorn = None
        baseline = pgbench_inserts_per_second(bench_url)
    finally:
        server.stop(gunicorn)
        if not options["keep"]:
            server.drop(maintenance, name)
    lines = [*measured.lines, f"pgbench INSERT/s    {baseline:.0f} (4 clients, same row shape)"]
    lines += [f"{label + ' : pgbench':<19} 1:{baseline / rate:.1f}" for label, rate in measured.rates.items()]
    lines.append(f"worker RSS max      {rss:.0f} MB")
    write("\n".join(lines))
    fail_unless(measured.checks, write)
