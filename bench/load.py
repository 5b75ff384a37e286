"""A small HTTP load generator: C client processes, each with one keep-alive connection."""

import http.client
import json
import multiprocessing
import time
from dataclasses import dataclass


@dataclass
class Outcome:
    latencies_ms: list[float]
    statuses: dict[int, int]
    seconds: float


def _client(args: tuple[str, int, str, list[dict]]) -> tuple[list[float], dict[int, int]]:
    host, port, key, bodies = args
    connection = http.client.HTTPConnection(host, port, timeout=30)
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    for body in bodies:
        payload = json.dumps(body)
        started = time.perf_counter()
        for attempt in range(3):  # a dropped keep-alive connection is reopened, as a device would
            try:
                connection.request("POST", "/api/v1/evaluations", payload, headers)
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
    return latencies, statuses


def run(host: str, port: int, key: str, bodies: list[dict], clients: int) -> Outcome:
    shares = [bodies[index::clients] for index in range(clients)]
    started = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(clients) as pool:
        results = pool.map(_client, [(host, port, key, share) for share in shares])
    seconds = time.perf_counter() - started
    latencies = [value for part, _ in results for value in part]
    statuses: dict[int, int] = {}
    for _, part in results:
        for status, count in part.items():
            statuses[status] = statuses.get(status, 0) + count
    return Outcome(latencies_ms=latencies, statuses=statuses, seconds=seconds)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]
