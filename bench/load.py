"""A small HTTP load generator: C client processes, each with one keep-alive connection."""

import http.client
import json
import multiprocessing
import time
from dataclasses import dataclass

INTAKE_PATH = "/api/v1/evaluations"


@dataclass
class Outcome:
    latencies_ms: list[float]
    statuses: dict[int, int]
    seconds: float


def _client(args: tuple[str, int, str, str, list[dict]]) -> tuple[list[float], dict[int, int], float, float]:
    host, port, key, path, bodies = args
    connection = http.client.HTTPConnection(host, port, timeout=30)
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    first = time.perf_counter()
    for body in bodies:
        payload = json.dumps(body)
        started = time.perf_counter()
        for attempt in range(3):  # a dropped keep-alive connection is reopened, as a device would
            try:
                connection.request("POST", path, payload, headers)
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
    return latencies, statuses, first, time.perf_counter()


def run(host: str, port: int, key: str, bodies: list[dict], clients: int, path: str = INTAKE_PATH) -> Outcome:
    """Post ``bodies`` to ``path`` from ``clients`` processes. ``seconds`` runs from the first request
    to the last answer (perf_counter is the system's monotonic clock, the same in every process), so
    starting the processes is not counted."""
    shares = [bodies[index::clients] for index in range(clients)]
    with multiprocessing.get_context("fork").Pool(clients) as pool:
        results = pool.map(_client, [(host, port, key, path, share) for share in shares])
    latencies = [value for part, _, _, _ in results for value in part]
    statuses: dict[int, int] = {}
    for _, part, _, _ in results:
        for status, count in part.items():
            statuses[status] = statuses.get(status, 0) + count
    seconds = max(end for *_, end in results) - min(start for _, _, start, _ in results)
    return Outcome(latencies_ms=latencies, statuses=statuses, seconds=seconds)


def combined(outcomes: list[Outcome]) -> Outcome:
    """Several rounds of the same load as one: their requests, answers and seconds added up."""
    statuses: dict[int, int] = {}
    for outcome in outcomes:
        for status, count in outcome.statuses.items():
            statuses[status] = statuses.get(status, 0) + count
    latencies = [value for outcome in outcomes for value in outcome.latencies_ms]
    return Outcome(latencies_ms=latencies, statuses=statuses, seconds=sum(o.seconds for o in outcomes))


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]
