"""Benchmark ``rollup_rebuild`` of one province-day at 500 000 ratings (issue 19 point 3).

Works in the rankings benchmark's database (``<name>_bench_rankings``, written by ``bench_rankings``;
never the dev database): writes the day once (bench/rollup_day.py; kept for later runs), then rebuilds
its rollups ``--repeat`` times (each rebuild deletes the day's rollup rows and inserts them again, in
one transaction, as the nightly rebuild and ``rollup rebuild`` do) and checks that the day's
department rollups equal a naive GROUP BY over the day's ratings for every department.
"""

import os
import statistics
import subprocess
import sys
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from reporting.management.commands.bench_rankings import ROOT, _url
from reporting.management.commands.bench_rankings import Command as RankingsBench


class Command(BaseCommand):
    help = "Time the rollup rebuild of one province-day of N ratings (default 500 000)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--ratings", type=int, default=500_000)
        parser.add_argument("--repeat", type=int, default=3)
        parser.add_argument("--inside", action="store_true", help="internal: run in the benchmark database")

    def handle(self, *args, **options) -> None:
        if options["inside"]:
            self._inside(options["ratings"], options["repeat"])
            return
        database = settings.DATABASES["default"]
        url = _url(database, f"{database['NAME']}_bench_rankings")
        env = {**os.environ, "DATABASE_URL": url, "DEBUG": "0", "LOG_LEVEL": "WARNING"}
        command = [sys.executable, "manage.py", "bench_rollup_day", "--inside",
                   "--ratings", str(options["ratings"]), "--repeat", str(options["repeat"])]  # fmt: skip
        if subprocess.run(command, cwd=ROOT, env=env, check=False).returncode != 0:
            raise CommandError("the benchmark failed (see above)")

    def _say(self, text: str) -> None:
        self.stdout.write(text)
        self.stdout.flush()

    def _inside(self, total: int, repeat: int) -> None:
        from django.db import connection

        from bench import rollup_day
        from evaluations.flags import held_ids
        from reporting.periods import local_day_bounds
        from reporting.rollups.build import rollup_rebuild
        from reporting.rollups.sql import MEASURES

        day = rollup_day.DAY
        with connection.cursor() as cursor:
            have = rollup_day.stored(cursor)
            if have not in (0, total):
                raise CommandError(
                    f"{day} holds {have:,} ratings, not {total:,} (bench_rankings --regenerate)"
                )
            if not have:
                started = time.perf_counter()
                written = rollup_day.fill(cursor, total)
                cursor.execute("VACUUM ANALYZE evaluations_evaluation")
                self._say(f"wrote {written:,} ratings on {day} in {time.perf_counter() - started:.1f} s")
            else:
                self._say(f"reusing {have:,} ratings on {day}")
            timings = []
            for run in range(repeat):
                started = time.perf_counter()
                rollup_rebuild(first=day, last=day)
                timings.append(time.perf_counter() - started)
                self._say(f"rebuild {run + 1}: {timings[-1]:.2f} s")
            start, end = local_day_bounds(day, day)
            naive = RankingsBench()._naive_sql()
            params: dict[str, Any] = {
                "tz": settings.TIME_ZONE,
                "start": start,
                "end": end,
                "held": held_ids(start=start, end=end),
            }
            cursor.execute(naive, params)
            expected = {row[0]: tuple(row[1:]) for row in cursor.fetchall()}
            cursor.execute(
                f"SELECT department_id, {', '.join(MEASURES)} FROM reporting_departmentdaily WHERE day = %s",
                [day],
            )
            rolled = {row[0]: tuple(row[1:]) for row in cursor.fetchall()}
            cursor.execute("SELECT count(*) FROM reporting_dailyrollup WHERE day = %s", [day])
            fine = cursor.fetchone()[0]
        stored = rollup_day.stored(connection.cursor())
        agree = rolled == expected
        self._say(f"{stored:,} ratings on {day} in {len(rolled):,} departments; {fine:,} fine rollup rows")
        median, fastest = statistics.median(timings), min(timings)
        self._say(f"rollup_rebuild of one province-day: median {median:.2f} s, min {fastest:.2f} s "
                  f"({repeat} runs; {stored / fastest:,.0f} ratings/s)")  # fmt: skip
        self._say(f"check {'PASS' if agree else 'FAIL'}: department rollups equal the naive GROUP BY")
        self._say(f"check {'PASS' if stored == total else 'FAIL'}: exactly {total:,} ratings on the day")
        if not agree or stored != total:
            raise CommandError("the rollups do not match the ratings")
