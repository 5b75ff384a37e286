"""``bench_intake``'s records mode: POST /api/v1/evaluations against the floor, in the same server.

The same bodies go to the intake (the whole rule set) and to the floor endpoint (bench/floor_urls.py:
the key check, the schema, one INSERT), in alternating rounds so that the other load on a shared
machine falls on both alike; intake : floor is the figure DESIGN §10 holds intake to (≥ 0.6).
"""

import json
import random
import subprocess

from . import load
from .checks import Check, between, exactly, none_other
from .floor_urls import PATH as FLOOR_PATH
from .intake_run import Context, Measured
from .server import ROOT

TARGET = 0.6  # intake at least 0.6 of the floor (DESIGN §10)
HOST = "127.0.0.1"


def bodies_for(serials: list[str], duplicates: float) -> list[dict]:
    """One rating per case (22 % of them bad, with a comment) plus a share of retries of the same body,
    shuffled so a retry may overtake its original, as it does on a flaky network."""
    rng = random.Random(7)
    bodies = []
    for number, serial in enumerate(serials):
        grade = rng.choice([5, 5, 5, 5, 4, 4, 3, 2, 1])
        bodies.append({
            "client_id": f"bench-{number}", "serial_no": serial, "target": "matter",
            "stage": "completion", "grade": grade, "tags": [], "channel": "pc",
            "comment": "办理时间太长" if grade <= 2 else "",
        })  # fmt: skip
    everything = bodies + rng.sample(bodies, int(len(bodies) * duplicates))
    rng.shuffle(everything)
    return everything


def run(context: Context) -> Measured:
    if context.options["driver"] == "wrk":
        return _run_wrk(context)
    options, key = context.options, context.setup["key"]
    ratings = options["ratings"]
    bodies = bodies_for(context.setup["serials"][:ratings], options["duplicates"])
    # The workers' first requests (imports, caches, pooled connections) are not measured.
    warm = [{**body, "client_id": f"warm-{body['client_id']}"} for body in
            bodies_for(context.setup["serials"][ratings:], 0.0)]  # fmt: skip
    warmed = [load.run(HOST, context.port, key, warm, options["clients"], path)
              for path in (load.INTAKE_PATH, FLOOR_PATH) if warm]  # fmt: skip
    rounds = max(1, options["rounds"])
    outcomes: dict[str, list[load.Outcome]] = {"intake": [], "floor": []}
    for index in range(rounds):
        part = bodies[index::rounds]
        phases = [("intake", load.INTAKE_PATH), ("floor", FLOOR_PATH)]
        for label, path in phases if index % 2 == 0 else reversed(phases):
            outcomes[label].append(load.run(HOST, context.port, key, part, options["clients"], path))
    intake, floor = load.combined(outcomes["intake"]), load.combined(outcomes["floor"])
    requests = len(bodies)
    bad = sum(1 for body in _unique(bodies) + warm if body["grade"] <= 2)
    stored, floor_rows = ratings + len(warm), requests + len(warm)  # the warm-up's rows included
    rate, floor_rate = requests / intake.seconds, requests / floor.seconds
    ratio = rate / floor_rate
    lines = [
        f"requests            {requests} to each ({ratings} ratings + {requests - ratings} retries), "
        f"{rounds} rounds, intake and floor alternating",
        f"clients / workers   {options['clients']} / {options['workers']}",
        *_figures("intake", intake, requests),
        f"ratings/s           {ratings / intake.seconds:.0f} (new ratings only)",
        *_figures("floor", floor, requests),
        f"intake : floor      {ratio:.2f} (target ≥ {TARGET}: {'PASS' if ratio >= TARGET else 'MISS'})",
    ]
    intake_rows = "FROM evaluations_evaluation WHERE record_id IS NOT NULL"
    floor_rows_sql = "FROM evaluations_evaluation WHERE record_id IS NULL"
    checks = [
        exactly("ratings stored", context.scalar(f"SELECT count(*) {intake_rows}"), stored),
        exactly(
            "distinct client_id stored",
            context.scalar(f"SELECT count(DISTINCT client_id) {intake_rows}"),
            stored,
        ),
        exactly("cases rated", context.scalar(f"SELECT count(DISTINCT record_id) {intake_rows}"), stored),
        exactly("intake answered 201", intake.statuses.get(201, 0), ratings),
        exactly("retries answered 200", intake.statuses.get(200, 0), requests - ratings),
        none_other("intake answers other than 200/201", intake.statuses, (200, 201)),
        exactly(
            "work orders (one per bad rating)",
            context.scalar("SELECT count(*) FROM workorders_workorder"),
            bad,
        ),
        exactly("outbox messages of the ratings", _outbox_count(context), stored),
        exactly("floor rows stored", context.scalar(f"SELECT count(*) {floor_rows_sql}"), floor_rows),
        exactly("floor answered 201", floor.statuses.get(201, 0), requests),
        *(
            none_other(f"warm-up answers other than 201 ({index + 1})", outcome.statuses, (201,))
            for index, outcome in enumerate(warmed)
        ),
    ]
    return Measured(lines=lines, rates={"intake": rate, "floor": floor_rate}, checks=checks)


def _unique(bodies: list[dict]) -> list[dict]:
    return list({body["client_id"]: body for body in bodies}.values())


def _outbox_count(context: Context) -> int:
    return context.scalar(
        "SELECT count(DISTINCT m.evaluation_id) FROM reporting_upstreammessage m "
        "JOIN evaluations_evaluation e ON e.id = m.evaluation_id "
        "WHERE e.record_id IS NOT NULL AND m.kind = 'evaluation'"
    )


def _figures(label: str, outcome: load.Outcome, requests: int) -> list[str]:
    return [
        f"{label + ' statuses':<19} {dict(sorted(outcome.statuses.items()))}",
        f"{label + ' requests/s':<19} {requests / outcome.seconds:.0f} ({outcome.seconds:.1f} s)",
        f"{label + ' p50 / p99':<19} {load.percentile(outcome.latencies_ms, 0.5):.1f} ms / "
        f"{load.percentile(outcome.latencies_ms, 0.99):.1f} ms",
    ]


def _wrk(context: Context, path: str) -> dict:
    options, threads = context.options, 2
    command = [
        "wrk", "-t", str(threads), "-c", str(options["clients"]), "-d", f"{options['seconds']}s",
        "-s", str(ROOT / "bench" / "intake.lua"), f"http://{HOST}:{context.port}",
        "--", context.setup["key"], str(options["ratings"]), str(threads), str(options["duplicates"]), path,
    ]  # fmt: skip
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    line = next(line for line in output.splitlines() if line.startswith("WRK_RESULT "))
    return json.loads(line.removeprefix("WRK_RESULT "))


def _run_wrk(context: Context) -> Measured:
    """wrk for --seconds against the intake, then as long against the floor. Requests in flight
    when wrk stops (at most one per connection) may or may not have been stored."""
    options, connections = context.options, context.options["clients"]
    intake, floor = _wrk(context, load.INTAKE_PATH), _wrk(context, FLOOR_PATH)
    rate, floor_rate = intake["requests"] / intake["seconds"], floor["requests"] / floor["seconds"]
    ratio = rate / floor_rate
    lines = [
        f"driver              wrk, {connections} connections, {intake['seconds']:.0f} s intake, "
        f"{floor['seconds']:.0f} s floor, workers {options['workers']}",
        f"intake requests     {intake['requests']} ({intake['new']} new ratings, {intake['dup']} retries)",
        f"intake requests/s   {rate:.0f}, p50 / p99 {intake['p50_ms']:.1f} / {intake['p99_ms']:.1f} ms",
        f"floor requests/s    {floor_rate:.0f}, p50 / p99 {floor['p50_ms']:.1f} / {floor['p99_ms']:.1f} ms",
        f"intake : floor      {ratio:.2f} (target ≥ {TARGET}: {'PASS' if ratio >= TARGET else 'MISS'})",
    ]
    intake_rows = "FROM evaluations_evaluation WHERE record_id IS NOT NULL"
    stored = context.scalar(f"SELECT count(*) {intake_rows}")
    floor_sent = floor["new"] + floor["dup"]
    checks = [
        between("ratings stored", stored, intake["new"] - connections, intake["new"]),
        exactly(
            "distinct client_id stored",
            context.scalar(f"SELECT count(DISTINCT client_id) {intake_rows}"),
            stored,
        ),
        Check("intake answers other than 200/201", intake["failed"] == 0, str(intake["failed"])),
        between(
            "floor rows stored",
            context.scalar("SELECT count(*) FROM evaluations_evaluation WHERE record_id IS NULL"),
            floor_sent - connections,
            floor_sent,
        ),
        Check("floor answers other than 201", floor["failed"] == 0, str(floor["failed"])),
    ]
    return Measured(lines=lines, rates={"intake": rate, "floor": floor_rate}, checks=checks)
