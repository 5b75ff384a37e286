"""Benchmark intake through the real HTTP stack: gunicorn + the records API's POST /api/v1/evaluations.

It builds a throw-away database (<name>_bench), serves it with gunicorn on loopback, sends N ratings
from C client processes with a share of duplicate retries (same client_id), checks that exactly N
ratings exist, measures pgbench's raw INSERT rate of the same row shape in the same run, prints the
figures, and drops the database.
"""

import json
import os
import random
import secrets
import subprocess
import sys
import time
import urllib.request
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import psycopg
from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from psycopg import sql

from bench import load
from bench.baseline import pgbench_inserts_per_second

ROOT = Path(settings.BASE_DIR)


def _url(database: Mapping[str, Any], name: str) -> str:
    user = database.get("USER") or "postgres"
    password = f":{database['PASSWORD']}" if database.get("PASSWORD") else ""
    host, port = database.get("HOST") or "127.0.0.1", database.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{name}"


def _rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except FileNotFoundError:
        pass
    return 0.0


class Command(BaseCommand):
    help = "Benchmark rating intake through gunicorn and the JSON API; prints ratings/s and latency."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--ratings", type=int, default=5000)
        parser.add_argument("--clients", type=int, default=6)
        parser.add_argument("--duplicates", type=float, default=0.3, help="share of retried requests")
        parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes (one per core)")
        parser.add_argument("--port", type=int, default=8765)
        parser.add_argument("--keep", action="store_true", help="keep the benchmark database")
        parser.add_argument(
            "--driver", choices=("python", "wrk"), default="python",
            help="python: N ratings from client processes, exact count check; wrk: a C load generator "
            "that leaves the 2 cores to the server, for --seconds",
        )  # fmt: skip
        parser.add_argument("--seconds", type=int, default=20, help="wrk: duration of the run")
        parser.add_argument(
            "--prepare", type=int, default=0, help=("internal: create N cases in this database")
        )
        parser.add_argument(
            "--bulk", type=int, nargs="?", const=500, default=0, metavar="BATCH",
            help="bulk intake instead (bench/bulk.py): POST /api/v1/evaluations/bulk, BATCH items a call",
        )  # fmt: skip

    def handle(self, *args, **options) -> None:
        if options["prepare"]:
            from bench.prepare import main

            main(options["prepare"])
            return
        if options["bulk"]:
            from bench import bulk

            bulk.run(self, options)
            return
        database = settings.DATABASES["default"]
        name = f"{database['NAME']}_bench"
        maintenance = _url(database, "postgres")
        bench_url = _url(database, name)
        self._recreate(maintenance, name)
        env = {**os.environ, "DATABASE_URL": bench_url, "DEBUG": "0", "SECRET_KEY": secrets.token_urlsafe(50),
               "ALLOWED_HOSTS": "127.0.0.1", "DB_POOL_MAX": "4", "LOG_LEVEL": "WARNING"}  # fmt: skip
        server = None
        try:
            self._manage(env, "migrate", "--noinput")
            self._manage(env, "seed_demo", "--months", "0")
            setup = json.loads(
                self._manage(env, "bench_intake", "--prepare", str(options["ratings"])).splitlines()[-1]
            )
            server = self._serve(env, options["workers"], options["port"])
            if options["driver"] == "wrk":
                result = self._wrk(options, setup["key"])
            else:
                bodies = self._bodies(setup["serials"], options["duplicates"])
                outcome = load.run("127.0.0.1", options["port"], setup["key"], bodies, options["clients"])
            rss = max((_rss_mb(int(pid)) for pid in self._worker_pids(server.pid)), default=0.0)
            with psycopg.connect(bench_url) as connection:
                row = connection.execute("SELECT count(*) FROM evaluations_evaluation").fetchone()
                assert row is not None  # an aggregate always answers one row
                stored = row[0]
            baseline = pgbench_inserts_per_second(bench_url)
            if options["driver"] == "wrk":
                self._report_wrk(options, result, stored, baseline, rss)
            else:
                self._report(options, outcome, stored, baseline, rss, len(bodies))
        finally:
            if server is not None:
                server.terminate()
                server.wait(timeout=30)
            if not options["keep"]:
                self._drop(maintenance, name)

    def _recreate(self, maintenance: str, name: str) -> None:
        with psycopg.connect(maintenance, autocommit=True) as connection:
            connection.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))

    def _drop(self, maintenance: str, name: str) -> None:
        with psycopg.connect(maintenance, autocommit=True) as connection:
            connection.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )

    def _manage(self, env: dict, *args: str) -> str:
        result = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True,
                                text=True, check=False)  # fmt: skip
        if result.returncode != 0:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stderr[-2000:]}")
        return result.stdout

    def _serve(self, env: dict, workers: int, port: int) -> subprocess.Popen:
        gunicorn = str(Path(sys.executable).with_name("gunicorn"))
        server = subprocess.Popen(
            [gunicorn, "config.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
             "--log-level", "warning", "--keep-alive", "30"],
            cwd=ROOT, env=env,
        )  # fmt: skip
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                    return server
            except OSError:
                time.sleep(0.2)
        server.terminate()
        raise RuntimeError("gunicorn did not answer /healthz")

    def _worker_pids(self, master: int) -> list[str]:
        children = Path(f"/proc/{master}/task/{master}/children")
        return children.read_text().split() if children.exists() else []

    def _bodies(self, serials: list[str], duplicates: float) -> list[dict]:
        rng = random.Random(7)
        bodies = []
        for number, serial in enumerate(serials):
            grade = rng.choice([5, 5, 5, 5, 4, 4, 3, 2, 1])
            bodies.append({
                "client_id": f"bench-{number}", "serial_no": serial, "target": "matter",
                "stage": "completion", "grade": grade, "tags": [], "channel": "pc",
                "comment": "办理时间太长" if grade <= 2 else "",
            })  # fmt: skip
        retries = rng.sample(bodies, int(len(bodies) * duplicates))
        everything = bodies + retries
        rng.shuffle(everything)  # a retry may overtake its original, as it does on a flaky network
        return everything

    def _wrk(self, options: dict, key: str) -> dict:
        threads = 2
        command = [
            "wrk", "-t", str(threads), "-c", str(options["clients"]), "-d", f"{options['seconds']}s",
            "-s", str(ROOT / "bench" / "intake.lua"), f"http://127.0.0.1:{options['port']}",
            "--", key, str(options["ratings"]), str(threads), str(options["duplicates"]),
        ]  # fmt: skip
        output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
        line = next(line for line in output.splitlines() if line.startswith("WRK_RESULT "))
        return json.loads(line.removeprefix("WRK_RESULT "))

    def _report_wrk(self, options, result: dict, stored: int, baseline: float, rss: float) -> None:
        rate = result["requests"] / result["seconds"]
        lines = [
            f"driver              wrk, {options['clients']} connections, {result['seconds']:.0f} s",
            f"requests            {result['requests']} ({result['new']} new ratings sent, "
            f"{result['dup']} retries, {result['failed']} not 200/201)",
            f"workers             {options['workers']}",
            f"ratings stored      {stored} (sent {result['new']}; requests in flight at the end may be cut)",
            f"requests/s          {rate:.0f}",
            f"ratings/s           {stored / result['seconds']:.0f}",
            f"latency p50 / p99   {result['p50_ms']:.1f} ms / {result['p99_ms']:.1f} ms",
            f"pgbench INSERT/s    {baseline:.0f} (4 clients, same row shape)",
            f"ratio               1:{baseline / rate:.1f} (requests/s : raw INSERT/s)",
            f"worker RSS max      {rss:.0f} MB",
        ]
        self.stdout.write("\n".join(lines))
        if stored > result["new"] or result["failed"]:
            raise SystemExit("more ratings stored than sent, or failed requests")

    def _report(self, options, outcome, stored: int, baseline: float, rss: float, requests: int) -> None:
        rate = requests / outcome.seconds
        unique_rate = options["ratings"] / outcome.seconds
        lines = [
            f"requests            {requests} ({options['ratings']} ratings + "
            f"{requests - options['ratings']} retries)",
            f"clients / workers   {options['clients']} / {options['workers']}",
            f"statuses            {dict(sorted(outcome.statuses.items()))}",
            f"ratings stored      {stored} (expected {options['ratings']})",
            f"requests/s          {rate:.0f}",
            f"ratings/s           {unique_rate:.0f}",
            f"latency p50 / p99   {load.percentile(outcome.latencies_ms, 0.5):.1f} ms / "
            f"{load.percentile(outcome.latencies_ms, 0.99):.1f} ms",
            f"pgbench INSERT/s    {baseline:.0f} (4 clients, same row shape)",
            f"ratio               1:{baseline / rate:.1f} (requests/s : raw INSERT/s)",
            f"worker RSS max      {rss:.0f} MB",
        ]
        self.stdout.write("\n".join(lines))
        if stored != options["ratings"]:
            raise SystemExit(f"lost or duplicated ratings: {stored} stored, {options['ratings']} expected")
