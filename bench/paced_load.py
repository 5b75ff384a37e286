"""A paced HTTP load: ratings at a fixed rate (say 150/s) for as long as there are bodies, not as fast
as possible. C client processes each take every C-th body and send it at its slot on a shared clock
(body i at start + i / rate), so a slow answer delays only that client's next requests and the
schedule catches up afterwards; how far behind the schedule a client fell is reported.
"""

import http.client
import json
import multiprocessing
import time
from dataclasses import dataclass, field

PATH = "/api/v1/evaluations"


@dataclass
class Paced:
    statuses: dict[int, int] = field(default_factory=dict)
    latencies_ms: list[float] = field(default_factory=list)
    seconds: float = 0.0
    worst_behind_s: float = 0.0  # the furthest a request was sent after its slot


def _client(args: tuple[str, int, str, list[tuple[float, dict]], float]) -> tuple[dict, list[float], float]:
    host, port, key, slots, start = args
    connection = http.client.HTTPConnection(host, port, timeout=30)
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    statuses: dict[int, int] = {}
    latencies: list[float] = []
    behind = 0.0
    for offset, body in slots:
        wait = start + offset - time.time()
        if wait > 0:
            time.sleep(wait)
        else:
            behind = max(behind, -wait)
        payload = json.dumps(body)
        started = time.perf_counter()
        for attempt in range(3):  # a dropped keep-alive connection is reopened
            try:
                connection.request("POST", PATH, payload, headers)
                response = connection.getresponse()
                response.read()
                break
            except (ConnectionError, http.client.HTTPException):
                connection.close()
                connection = http.client.HTTPConnection(host, port, timeout=30)
                if attempt == 2:
                    raise
        latencies.append((time.perf_counter() - started) * 1000)
        statuses[response.status] = statuses.get(response.status, 0) + 1
    connection.close()
    return statuses, latencies, behind


def run(host: str, port: int, key: str, bodies: list[dict], rate: float, clients: int) -> Paced:
    """Send ``bodies`` at ``rate`` per second from ``clients`` processes; returns when all are answered."""
    start = time.time() + 1.0  # every process is forked and connected before the first slot
    slots = [(index / rate, body) for index, body in enumerate(bodies)]
    shares = [(host, port, key, slots[number::clients], start) for number in range(clients)]
    with multiprocessing.get_context("fork").Pool(clients) as pool:
        results = pool.map(_client, shares)
    outcome = Paced(seconds=time.time() - start)
    for statuses, latencies, behind in results:
        for status, count in statuses.items():
            outcome.statuses[status] = outcome.statuses.get(status, 0) + count
        outcome.latencies_ms += latencies
        outcome.worst_behind_s = max(outcome.worst_behind_s, behind)
    return outcome
