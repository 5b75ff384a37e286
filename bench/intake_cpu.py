"""``bench_intake --mode cpu``: CPU time per request of the intake and of the floor, in one process.

The other modes measure rates through gunicorn, which on a shared 2-core machine move with everyone
else's load. This one posts the same ratings through Django's whole request handling (middleware,
ninja, the intake service, PostgreSQL) with the test client, in a process of its own in the
benchmark's database, and sums ``time.process_time()`` per request: the CPU that process spends,
which the rest of the machine barely changes. Bad ratings (which open a work order) are summed apart.
"""

import cProfile
import json
import os
import statistics
import time

from . import server
from .checks import exactly, none_other
from .floor_urls import PATH as FLOOR_PATH
from .intake_records import TARGET, bodies_for
from .intake_run import Context, Measured
from .load import INTAKE_PATH
from .server_cpu import postgres_cpu_seconds

BLOCK = 25  # requests to the intake, then as many to the floor, and so on
WARM = 50  # the first requests of each not counted (two blocks): imports, caches, the first plans


def run(context: Context) -> Measured:
    ratings, floor_row = context.options["ratings"], context.setup["floor_row"]
    env = {**context.env, "DJANGO_SETTINGS_MODULE": "bench.floor_settings",
           "BENCH_FLOOR_DEPARTMENT": str(floor_row["department_id"]),
           "BENCH_FLOOR_REGION": str(floor_row["region_id"])}  # fmt: skip
    figures = json.loads(server.manage(env, "bench_intake", "--cpu-inside", str(ratings)).splitlines()[-1])
    good, bad, floor = figures["good"], figures["bad"], figures["floor"]
    answered = {
        label: {int(status): count for status, count in figures[f"{label}_statuses"].items()}
        for label in ("intake", "floor")
    }  # fmt: skip  (JSON keys are strings)
    count = good["count"] + bad["count"]
    mix = (good["ms"] * good["count"] + bad["ms"] * bad["count"]) / count
    median_mix = (good["median_ms"] * good["count"] + bad["median_ms"] * bad["count"]) / count
    ratio = floor["ms"] / mix
    lines = [
        f"requests            {ratings} ratings (no retries) to each, in blocks of {BLOCK} alternating, "
        f"the first {WARM} of each not counted",
        f"intake CPU/request  {mix:.2f} ms ({good['count']} good {good['ms']:.2f} ms, "
        f"{bad['count']} bad with a work order {bad['ms']:.2f} ms)",
        f"floor CPU/request   {floor['ms']:.2f} ms ({floor['count']})",
        f"intake : floor      {ratio:.2f} in CPU per request (target ≥ {TARGET}: "
        f"{'PASS' if ratio >= TARGET else 'MISS'})",
        f"medians             good {good['median_ms']:.2f} ms, bad {bad['median_ms']:.2f} ms, floor "
        f"{floor['median_ms']:.2f} ms: intake : floor {floor['median_ms'] / median_mix:.2f} "
        "(a pause of the machine moves a mean, hardly a median)",
    ]
    server_cpu = figures["server_cpu"]
    if "intake" in server_cpu and "floor" in server_cpu:
        intake_total, floor_total = mix + server_cpu["intake"], floor["ms"] + server_cpu["floor"]
        lines += [
            f"PostgreSQL CPU/req  intake {server_cpu['intake']:.2f} ms, floor {server_cpu['floor']:.2f} ms "
            "(all postgres processes, /proc)",
            f"intake : floor      {floor_total / intake_total:.2f} in client + server CPU per request "
            f"({intake_total:.2f} ms against {floor_total:.2f} ms)",
        ]
    else:
        lines.append("PostgreSQL CPU/req  n/a (its processes are not readable here)")
    intake_rows = "FROM evaluations_evaluation WHERE record_id IS NOT NULL"
    checks = [
        exactly("ratings stored", context.scalar(f"SELECT count(*) {intake_rows}"), ratings),
        exactly(
            "distinct client_id stored",
            context.scalar(f"SELECT count(DISTINCT client_id) {intake_rows}"),
            ratings,
        ),
        none_other("intake answers other than 201", answered["intake"], (201,)),
        exactly(
            "floor rows stored",
            context.scalar("SELECT count(*) FROM evaluations_evaluation WHERE record_id IS NULL"),
            ratings,
        ),
        none_other("floor answers other than 201", answered["floor"], (201,)),
    ]
    return Measured(lines=lines, rates={"intake (CPU)": 1000 / mix, "floor (CPU)": 1000 / floor["ms"]},
                    checks=checks)  # fmt: skip


def inside(ratings: int) -> dict:
    """Run in the benchmark's database with bench.floor_settings: post and time every rating, in
    blocks of BLOCK alternating between the intake and the floor (as the HTTP modes alternate rounds),
    so that the machine's own drift within the run falls on both alike."""
    from django.test import Client

    from evaluations.models import ApiKey, ServiceRecord

    cases = ServiceRecord.objects.filter(serial_no__startswith="BENCH-").order_by("serial_no")
    serials = list(cases.values_list("serial_no", flat=True)[:ratings])
    key = ApiKey(name="bench cpu")
    headers = {"Authorization": f"Bearer {key.set_new_key()}"}
    key.save()
    client = Client(SERVER_NAME="127.0.0.1")
    bodies = bodies_for(serials, 0.0)
    spent: dict[str, list[float]] = {"good": [], "bad": [], "floor": []}  # CPU seconds, counted requests
    server: dict[str, list[float]] = {"intake": [], "floor": []}  # PostgreSQL's CPU seconds, per block
    statuses: dict[str, dict[int, int]] = {"intake": {}, "floor": {}}
    # BENCH_PROFILE=FILE: a cProfile (in CPU time) of the intake's counted requests, for pstats
    # (the requests are slower while it is on).
    profile, profile_to = cProfile.Profile(time.process_time), os.environ.get("BENCH_PROFILE")
    for start in range(0, len(bodies), BLOCK):
        counted = start >= WARM
        for path, label in ((INTAKE_PATH, "intake"), (FLOOR_PATH, "floor")):
            server_before = postgres_cpu_seconds()
            for body in bodies[start : start + BLOCK]:
                payload = json.dumps(body)
                profiled = bool(profile_to) and label == "intake" and counted
                if profiled:
                    profile.enable()
                began = time.process_time()
                response = client.post(path, data=payload, content_type="application/json", headers=headers)
                took = time.process_time() - began
                if profiled:
                    profile.disable()
                statuses[label][response.status_code] = statuses[label].get(response.status_code, 0) + 1
                if counted:
                    spent[label if label == "floor" else ("bad" if body["grade"] <= 2 else "good")].append(
                        took
                    )
            server_after = postgres_cpu_seconds()
            if counted and server_before is not None and server_after is not None:
                server[label].append(server_after - server_before)
    if profile_to:
        profile.dump_stats(profile_to)
    figures: dict = {
        kind: {"count": len(times), "ms": sum(times) / len(times) * 1000 if times else 0.0,
               "median_ms": statistics.median(times) * 1000 if times else 0.0}
        for kind, times in spent.items()
    }  # fmt: skip
    requests = {"intake": len(spent["good"]) + len(spent["bad"]), "floor": len(spent["floor"])}
    server_cpu = {
        label: sum(blocks) / requests[label] * 1000
        for label, blocks in server.items()
        if blocks and requests[label]
    }
    return {**figures, "intake_statuses": statuses["intake"], "floor_statuses": statuses["floor"],
            "server_cpu": server_cpu}  # fmt: skip
