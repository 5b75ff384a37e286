"""``simulate_device --bench``: the signed device API through gunicorn, beside pgbench in the same run.

Like ``bench_intake`` (whose database and server helpers it reuses): a throw-away database
``<name>_bench_devices`` with the demo master data, D registered evaluators and N completed cases at
their windows, gunicorn on loopback, N ratings plus a share of retries (same client_id and body, new
nonce and timestamp) from C client processes, an exact count of the stored ratings, pgbench's raw
INSERT rate of the same row shape, then the database is dropped.
"""

import json
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass

import psycopg
from django.conf import settings

from bench import device_load, server
from bench.baseline import pgbench_inserts_per_second
from bench.checks import Check, exactly, fail_unless, none_other


@dataclass
class Options:
    ratings: int = 10_000
    clients: int = 6
    devices: int = 20
    duplicates: float = 0.3
    workers: int = 2
    port: int = 8766
    keep: bool = False


def run(options: Options, write: Callable[[str], None]) -> None:
    """Run the benchmark and print its figures and checks through ``write``; CommandError unless
    exactly N ratings are stored, none doubled, and every answer was 201 (first) or 200 (retry)."""
    database = settings.DATABASES["default"]
    name = f"{database['NAME']}_bench_devices"
    maintenance, bench_url = server.database_url(database, "postgres"), server.database_url(database, name)
    server.recreate(maintenance, name)
    env = {**os.environ, "DATABASE_URL": bench_url, "DEBUG": "0", "SECRET_KEY": secrets.token_urlsafe(50),
           "ALLOWED_HOSTS": "127.0.0.1", "DB_POOL_MAX": "4", "LOG_LEVEL": "WARNING",
           "CACHE_KEY_PREFIX": f"hcp-bench-{secrets.token_hex(4)}"}  # fmt: skip
    gunicorn = None
    try:
        server.manage(env, "migrate", "--noinput")
        server.manage(env, "seed_demo", "--months", "0")
        prepared = server.manage(
            env, "simulate_device", "--bench-prepare", str(options.ratings), "--devices", str(options.devices)
        )
        setup = json.loads(prepared.splitlines()[-1])
        gunicorn = server.serve(env, options.workers, options.port)
        credentials = setup["devices"]
        assignments = [
            (*credentials[number % len(credentials)], serial) for number, serial in enumerate(setup["cases"])
        ]
        jobs = device_load.with_retries(device_load.jobs_for(assignments, prefix="bench"), options.duplicates)
        outcome = device_load.run(f"http://127.0.0.1:{options.port}", jobs, options.clients)
        rss = server.worker_rss_mb(gunicorn)
        with psycopg.connect(bench_url) as connection:
            counts = connection.execute(
                "SELECT count(*), count(DISTINCT client_id), count(DISTINCT record_id) "
                "FROM evaluations_evaluation WHERE target = 'matter'"
            ).fetchone()
            assert counts is not None  # an aggregate always answers one row
            stored, distinct, cases = counts
        baseline = pgbench_inserts_per_second(bench_url)
    finally:
        server.stop(gunicorn)
        if not options.keep:
            server.drop(maintenance, name)
    _report(options, outcome, len(jobs), stored, distinct, baseline, rss, write)
    retries = len(jobs) - options.ratings
    checks: list[Check] = [
        exactly("matter ratings stored", stored, options.ratings),
        exactly("distinct client_id stored", distinct, options.ratings),
        exactly("cases rated", cases, options.ratings),
        exactly("first sendings answered 201", outcome.statuses.get(201, 0), options.ratings),
        exactly("retries answered 200", outcome.statuses.get(200, 0), retries),
        none_other("answers other than 200/201", outcome.statuses, (200, 201)),
    ]
    fail_unless(checks, write)


def _report(
    options: Options,
    outcome,
    requests: int,
    stored: int,
    distinct: int,
    baseline: float,
    rss: float,
    write: Callable[[str], None],
) -> None:
    rate = requests / outcome.seconds
    lines = [
        f"requests            {requests} ({options.ratings} ratings + {requests - options.ratings} retries, "
        f"each signed with a new nonce)",
        f"devices / clients   {options.devices} / {options.clients} client processes",
        f"workers             {options.workers} (gunicorn sync)",
        f"statuses            {dict(sorted(outcome.statuses.items()))}",
        f"ratings stored      {stored} ({distinct} distinct client_id; expected {options.ratings})",
        f"seconds             {outcome.seconds:.1f}",
        f"requests/s          {rate:.0f}",
        f"ratings/s           {options.ratings / outcome.seconds:.0f} (new ratings only)",
        f"latency p50 / p99   {device_load.percentile(outcome.latencies_ms, 0.5):.1f} ms / "
        f"{device_load.percentile(outcome.latencies_ms, 0.99):.1f} ms",
        f"pgbench INSERT/s    {baseline:.0f} (4 clients, same row shape)",
        f"ratio               1:{baseline / rate:.1f} (requests/s : raw INSERT/s)",
        f"worker RSS max      {rss:.0f} MB",
    ]
    write("\n".join(lines))
