"""A paced HTTP load: ratings at a fixed rate (say 150/s) for as long as there are bodies, not as fast
as possible. Each call is due at its slot on a shared clock — one rating alone (``POST
/api/v1/evaluations``, body i at start + i / rate) or, with a batch size B, B ratings in one ``POST
/api/v1/evaluations/bulk`` (batch k holds bodies kB … kB+B-1 and is due at start + kB / rate, the slot of
its first rating), as a portal or business system syncing in batches sends them. C client processes
each take every C-th call, so a slow answer delays only that client's next calls and the schedule
catches up afterwards; how far behind the schedule a call was sent is reported.

Statuses are counted per rating: a single call's HTTP status, or each bulk item's own ``status``; a
bulk call not answered 200 counts its HTTP status for every item it carried.
"""

import http.client
import json
import multiprocessing
import time
from dataclasses import dataclass, field

PATH = "/api/v1/evaluations"
BULK_PATH = "/api/v1/evaluations/bulk"

Slot = tuple[float, list[dict]]  # (seconds after the start, the ratings of one call)


@dataclass
class Paced:
    statuses: dict[int, int] = field(default_factory=dict)  # per rating
    calls: dict[int, int] = field(default_factory=dict)  # per HTTP call
    latencies_ms: list[float] = field(default_factory=list)  # per call
    seconds: float = 0.0
    worst_behind_s: float = 0.0  # the furthest a call was sent after its slot


def slots(bodies: list[dict], rate: float, batch: int | None) -> list[Slot]:
    """The calls on the paced clock: one rating each (``batch`` None) or consecutive batches of ``batch``."""
    size = batch or 1
    return [(start / rate, bodies[start : start + size]) for start in range(0, len(bodies), size)]


def request_of(items: list[dict], bulk: bool) -> tuple[str, bytes]:
    """The path and body of one call: the rating itself, or the bulk endpoint's array of items."""
    if bulk:
        return BULK_PATH, json.dumps(items, ensure_ascii=False).encode()
    (body,) = items
    return PATH, json.dumps(body, ensure_ascii=False).encode()


def item_statuses(status: int, answer: bytes, items: int, bulk: bool) -> list[int]:
    """The status of every rating of one call (see the module's docstring)."""
    if not bulk or status != 200:
        return [status] * items
    results = json.loads(answer)
    if not isinstance(results, list) or len(results) != items:
        return [0] * items  # not the per-item answer: counted as unanswered, so the checks fail
    return [int(result["status"]) for result in results]


def _client(args: tuple[str, int, str, list[Slot], float, bool]) -> Paced:
    host, port, key, mine, start, bulk = args
    timeout = 120 if bulk else 30
    connection = http.client.HTTPConnection(host, port, timeout=timeout)
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    outcome = Paced()
    for offset, items in mine:
        wait = start + offset - time.time()
        if wait > 0:
            time.sleep(wait)
        else:
            outcome.worst_behind_s = max(outcome.worst_behind_s, -wait)
        path, payload = request_of(items, bulk)
        started = time.perf_counter()
        for attempt in range(3):  # a dropped keep-alive connection is reopened
            try:
                connection.request("POST", path, payload, headers)
                response = connection.getresponse()
                answer = response.read()
                break
            except (ConnectionError, http.client.HTTPException):
                connection.close()
                connection = http.client.HTTPConnection(host, port, timeout=timeout)
                if attempt == 2:
                    raise
        outcome.latencies_ms.append((time.perf_counter() - started) * 1000)
        outcome.calls[response.status] = outcome.calls.get(response.status, 0) + 1
        for status in item_statuses(response.status, answer, len(items), bulk):
            outcome.statuses[status] = outcome.statuses.get(status, 0) + 1
    connection.close()
    return outcome


def run(
    host: str, port: int, key: str, bodies: list[dict], rate: float, clients: int, batch: int | None = None
) -> Paced:
    """Send ``bodies`` at ``rate`` ratings per second from ``clients`` processes, alone or ``batch`` to a
    bulk call; returns when all are answered."""
    start = time.time() + 1.0  # every process is forked and connected before the first slot
    due = slots(bodies, rate, batch)
    shares = [(host, port, key, due[number::clients], start, batch is not None) for number in range(clients)]
    with multiprocessing.get_context("fork").Pool(clients) as pool:
        results = pool.map(_client, shares)
    outcome = Paced(seconds=time.time() - start)
    for part in results:
        for status, count in part.statuses.items():
            outcome.statuses[status] = outcome.statuses.get(status, 0) + count
        for status, count in part.calls.items():
            outcome.calls[status] = outcome.calls.get(status, 0) + count
        outcome.latencies_ms += part.latencies_ms
        outcome.worst_behind_s = max(outcome.worst_behind_s, part.worst_behind_s)
    return outcome
