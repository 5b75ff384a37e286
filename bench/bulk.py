"""``bench_intake --bulk [BATCH]``: bulk intake through gunicorn, beside pgbench in the same run (issue 19
point 2; target: bulk ratings/s at least 1:4 of pgbench's raw INSERT/s).

Like ``bench_intake`` (whose database, server and rating helpers it reuses): a throw-away database
``<name>_bench_bulk`` with the demo master data and N completed cases, gunicorn on a free loopback
port (``--port`` is left to the other benchmarks), then
``POST /api/v1/evaluations/bulk`` in batches of BATCH items from C client processes. The N ratings and
a share of retries (same client_id and body) are split between the clients by client_id, so each
client is one portal retrying its own items — in the same batch or a later one, a retry possibly
overtaking its original — and concurrent batches never wait for each other's case locks. Afterwards
it checks that exactly N ratings are stored (none doubled), every rating was answered 201 once and
every retry 200, and each bad review opened one work order; then pgbench's raw INSERT rate of the same
row shape, the figures, and the database is dropped. A failed check exits non-zero.
"""

import http.client
import json
import multiprocessing
import os
import secrets
import socket
import time
from collections import Counter
from dataclasses import dataclass, field

import psycopg
from django.conf import settings
from django.core.management.base import CommandError

from bench.baseline import pgbench_inserts_per_second
from bench.load import percentile
from evaluations.management.commands.bench_intake import Command as IntakeBench
from evaluations.management.commands.bench_intake import _rss_mb, _url

PATH = "/api/v1/evaluations/bulk"
RESENDS = 3
# A batch of 500 takes seconds on a quiet machine and can pass gunicorn's default 30 s worker timeout
# on a saturated one; the killed worker's transaction rolls back (nothing half-written) and the client
# sends the batch again, but the run measures more cleanly with a longer timeout.
GUNICORN_ARGS = "--timeout 300"


@dataclass
class Sent:
    statuses: Counter[int] = field(default_factory=Counter)  # per item
    calls: Counter[int] = field(default_factory=Counter)  # per batch
    latencies_ms: list[float] = field(default_factory=list)  # per batch
    created: list[str] = field(default_factory=list)  # client_id of every item answered 201
    seconds: float = 0.0


def run(command: IntakeBench, options: dict) -> None:
    """Run the benchmark with ``command``'s helpers, print its figures; CommandError if a check fails."""
    database = settings.DATABASES["default"]
    name = f"{database['NAME']}_bench_bulk"
    maintenance, bench_url = _url(database, "postgres"), _url(database, name)
    command._recreate(maintenance, name)
    env = {**os.environ, "DATABASE_URL": bench_url, "DEBUG": "0", "SECRET_KEY": secrets.token_urlsafe(50),
           "ALLOWED_HOSTS": "127.0.0.1", "DB_POOL_MAX": "4", "LOG_LEVEL": "WARNING",
           "CACHE_KEY_PREFIX": f"hcp-bench-{secrets.token_hex(4)}",
           "GUNICORN_CMD_ARGS": GUNICORN_ARGS}  # fmt: skip
    server = None
    try:
        command._manage(env, "migrate", "--noinput")
        command._manage(env, "seed_demo", "--months", "0")
        prepared = command._manage(env, "bench_intake", "--prepare", str(options["ratings"]))
        setup = json.loads(prepared.splitlines()[-1])
        port = _free_port()  # other benchmarks on this machine may hold bench_intake's --port
        server = command._serve(env, options["workers"], port)
        bodies = command._bodies(setup["serials"], options["duplicates"])
        streams = _streams(bodies, options["clients"], options["bulk"])
        sent = _send(port, setup["key"], streams)
        rss = max((_rss_mb(int(pid)) for pid in command._worker_pids(server.pid)), default=0.0)
        with psycopg.connect(bench_url) as connection:
            row = connection.execute(
                "SELECT count(*), count(DISTINCT client_id), (SELECT count(*) FROM workorders_workorder)"
                " FROM evaluations_evaluation"
            ).fetchone()
            assert row is not None  # an aggregate always answers one row
        baseline = pgbench_inserts_per_second(bench_url)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        if not options["keep"]:
            command._drop(maintenance, name)
    expected = _expected(bodies, options["ratings"])
    stored = {"ratings": row[0], "client_ids": row[1], "work_orders": row[2]}
    command.stdout.write(_report(options, streams, sent, stored, expected, baseline, rss))
    failures = _check(sent, stored, expected)
    if failures:
        raise CommandError("bulk benchmark check failed: " + "; ".join(failures))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _streams(bodies: list[dict], clients: int, batch: int) -> list[list[list[dict]]]:
    """Per client, its batches: a rating and its retries go to one client (by client_id), in the
    shuffled order bench_intake gave them."""
    shares: list[list[dict]] = [[] for _ in range(clients)]
    for body in bodies:
        shares[int(body["client_id"].rsplit("-", 1)[1]) % clients].append(body)
    return [[share[start : start + batch] for start in range(0, len(share), batch)] for share in shares]


def _client(args: tuple[int, str, list[list[dict]]]) -> Sent:
    port, key, batches = args
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    sent = Sent()
    for batch in batches:
        payload = json.dumps(batch, ensure_ascii=False).encode()
        for _attempt in range(RESENDS + 1):
            started = time.perf_counter()
            status, answers = _post(port, payload, headers)
            sent.latencies_ms.append((time.perf_counter() - started) * 1000)
            sent.calls[status] += 1
            if status == 200:
                sent.statuses.update(answer["status"] for answer in answers)
                sent.created.extend(a["client_id"] for a in answers if a["status"] == 201)
                break
            # A call that failed as a whole (a worker killed at its timeout) wrote nothing: send it again,
            # as a portal would.
    return sent


def _post(port: int, payload: bytes, headers: dict[str, str]) -> tuple[int, list[dict]]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    try:
        connection.request("POST", PATH, payload, headers)
        response = connection.getresponse()
        body = response.read()
        return response.status, json.loads(body) if response.status == 200 else []
    except (OSError, http.client.HTTPException, ValueError):
        return 0, []
    finally:
        connection.close()


def _send(port: int, key: str, streams: list[list[list[dict]]]) -> Sent:
    started = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(len(streams)) as pool:
        parts = pool.map(_client, [(port, key, stream) for stream in streams])
    total = Sent(seconds=time.perf_counter() - started)
    for part in parts:
        total.statuses.update(part.statuses)
        total.calls.update(part.calls)
        total.latencies_ms.extend(part.latencies_ms)
        total.created.extend(part.created)
    return total


def _expected(bodies: list[dict], ratings: int) -> dict[str, int]:
    unique = {body["client_id"]: body for body in bodies}
    bad = sum(1 for body in unique.values() if body["grade"] <= 2)
    return {"ratings": ratings, "retries": len(bodies) - ratings, "work_orders": bad}


def _check(sent: Sent, stored: dict[str, int], expected: dict[str, int]) -> list[str]:
    failures = []
    items = expected["ratings"] + expected["retries"]
    if sum(sent.statuses.values()) != items or set(sent.statuses) - {200, 201}:
        failures.append(f"item statuses {dict(sent.statuses)} for {items} items (all 200 or 201 expected)")
    if len(sent.created) != len(set(sent.created)) or len(sent.created) != expected["ratings"]:
        failures.append(f"{len(sent.created)} items answered 201 ({len(set(sent.created))} client ids), "
                        f"{expected['ratings']} expected: one per rating")  # fmt: skip
    if not stored["ratings"] == stored["client_ids"] == expected["ratings"]:
        failures.append(f"{stored['ratings']} ratings stored ({stored['client_ids']} client ids), "
                        f"{expected['ratings']} expected")  # fmt: skip
    if stored["work_orders"] != expected["work_orders"]:
        failures.append(f"{stored['work_orders']} work orders, {expected['work_orders']} expected")
    return failures


def _report(options, streams, sent: Sent, stored, expected, baseline: float, rss: float) -> str:
    batches = sum(len(stream) for stream in streams)
    items = expected["ratings"] + expected["retries"]
    rate = expected["ratings"] / sent.seconds
    lines = [
        f"bulk calls          {batches} × ≤ {options['bulk']} items from {len(streams)} clients "
        f"({expected['ratings']} ratings + {expected['retries']} retries)",
        f"workers             {options['workers']} (gunicorn sync)",
        f"call statuses       {dict(sorted(sent.calls.items()))} (0: no answer, the call was sent again)",
        f"item statuses       {dict(sorted(sent.statuses.items()))}",
        f"ratings stored      {stored['ratings']} ({stored['client_ids']} distinct client_id; "
        f"expected {expected['ratings']})",
        f"work orders         {stored['work_orders']} (one per bad review: {expected['work_orders']})",
        f"seconds             {sent.seconds:.1f}",
        f"bulk ratings/s      {rate:.0f} (new ratings; {items / sent.seconds:.0f} items/s with retries)",
        f"call p50 / p99      {percentile(sent.latencies_ms, 0.5):.0f} ms / "
        f"{percentile(sent.latencies_ms, 0.99):.0f} ms",
        f"pgbench INSERT/s    {baseline:.0f} (4 clients, same row shape)",
        f"ratio               1:{baseline / rate:.1f} (bulk ratings/s : raw INSERT/s; target 1:4 or better)",
        f"worker RSS max      {rss:.0f} MB",
    ]
    return "\n".join(lines)
