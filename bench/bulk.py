"""``bench_intake --bulk [BATCH]`` (mode ``bulk``): bulk intake through gunicorn, beside pgbench in the
same run (issue 19 point 2; target: bulk ratings/s at least 1:4 of pgbench's raw INSERT/s).

A mode of bench_intake's frame (bench/intake_run.py: throw-away database, demo master data, N completed
cases, gunicorn on loopback, pgbench, the checks): ``POST /api/v1/evaluations/bulk`` in batches of BATCH
items from C client processes. The N ratings and a share of retries (same client_id and body) are split
between the clients by client_id, so each client is one portal retrying its own items — in the same
batch or a later one, a retry possibly overtaking its original — and concurrent batches never wait for
each other's case locks. The checks: exactly N ratings stored (none doubled), every rating answered 201
once and every retry 200, each bad review one work order.
"""

import http.client
import json
import multiprocessing
import time
from collections import Counter
from dataclasses import dataclass, field

from bench.load import percentile

from .checks import Check, exactly, none_other
from .intake_records import bodies_for
from .intake_run import Context, Measured

PATH = "/api/v1/evaluations/bulk"
RESENDS = 3


@dataclass
class Sent:
    statuses: Counter[int] = field(default_factory=Counter)  # per item
    calls: Counter[int] = field(default_factory=Counter)  # per batch
    latencies_ms: list[float] = field(default_factory=list)  # per batch
    created: list[str] = field(default_factory=list)  # client_id of every item answered 201
    seconds: float = 0.0


def run(context: Context) -> Measured:
    options, setup = context.options, context.setup
    bodies = bodies_for(setup["serials"][: options["ratings"]], options["duplicates"])
    streams = _streams(bodies, options["clients"], options["batch"])
    sent = _send(context.port, setup["key"], streams)
    stored = {
        "ratings": context.scalar("SELECT count(*) FROM evaluations_evaluation"),
        "client_ids": context.scalar("SELECT count(DISTINCT client_id) FROM evaluations_evaluation"),
        "work_orders": context.scalar("SELECT count(*) FROM workorders_workorder"),
    }
    expected = _expected(bodies, options["ratings"])
    rate = expected["ratings"] / sent.seconds
    return Measured(
        lines=_report(options, streams, sent, stored, expected),
        rates={"bulk ratings/s": rate},
        checks=_checks(sent, stored, expected),
    )


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


def _checks(sent: Sent, stored: dict[str, int], expected: dict[str, int]) -> list[Check]:
    items = expected["ratings"] + expected["retries"]
    return [
        exactly("items answered", sum(sent.statuses.values()), items),
        none_other("item statuses other than 200/201", sent.statuses, (200, 201)),
        exactly("items answered 201 (one per rating)", len(sent.created), expected["ratings"]),
        exactly("distinct client_id answered 201", len(set(sent.created)), expected["ratings"]),
        exactly("ratings stored", stored["ratings"], expected["ratings"]),
        exactly("distinct client_id stored", stored["client_ids"], expected["ratings"]),
        exactly("work orders (one per bad review)", stored["work_orders"], expected["work_orders"]),
    ]


def _report(options, streams, sent: Sent, stored, expected) -> list[str]:
    batches = sum(len(stream) for stream in streams)
    items = expected["ratings"] + expected["retries"]
    rate = expected["ratings"] / sent.seconds
    return [
        f"bulk calls          {batches} × ≤ {options['batch']} items from {len(streams)} clients "
        f"({expected['ratings']} ratings + {expected['retries']} retries)",
        f"workers             {options['workers']} (gunicorn sync)",
        f"call statuses       {dict(sorted(sent.calls.items()))} (0: no answer, the call was sent again)",
        f"item statuses       {dict(sorted(sent.statuses.items()))}",
        f"ratings stored      {stored['ratings']} ({stored['client_ids']} distinct client_id; "
        f"expected {expected['ratings']})",
        f"work orders         {stored['work_orders']} (one per bad review: {expected['work_orders']})",
        f"seconds             {sent.seconds:.1f}",
        f"bulk ratings/s      {rate:.0f} (new ratings; {items / sent.seconds:.0f} items/s with retries; "
        "target 1:4 of pgbench or better)",
        f"call p50 / p99      {percentile(sent.latencies_ms, 0.5):.0f} ms / "
        f"{percentile(sent.latencies_ms, 0.99):.0f} ms",
    ]
