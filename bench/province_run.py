"""``bench_province``: sustained intake with the rollup refresh and the upstream push running beside it.

A throw-away database ``<name>_bench_province`` with the demo master data and completed cases, a
loopback platform that checks signatures and keeps every message (bench/upstream_platform.py,
the one the upstream tests use), gunicorn serving the project with the generic upstream profile pointed
at it, and then:

1. push capacity: B ratings posted while no Celery worker runs, so their messages wait in the outbox;
   one ``upstream_push`` pass (a subprocess, as a worker runs it) sends them all: messages/s;
2. sustained intake: a Celery worker with its beat (the real schedule: rollup refresh and upstream push
   every minute, the push also nudged on every commit) and R ratings/s posted for S seconds on a paced
   clock — one rating per ``POST /api/v1/evaluations`` (``via="single"``) or ``batch`` ratings per
   ``POST /api/v1/evaluations/bulk`` (``via="bulk"``), the batches due at the same rating rate; every
   second the monitor reads what is stored, what the ranking counts and what was sent, and
   the memory of every gunicorn and Celery process;
3. after the last rating: the worker is left to catch up; then the checks — every rating answered 201
   (in bulk, every item's own status),
   exactly that many stored (distinct client ids), the rollups count each once, every outbox message sent
   and received by the platform exactly once. Any miss fails the command.
"""

import json
import os
import random
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import psycopg
from django.conf import settings

from bench import paced_load
from bench.province_monitor import Monitor, descendants
from bench.server import database_url, drop, manage, recreate, serve
from bench.upstream_platform import APP_ID, KEY, Platform

ROOT = Path(settings.BASE_DIR)
TABLE_SIZES = """
SELECT c.relname, c.reltuples::bigint, pg_relation_size(c.oid), pg_total_relation_size(c.oid)
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'public' AND c.relkind = 'r' AND pg_total_relation_size(c.oid) > 1048576
ORDER BY pg_total_relation_size(c.oid) DESC
"""


@dataclass
class Options:
    rate: float = 150.0
    seconds: int = 300
    backlog: int = 5000
    clients: int = 6
    workers: int = 2
    port: int = 8767
    via: str = "single"  # single: POST /api/v1/evaluations; bulk: POST /api/v1/evaluations/bulk
    batch: int = 50  # ratings per bulk call
    catch_up: int = 240  # seconds the worker may take to catch up after the last rating
    keep: bool = False


def _one(connection: psycopg.Connection, statement: str) -> tuple:
    row = connection.execute(statement).fetchone()
    assert row is not None  # aggregates always answer one row
    return row


def bodies(count: int, prefix: str, serials: list[str]) -> list[dict]:
    rng = random.Random(prefix)
    out = []
    for number, serial in enumerate(serials[:count]):
        grade = rng.choice([5] * 60 + [4] * 30 + [3] * 8 + [2, 1])  # about 2 % bad: work orders too
        out.append({
            "client_id": f"{prefix}-{number}", "serial_no": serial, "target": "matter", "stage": "completion",
            "grade": grade, "tags": [], "channel": "pc", "comment": "办理时间太长" if grade <= 2 else "",
        })  # fmt: skip
    return out


def drain(write: Callable[[str], None]) -> None:
    """Inside the benchmark database: send every due message in one pass; print sent and seconds."""
    from reporting.upstream.push import upstream_push

    started, sent = time.perf_counter(), 0
    while True:
        result = upstream_push(max_batches=1000)
        sent += result.sent
        if result.sent == 0 or result.failed or result.dead:
            break
    write(json.dumps({"sent": sent, "seconds": time.perf_counter() - started, "failed": result.failed}))


def run(options: Options, write: Callable[[str], None]) -> bool:
    database = settings.DATABASES["default"]
    name = f"{database['NAME']}_bench_province"
    maintenance, url = database_url(database, "postgres"), database_url(database, name)
    recreate(maintenance, name)
    platform = Platform()
    schedule = tempfile.mkdtemp(prefix="hcp-beat-")
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "0", "SECRET_KEY": secrets.token_urlsafe(50),
           "ALLOWED_HOSTS": "127.0.0.1", "DB_POOL_MAX": "4", "LOG_LEVEL": "WARNING",
           "CACHE_KEY_PREFIX": f"hcp-bench-{secrets.token_hex(4)}", "UPSTREAM_URL": platform.url,
           "UPSTREAM_APP_ID": APP_ID, "UPSTREAM_KEY": KEY, "UPSTREAM_PROFILE": "generic",
           "CELERY_BEAT_SCHEDULE_FILENAME": f"{schedule}/beat"}  # fmt: skip
    server = worker = None
    sustained = int(options.rate * options.seconds)
    batch = options.batch if options.via == "bulk" else None
    try:
        manage(env, "migrate", "--noinput")
        manage(env, "seed_demo", "--months", "0")
        out = manage(env, "bench_province", "--prepare", str(options.backlog + sustained))
        setup = json.loads(out.splitlines()[-1])
        serials = setup["serials"]
        server = serve(env, options.workers, options.port)
        web = lambda: descendants(server.pid)[1:]  # noqa: E731 — the workers, not the master

        # 1. push capacity
        first = bodies(options.backlog, "backlog", serials)
        burst = paced_load.run("127.0.0.1", options.port, setup["key"], first, 1000.0, options.clients, batch)
        with psycopg.connect(url) as connection:
            (pending,) = _one(connection, "SELECT count(*) FROM reporting_upstreammessage")
        pushed = json.loads(manage(env, "bench_province", "--drain").splitlines()[-1])
        write(f"push capacity: {pushed['sent']:,} of {pending:,} waiting messages sent in "
              f"{pushed['seconds']:.1f} s = {pushed['sent'] / pushed['seconds']:,.0f} messages/s "
              f"(one pusher, batches of {settings.UPSTREAM_BATCH}, loopback platform)")  # fmt: skip

        # 2. sustained intake beside the worker and its beat
        celery = str(Path(sys.executable).with_name("celery"))
        worker = subprocess.Popen(
            [celery, "--quiet", "-A", "config", "worker", "-B", "--concurrency", "2", "--loglevel", "WARNING",
             "--without-mingle", "--without-gossip"], cwd=ROOT, env=env,
        )  # fmt: skip
        monitor = Monitor(url, {"gunicorn worker": web, "celery": lambda: descendants(worker.pid)})
        monitor.start()
        time.sleep(5)  # the worker is up before the first rating
        second = bodies(sustained, "sustained", serials[options.backlog :])
        how = f"bulk calls of {batch}" if batch else "single calls"
        write(f"sustained: {options.rate:.0f} ratings/s for {options.seconds} s ({sustained:,} ratings, "
              f"{how}, {options.clients} clients) …")  # fmt: skip
        began = time.time()
        paced = paced_load.run(
            "127.0.0.1", options.port, setup["key"], second, options.rate, options.clients, batch
        )
        ended = time.time()

        # 3. catch up, then check
        total = options.backlog + sustained
        deadline = time.time() + options.catch_up
        while time.time() < deadline:
            now = monitor.latest()
            if now.ranked >= total and now.sent >= now.messages:
                break
            time.sleep(1)
        monitor.stop()
        with psycopg.connect(url) as connection:
            stored, distinct = _one(
                connection, "SELECT count(*), count(DISTINCT client_id) FROM evaluations_evaluation"
            )
            messages, sent = _one(
                connection,
                "SELECT count(*), count(*) FILTER (WHERE status = 'sent') FROM reporting_upstreammessage",
            )
            (orders,) = _one(connection, "SELECT count(*) FROM workorders_workorder")
            connection.execute("ANALYZE")  # the row counts below are the planner's (reltuples)
            sizes = connection.execute(TABLE_SIZES).fetchall()
        last = monitor.latest()
        during = monitor.lags(since=began)
        under_load = [lag for sample, lag in zip(monitor.samples[-len(during):], during, strict=True)
                      if sample.at <= ended]  # fmt: skip
        received, duplicates = len(set(platform.received)), platform.duplicates()
        latencies = sorted(paced.latencies_ms)
        answered, calls = {**burst.statuses}, {**burst.calls}
        for status, count in paced.statuses.items():
            answered[status] = answered.get(status, 0) + count
        for status, count in paced.calls.items():
            calls[status] = calls.get(status, 0) + count
        checks = {
            f"{total:,} ratings answered 201 ({answered})": answered == {201: total},
            f"{total:,} stored, {total:,} distinct client ids": stored == distinct == total,
            "the rollups count every rating once": last.ranked == total,
            f"every outbox message sent ({sent:,} of {messages:,})": sent == messages,
            f"the platform received {messages:,} distinct messages": received == messages,
            "no message received twice": not duplicates,
        }
        write(f"HTTP calls: {sum(calls.values()):,} answered {calls}; item statuses {answered}")
        write(f"sustained intake: {len(second):,} ratings in {paced.seconds:.1f} s = "
              f"{len(second) / paced.seconds:.1f} ratings/s (target {options.rate:.0f}); per call p50 "
              f"{latencies[len(latencies) // 2]:.1f} ms, p99 {latencies[int(len(latencies) * 0.99)]:.1f} ms; "
              f"furthest behind its slot {paced.worst_behind_s:.2f} s")  # fmt: skip
        write(f"ranking lag behind intake while rating: max {max(under_load):.0f} s, "
              f"median {sorted(under_load)[len(under_load) // 2]:.0f} s (target < 120 s); "
              f"caught up {last.at - ended:.0f} s after the last rating")  # fmt: skip
        rating = [sample for sample in monitor.samples if began <= sample.at <= ended]
        if len(rating) > 1:  # a run of a second or two has no rate to show
            pushed_rate = (rating[-1].sent - rating[0].sent) / (rating[-1].at - rating[0].at)
            write(f"outbox while rating: {pushed_rate:.0f} messages/s sent, at most "
                  f"{max(sample.messages - sample.sent for sample in rating):,} waiting")  # fmt: skip
        write(f"upstream in all: {sent:,} messages sent for {total:,} ratings and {orders:,} work orders, "
              f"in {len(platform.requests):,} requests to the platform")  # fmt: skip
        for group, peak in sorted(monitor.rss_peak.items()):
            write(f"peak RSS of one {group} process: {peak:.0f} MB (target < 200 MB) "
                  f"{'PASS' if peak < 200 else 'MISS'}")  # fmt: skip
        write(f"lag target < 120 s: {'PASS' if max(under_load) < 120 else 'MISS'}")
        write("bytes per rating, heap + indexes + TOAST (pg_total_relation_size), tables over 1 MB:")
        for table, rows, heap, total_bytes in sizes:
            per_rating = f"{heap / total:>7.0f} B heap {total_bytes / total:>7.0f} B in all"
            write(f"  {table:<36} {rows:>9,} rows {per_rating}")
        for label, passed in checks.items():
            write(f"check {'PASS' if passed else 'FAIL'}: {label}")
        return all(checks.values())
    finally:
        for process in (worker, server):
            if process is not None:
                process.terminate()
                process.wait(timeout=60)
        platform.stop()
        shutil.rmtree(schedule, ignore_errors=True)
        if not options.keep:
            drop(maintenance, name)
