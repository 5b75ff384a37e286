"""Benchmark the department ranking of a province-month (DESIGN §10: 15 M ratings, ~2 000 departments,
at most 1/20 of the time of a naive GROUP BY over the raw ratings, measured in the same run).

It works in a database of its own (<name>_bench_rankings; never the dev database), created and
migrated if missing. The first run writes the province-month (bench/rankings_data.py) and builds
the rollups with ``rollup_rebuild``; later runs with the same ``--ratings`` reuse both, so a rerun
takes a minute. ``--regenerate`` starts from an empty database, ``--rebuild-rollups`` rebuilds the
rollups only. Then, after VACUUM ANALYZE and one warm-up each, it times ``--repeat`` runs of:
the whole ``build_ranking("department", 2026-10, all, national scale)`` (which also reads the two
previous months for the previous rank and the "consecutively low" flag); the current month's
``totals_by_unit`` alone; and the naive query — the rollup measures computed per department straight
from the month's ratings joined to their work orders — and checks both give the same counts.
"""

import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import psycopg
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from psycopg import sql

ROOT = Path(settings.BASE_DIR)
PERIOD = "2026-10"
TARGET_RATIO = 20


def _url(database: Mapping[str, object], name: str) -> str:
    host, port = database.get("HOST") or "127.0.0.1", database.get("PORT") or 5432
    return f"postgres://{database.get('USER') or 'postgres'}@{host}:{port}/{name}"


def _stats(timings: list[float]) -> tuple[float, float]:
    return statistics.median(timings), min(timings)


class Command(BaseCommand):
    help = "Benchmark the department ranking of a province-month against a naive GROUP BY over the ratings."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--ratings", type=int, default=15_000_000)
        parser.add_argument("--repeat", type=int, default=5)
        parser.add_argument("--regenerate", action="store_true", help="drop the data and write it again")
        parser.add_argument(
            "--rebuild-rollups", action="store_true", help="rebuild the rollups even if present"
        )
        parser.add_argument("--explain", action="store_true", help="print EXPLAIN ANALYZE of both queries")
        parser.add_argument("--database", default="", help="name of the benchmark database")
        parser.add_argument("--inside", action="store_true", help="internal: run in the benchmark database")

    def handle(self, *args, **options) -> None:
        if options["inside"]:
            self._inside(options)
            return
        database = settings.DATABASES["default"]
        name = options["database"] or f"{database['NAME']}_bench_rankings"
        if name == database["NAME"]:
            raise CommandError("the benchmark needs a database of its own")
        maintenance, bench_url = _url(database, "postgres"), _url(database, name)
        with psycopg.connect(maintenance, autocommit=True) as admin:
            exists = (
                admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None
            )
        ratings = self._stored_ratings(bench_url) if exists else None
        if exists and (options["regenerate"] or ratings != options["ratings"]):
            self.stdout.write(f"dropping {name} (holds {ratings} ratings, {options['ratings']} wanted)")
            with psycopg.connect(maintenance, autocommit=True) as admin:
                admin.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
            exists = False
        if not exists:
            with psycopg.connect(maintenance, autocommit=True) as admin:
                admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        env = {**os.environ, "DATABASE_URL": bench_url, "DEBUG": "0", "LOG_LEVEL": "WARNING"}
        migrate = subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if migrate.returncode != 0:
            raise CommandError(f"migrate failed:\n{migrate.stderr[-3000:]}")
        self.stdout.write(f"database {name}: {'reused' if ratings == options['ratings'] else 'new'}")
        self.stdout.flush()
        command = [
            sys.executable,
            "manage.py",
            "bench_rankings",
            "--inside",
            "--ratings",
            str(options["ratings"]),
            "--repeat",
            str(options["repeat"]),
        ]
        command += ["--rebuild-rollups"] if options["rebuild_rollups"] else []
        command += ["--explain"] if options["explain"] else []
        if subprocess.run(command, cwd=ROOT, env=env, check=False).returncode != 0:
            raise CommandError("the benchmark failed (see above)")
        self.stdout.write(f"kept database {name} for the next run (--regenerate to write it again)")

    def _stored_ratings(self, url: str) -> int | None:
        from bench.rankings_data import META_TABLE

        with psycopg.connect(url, autocommit=True) as conn:
            regclass = conn.execute("SELECT to_regclass(%s)", [META_TABLE]).fetchone()
            assert regclass is not None  # a SELECT without FROM returns its one row
            if not regclass[0]:
                return None
            row = conn.execute(f"SELECT value FROM {META_TABLE} WHERE key = 'ratings'").fetchone()
            return int(row[0]) if row else None

    # --- inside the benchmark database ---------------------------------------------------------

    def _say(self, text: str) -> None:
        self.stdout.write(text)
        self.stdout.flush()

    def _inside(self, options: dict) -> None:
        from django.db import connection

        from bench import rankings_data as data
        from reporting.periods import Period
        from reporting.rankings import Scope, scale_for

        period, scope = Period.parse(PERIOD), Scope()
        scale = scale_for(scope)
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE TABLE IF NOT EXISTS {data.META_TABLE} (key text PRIMARY KEY, value text)")
            meta = self._meta(cursor, data.META_TABLE)
            if meta.get("ratings") != str(options["ratings"]):
                self._generate(cursor, options["ratings"], data)
                meta = self._meta(cursor, data.META_TABLE)
            else:
                self._say(
                    f"reusing {int(meta['ratings']):,} ratings and {meta['orders']} work orders "
                    f"(written in {float(meta['generation_seconds']):.0f} s earlier)"
                )
            if options["rebuild_rollups"] or "rollup_seconds" not in meta:
                self._rollups(cursor, period, scale, data)
                meta = self._meta(cursor, data.META_TABLE)
            else:
                self._say(
                    f"reusing the rollups (built in {float(meta['rollup_seconds']):.1f} s by an earlier run)"
                )
            self._months(cursor, period, scale)
            self._say("VACUUM ANALYZE …")
            started = time.perf_counter()
            for table in (
                "evaluations_evaluation",
                "workorders_workorder",
                "reporting_dailyrollup",
                "reporting_departmentdaily",
                "reporting_departmentmonthly",
            ):
                cursor.execute(f"VACUUM ANALYZE {table}")
            self._say(f"VACUUM ANALYZE took {time.perf_counter() - started:.1f} s")
            self._measure(cursor, period, scope, scale, options, meta, data)

    def _months(self, cursor, period, scale) -> None:
        """DepartmentMonthly (what department rankings read), summed again from DepartmentDaily."""
        from reporting.rollups.build import rollup_rebuild_months

        earliest = period
        for _ in range(max(scale.low_rank_periods, 2) - 1):
            earliest = earliest.previous()
        started = time.perf_counter()
        rollup_rebuild_months(earliest.first, period.last)
        self._say(f"department-month rollups summed in {time.perf_counter() - started:.1f} s")

    def _meta(self, cursor, table: str) -> dict[str, str]:
        cursor.execute(f"SELECT key, value FROM {table}")
        return dict(cursor.fetchall())

    def _set_meta(self, cursor, table: str, **values) -> None:
        for key, value in values.items():
            cursor.execute(
                f"INSERT INTO {table} (key, value) VALUES (%s, %s) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [key, str(value)],
            )

    def _generate(self, cursor, total: int, data) -> None:
        cursor.execute("SELECT count(*) FROM evaluations_department")
        if cursor.fetchone()[0]:
            raise CommandError("the benchmark database holds other data; run with --regenerate")
        self._say(f"writing master data and {total:,} ratings of {PERIOD} …")
        started = time.perf_counter()
        departments = data.master_data(cursor)
        self._say(f"master data: {departments} departments ({time.perf_counter() - started:.1f} s)")

        def progress(line: str) -> None:
            self._say(f"  {line}  [{time.perf_counter() - started:7.1f} s]")

        orders = data.ratings(cursor, total, departments, progress)
        cursor.execute("ANALYZE")
        seconds = time.perf_counter() - started
        self._say(
            f"generated {total:,} ratings and {orders:,} work orders in {seconds:.1f} s "
            f"({total / seconds:,.0f} ratings/s)"
        )
        self._set_meta(
            cursor,
            data.META_TABLE,
            ratings=total,
            orders=orders,
            departments=departments,
            generation_seconds=f"{seconds:.1f}",
        )

    def _rollups(self, cursor, period, scale, data) -> None:
        from reporting.rollups.build import rollup_rebuild

        self._say(f"rollup_rebuild {period.first} … {period.last}")
        started = time.perf_counter()

        def progress(day) -> None:
            if day.day % 5 == 0 or day == period.last:
                self._say(f"  {day} built  [{time.perf_counter() - started:6.1f} s]")

        rollup_rebuild(first=period.first, last=period.last, progress=progress)
        seconds = time.perf_counter() - started
        self._say(f"rollups built in {seconds:.1f} s")
        months = max(scale.low_rank_periods, 2) - 1
        written = data.previous_months(cursor, months)
        self._say(f"derived {written:,} department-day rows for the {months} previous month(s)")
        self._set_meta(cursor, data.META_TABLE, rollup_seconds=f"{seconds:.1f}")

    def _naive_sql(self) -> str:
        from reporting.rollups.sql import MEASURE_SQL

        columns = ", ".join(f"{expression} AS {name}" for name, expression in MEASURE_SQL.items())
        return f"""
        SELECT e.department_id, {columns}
        FROM evaluations_evaluation e
        LEFT JOIN workorders_workorder o ON o.evaluation_id = e.id
        WHERE e.rated_at >= %(start)s AND e.rated_at < %(end)s
        GROUP BY e.department_id
        """

    def _measure(self, cursor, period, scope, scale, options, meta, data) -> None:
        from django.db import connection

        from reporting.rankings import build_ranking
        from reporting.rankings.units import totals_by_unit
        from reporting.rollups.sql import MEASURES
        from reporting.scoring import Totals

        start, end = data.month_bounds()
        from evaluations.flags import held_ids

        # The rollup measures leave burst-flagged ratings still on hold out (none in generated data).
        held = held_ids(start=start, end=end)
        params = {"tz": settings.TIME_ZONE, "start": start, "end": end, "held": held}
        naive_sql = self._naive_sql()

        def naive() -> dict:
            cursor.execute(naive_sql, params)
            return {row[0]: Totals(**dict(zip(MEASURES, row[1:], strict=True))) for row in cursor.fetchall()}

        def naive_without_jit() -> dict:
            # PostgreSQL's JIT compiles the naive query (about a second of it here); without it the
            # naive scan is faster, so the ratio is printed against both.
            cursor.execute("SET jit = off")
            try:
                return naive()
            finally:
                cursor.execute("RESET jit")

        def ranking():
            return build_ranking("department", period, scope, scale)

        def current():
            return totals_by_unit("department", period, scope)

        cases = {
            "build_ranking": ranking,
            "totals_by_unit": current,
            "naive GROUP BY": naive,
            "naive, jit off": naive_without_jit,
        }
        results: dict[str, Any] = {}  # a Ranking, or totals per department
        timings: dict[str, list[float]] = {label: [] for label in cases}
        for label, function in cases.items():
            results[label] = function()  # warm-up
        for _ in range(options["repeat"]):
            for label, function in cases.items():
                started = time.perf_counter()
                function()
                timings[label].append(time.perf_counter() - started)

        agree = results["totals_by_unit"] == results["naive GROUP BY"] == results["naive, jit off"]
        ranked = results["build_ranking"]
        cursor.execute(
            "SELECT current_setting('max_parallel_workers_per_gather'), "
            "current_setting('work_mem'), current_setting('shared_buffers'), version()"
        )
        workers, work_mem, shared_buffers, version = cursor.fetchone()
        self._say("")
        self._say(
            f"{version.split(' on ')[0]}; max_parallel_workers_per_gather={workers}, "
            f"work_mem={work_mem}, shared_buffers={shared_buffers}"
        )
        self._say(
            f"{int(meta['ratings']):,} ratings, {meta['departments']} departments, "
            f"{meta['orders']} work orders; generation {float(meta['generation_seconds']):.1f} s, "
            f"rollup build {float(meta['rollup_seconds']):.1f} s"
        )
        self._say(
            f"ranking: {len(ranked.rows)} ranked, {len(ranked.unranked)} unranked, "
            f"{sum(1 for row in ranked.rows if row.low)} consecutively low, "
            f"{sum(1 for row in ranked.rows if row.previous_rank is not None)} with a previous rank"
        )
        self._say(f"rollup counts equal the naive counts for every department: {'yes' if agree else 'NO'}")
        self._say(f"{'query':<16} {'median':>10} {'min':>10}   ({options['repeat']} runs after 1 warm-up)")
        for label, values in timings.items():
            median, low = _stats(values)
            self._say(f"{label:<16} {median * 1000:>8.1f} ms {low * 1000:>8.1f} ms")
        for baseline in ("naive GROUP BY", "naive, jit off"):
            naive_median = _stats(timings[baseline])[0]
            for label in ("build_ranking", "totals_by_unit"):
                ratio = naive_median / _stats(timings[label])[0]
                verdict = "PASS" if ratio >= TARGET_RATIO else "MISS"
                self._say(f"{label}: 1/{ratio:.1f} of {baseline} (target ≤ 1/{TARGET_RATIO}) {verdict}")

        self._say("")
        self._say(f"{'table':<28} {'rows':>12} {'heap':>10} {'indexes':>10} {'total':>10}")
        for table in (
            "evaluations_evaluation",
            "workorders_workorder",
            "reporting_dailyrollup",
            "reporting_departmentdaily",
            "reporting_departmentmonthly",
        ):
            cursor.execute(
                "SELECT count(*), pg_size_pretty(pg_relation_size(%(t)s)),"
                " pg_size_pretty(pg_indexes_size(%(t)s)),"
                f" pg_size_pretty(pg_total_relation_size(%(t)s)) FROM {table}",
                {"t": table},
            )
            rows, heap, indexes, total = cursor.fetchone()
            self._say(f"{table:<28} {rows:>12,} {heap:>10} {indexes:>10} {total:>10}")
        for table, column in (
            ("reporting_dailyrollup", "day"),
            ("reporting_departmentdaily", "day"),
            ("reporting_departmentmonthly", "month"),
        ):
            cursor.execute(
                f"SELECT count(*) FROM {table} WHERE {column} >= %s AND {column} <= %s",
                [period.first, period.last],
            )
            self._say(f"{table} rows for {PERIOD}: {cursor.fetchone()[0]:,}")
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database())), current_database()")
        size, name = cursor.fetchone()
        self._say(f"database {name}: {size}")

        if options["explain"]:
            queryset_sql, queryset_params = self._ranking_sql(period, scope)
            for label, statement, statement_params in (
                ("totals_by_unit", queryset_sql, queryset_params),
                ("naive GROUP BY", naive_sql, params),
            ):
                cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {statement}", statement_params)
                self._say(f"\nEXPLAIN ANALYZE {label}:")
                for (line,) in cursor.fetchall():
                    self._say(f"  {line}")
        self._say(
            json.dumps({label: [round(t * 1000, 1) for t in values] for label, values in timings.items()})
        )
        connection.close()
        if not agree:  # the benchmark checks its own result (issue 19): a wrong ranking is no figure
            raise CommandError("check FAIL: the rollup counts differ from the naive counts")
        self._say("check PASS: the rollup counts equal the naive counts for every department")

    def _ranking_sql(self, period, scope):
        from django.db.models import Sum

        from reporting.models import DepartmentMonthly, Measures

        months = DepartmentMonthly.objects.filter(month__gte=period.first, month__lte=period.last)
        rows = scope.filter(months)
        rows = rows.values("department_id").annotate(**{m: Sum(m) for m in Measures.MEASURES}).order_by()
        return rows.query.sql_with_params()
