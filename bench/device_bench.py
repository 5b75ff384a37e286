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

from bench import device_load
from bench.baseline import pgbench_inserts_per_second
from evaluations.management.commands.bench_intake import Command as IntakeBench
from evaluations.management.commands.bench_intake import _rss_mb, _url


@dataclass
class Options:
    ratings: int = 10_000
    clients: int = 6
    devices: int = 20
    duplicates: float = 0.3
    workers: int = 2
    port: int = 8766
    keep: bool = False


def run(options: Options, write: Callable[[str], None]) -> bool:
    """Run the benchmark, print its figures through ``write``; True when exactly N ratings are stored."""
    helper = IntakeBench()
    database = settings.DATABASES["default"]
    name = f"{database['NAME']}_bench_devices"
    maintenance, bench_url = _url(database, "postgres"), _url(database, name)
    helper._recreate(maintenance, name)
    env = {**os.environ, "DATABASE_URL": bench_url, "DEBUG": "0", "SECRET_KEY": secrets.token_urlsafe(50),
           "ALLOWED_HOSTS": "127.0.0.1", "DB_POOL_MAX": "4", "LOG_LEVEL": "WARNING",
           "CACHE_KEY_PREFIX": f"hcp-bench-{secrets.token_hex(4)}"}  # fmt: skip
    server = None
    try:
        helper._manage(env, "migrate", "--noinput")
        helper._manage(env, "seed_demo", "--months", "0")
        prepared = helper._manage(
            env, "simulate_device", "--bench-prepare", str(options.ratings), "--devices", str(options.devices)
        )
        setup = json.loads(prepared.splitlines()[-1])
        server = helper._serve(env, options.workers, options.port)
        credentials = setup["devices"]
        assignments = [
            (*credentials[number % len(credentials)], serial) for number, serial in enumerate(setup["cases"])
        ]
        jobs = device_load.with_retries(device_load.jobs_for(assignments, prefix="bench"), options.duplicates)
        outcome = device_load.run(f"http://127.0.0.1:{options.port}", jobs, options.clients)
        rss = max((_rss_mb(int(pid)) for pid in helper._worker_pids(server.pid)), default=0.0)
        with psycopg.connect(bench_url) as connection:
            counts = connection.execute(
                "SELECT count(*), count(DISTINCT client_id) FROM evaluations_evaluation"
            ).fetchone()
            assert counts is not None  # an aggregate always answers one row
            stored, distinct = counts
        baseline = pgbench_inserts_per_second(bench_url)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        if not options.keep:
            helper._drop(maintenance, name)
    _report(options, outcome, len(jobs), stored, distinct, baseline, rss, write)
    return stored == distinct == options.ratings and set(outcome.statuses) <= {200, 201}


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
