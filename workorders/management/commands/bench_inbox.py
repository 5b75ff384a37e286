"""Benchmark the handlers' inbox with many open orders (DESIGN §10: 100 000 open orders, a constant
number of queries per page, p95 under 200 ms).

It builds a throw-away database (<name>_bench_inbox) with the demo master data and N bad ratings with
an open work order each, then, in a process using that database, renders every inbox tab (first
page and a deep page) and the managers' board through the full Django stack (test client: URL
routing, middleware, sessions, templates) for an office user who sees all N and for a department
handler, printing the query count and p50/p95 of each, and drops the database.
"""

import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path

import psycopg
from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from psycopg import sql

from bench.checks import exactly, fail_unless
from bench.inbox_data import fill

ROOT = Path(settings.BASE_DIR)
PAGES = [
    ("/orders/?tab=all", "全部 · 第 1 页"),
    ("/orders/?tab=all&page=200", "全部 · 第 200 页"),
    ("/orders/?tab=dispatch", "待派发"),
    ("/orders/?tab=handling", "整改中"),
    ("/orders/?tab=overdue", "已逾期"),
    ("/orders/?tab=due_soon", "即将到期"),
    ("/orders/?tab=all&q=BENCH-0005", "按编号搜索"),
    ("/orders/board/", "管理看板"),
]


def _url(database: Mapping[str, object], name: str) -> str:
    host, port = database.get("HOST") or "127.0.0.1", database.get("PORT") or 5432
    return f"postgres://{database.get('USER') or 'postgres'}@{host}:{port}/{name}"


class Command(BaseCommand):
    help = "Benchmark the work-order inbox with N open orders; prints queries and p50/p95 per page."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--orders", type=int, default=100_000)
        parser.add_argument("--repeat", type=int, default=30)
        parser.add_argument("--measure", action="store_true", help="internal: measure in this database")

    def handle(self, *args, **options) -> None:
        if options["measure"]:
            self.stdout.write(json.dumps(self._measure(options["repeat"])))
            return
        database = settings.DATABASES["default"]
        name = f"{database['NAME']}_bench_inbox"
        maintenance, bench_url = _url(database, "postgres"), _url(database, name)
        with psycopg.connect(maintenance, autocommit=True) as admin:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        env = {**os.environ, "DATABASE_URL": bench_url, "DEBUG": "0", "ALLOWED_HOSTS": "testserver",
               "LOG_LEVEL": "WARNING"}  # fmt: skip
        try:
            self._manage(env, "migrate", "--noinput")
            self._manage(env, "seed_demo", "--months", "0")
            started = time.perf_counter()
            fill(bench_url, options["orders"])
            self.stdout.write(
                f"{options['orders']} open orders written in {time.perf_counter() - started:.1f} s"
            )
            results = json.loads(
                self._manage(
                    env, "bench_inbox", "--measure", "--repeat", str(options["repeat"])
                ).splitlines()[-1]
            )
            self._report(results, options)
            self._check(bench_url, options["orders"])
        finally:
            with psycopg.connect(maintenance, autocommit=True) as admin:
                admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))

    def _check(self, bench_url: str, orders: int) -> None:
        """Exactly N open orders were measured, one per bad rating, none doubled."""
        with psycopg.connect(bench_url) as connection:
            row = connection.execute(
                "SELECT count(*), count(DISTINCT evaluation_id), count(*) FILTER (WHERE closed_at IS NULL) "
                "FROM workorders_workorder WHERE number LIKE 'BENCH-%'"
            ).fetchone()
            assert row is not None  # an aggregate always answers one row
        written, rated, open_orders = row
        checks = [
            exactly("work orders written", written, orders),
            exactly("distinct ratings behind them", rated, orders),
            exactly("open work orders", open_orders, orders),
        ]
        fail_unless(checks, self.stdout.write)

    def _manage(self, env: dict, *args: str) -> str:
        result = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True,
                                text=True, check=False)  # fmt: skip
        if result.returncode != 0:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")
        return result.stdout

    def _measure(self, repeat: int) -> dict:
        from evaluations.models import User

        results: dict = {}
        for username in ("office_city", "dept_amr"):
            client = Client()
            client.force_login(User.objects.get(username=username))
            for url, label in PAGES:
                if username == "dept_amr" and "board" in url:
                    continue
                timings, queries = [], 0
                for index in range(repeat + 2):
                    with CaptureQueriesContext(connection) as captured:
                        started = time.perf_counter()
                        response = client.get(url)
                        elapsed = (time.perf_counter() - started) * 1000
                    if response.status_code != 200:
                        raise RuntimeError(f"{url} answered {response.status_code}")
                    if index >= 2:  # the first two warm the caches
                        timings.append(elapsed)
                        queries = len(captured.captured_queries)
                timings.sort()
                results[f"{username} {label}"] = {
                    "queries": queries,
                    "p50": statistics.median(timings),
                    "p95": timings[min(len(timings) - 1, int(0.95 * len(timings)))],
                }
        return results

    def _report(self, results: dict, options: dict) -> None:
        self.stdout.write(f"{'page':<34} {'queries':>7} {'p50 ms':>8} {'p95 ms':>8}")
        for label, figures in results.items():
            self.stdout.write(
                f"{label:<34} {figures['queries']:>7} {figures['p50']:>8.1f} {figures['p95']:>8.1f}"
            )
