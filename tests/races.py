"""Two clients posting at the same moment to a live server: the races the idempotency tests need.

``post_together`` sends ``times`` POSTs to ``url`` from threads held at a barrier, so they reach the
server together; ``headers`` is called once per request (a signed device request needs its own nonce).
``body`` is every request's, or a list of one body per request.
It returns (status, JSON body) per request, in the order they were answered.
"""

import json
import threading
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any

from django.db import connections


def post_together(
    url: str, body: bytes | list[bytes], headers: Callable[[], dict[str, str]], *, times: int = 2
) -> list[tuple[int, Any]]:
    bodies = body if isinstance(body, list) else [body] * times
    start, answers = threading.Barrier(len(bodies)), []

    def post(body: bytes) -> None:
        request = urllib.request.Request(
            url, data=body, headers={**headers(), "Content-Type": "application/json"}, method="POST"
        )
        try:
            start.wait(timeout=10)
            with urllib.request.urlopen(request, timeout=30) as response:
                answers.append((response.status, json.loads(response.read())))
        except urllib.error.HTTPError as error:
            answers.append((error.code, json.loads(error.read())))
        finally:
            connections.close_all()  # this thread opened none, but never leave one behind

    threads = [threading.Thread(target=post, args=(each,)) for each in bodies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return answers


def bearer(key: str) -> Callable[[], dict[str, str]]:
    return lambda: {"Authorization": f"Bearer {key}"}
