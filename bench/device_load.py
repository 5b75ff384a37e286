"""Load for the device API: C client processes post signed ratings, each send with a NEW nonce and
timestamp (a device retry re-sends the same body and client_id, but signs it afresh)."""

import http.client
import json
import multiprocessing
import random
import secrets
import time
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from bench.load import Outcome, percentile
from devices.auth import signed_headers

PATH = "/api/devices/v1/evaluations"
GRADES = [5, 5, 5, 5, 4, 4, 3, 2, 1]  # roughly the share of grades seen in practice

__all__ = ["Job", "Outcome", "jobs_for", "percentile", "run", "with_retries"]


@dataclass(frozen=True)
class Job:
    serial: str  # the device
    secret: str
    body: bytes


def jobs_for(
    assignments: list[tuple[str, str, str | None]], *, prefix: str | None = None, seed: int = 7
) -> list[Job]:
    """One rating per (device serial, secret, case serial or None for the window's staff)."""
    rng = random.Random(seed)
    prefix = prefix or f"sim-{secrets.token_hex(4)}"
    rated_at = datetime.now().astimezone().isoformat(timespec="seconds")
    jobs = []
    for number, (serial, secret, case) in enumerate(assignments):
        grade = rng.choice(GRADES)
        body: dict = {
            "client_id": f"{prefix}-{number}",
            "grade": grade,
            "tags": [],
            "comment": "等候时间太长" if grade <= 2 else "",
            "rated_at": rated_at,
        }
        if case is not None:
            body["serial_no"] = case
        jobs.append(Job(serial, secret, json.dumps(body, ensure_ascii=False).encode()))
    return jobs


def with_retries(jobs: list[Job], share: float, *, seed: int = 7) -> list[Job]:
    """``jobs`` plus a ``share`` of them again, shuffled: a retry may overtake its original."""
    rng = random.Random(seed)
    everything = jobs + rng.sample(jobs, int(len(jobs) * share))
    rng.shuffle(everything)
    return everything


def _connection(url: str) -> http.client.HTTPConnection:
    parts = urlsplit(url)
    kind = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    return kind(parts.hostname or "127.0.0.1", parts.port, timeout=30)


def _client(args: tuple[str, str, list[Job]]) -> tuple[list[float], dict[int, int]]:
    url, path, jobs = args
    connection = _connection(url)
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    for job in jobs:
        started = time.perf_counter()
        for attempt in range(3):  # a dropped connection is reopened and the request signed again
            headers = signed_headers(
                serial=job.serial, secret=job.secret, method="POST", path=path, body=job.body
            )
            headers["Content-Type"] = "application/json"
            try:
                connection.request("POST", path, job.body, headers)
                response = connection.getresponse()
                response.read()
                break
            except (ConnectionError, http.client.HTTPException):
                connection.close()
                connection = _connection(url)
                if attempt == 2:
                    raise
        latencies.append((time.perf_counter() - started) * 1000)
        statuses[response.status] = statuses.get(response.status, 0) + 1
    connection.close()
    return latencies, statuses


def run(url: str, jobs: list[Job], clients: int) -> Outcome:
    """Send ``jobs`` from ``clients`` processes, each over its own connection; time the whole."""
    path = urlsplit(url).path.rstrip("/") + PATH
    shares = [(url, path, jobs[index::clients]) for index in range(clients)]
    started = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(clients) as pool:
        results = pool.map(_client, shares)
    seconds = time.perf_counter() - started
    statuses: dict[int, int] = {}
    for _, part in results:
        for status, count in part.items():
            statuses[status] = statuses.get(status, 0) + count
    return Outcome(
        latencies_ms=[value for part, _ in results for value in part], statuses=statuses, seconds=seconds
    )
