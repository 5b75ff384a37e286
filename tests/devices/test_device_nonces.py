"""Seen device nonces in PostgreSQL (DESIGN §7 signed requests; issue 14 point 3: the device API must
not depend on Redis): a nonce is accepted once within its TTL, by however many workers at once."""

import threading
from datetime import timedelta
from uuid import uuid4

import pytest
from django.db import connection, connections
from django.utils import timezone

from devices.nonces import TABLE, nonce_claim, nonces_prune

pytestmark = pytest.mark.django_db

TTL = 600


def test_design_s7_a_nonce_is_accepted_once_within_its_ttl_and_again_after_it():
    nonce, now = uuid4().hex, timezone.now()
    assert nonce_claim(serial="EV-1", nonce=nonce, now=now, ttl_seconds=TTL) is True
    assert (
        nonce_claim(serial="EV-1", nonce=nonce, now=now + timedelta(seconds=TTL - 1), ttl_seconds=TTL)
        is False
    )
    assert nonce_claim(serial="EV-2", nonce=nonce, now=now, ttl_seconds=TTL) is True  # another device's
    later = now + timedelta(seconds=TTL)
    assert nonce_claim(serial="EV-1", nonce=nonce, now=later, ttl_seconds=TTL) is True  # expired, taken over
    assert nonce_claim(serial="EV-1", nonce=nonce, now=later, ttl_seconds=TTL) is False


def test_design_s7_of_many_workers_sending_one_nonce_exactly_one_gets_through():
    nonce, now, results = uuid4().hex, timezone.now(), []
    start = threading.Barrier(6)

    def worker() -> None:
        try:
            start.wait()
            results.append(nonce_claim(serial="EV-1", nonce=nonce, now=now, ttl_seconds=TTL))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False] * 5 + [True]


def test_design_s7_pruning_deletes_only_expired_nonces():
    now, old, fresh = timezone.now(), uuid4().hex, uuid4().hex
    nonce_claim(serial="EV-1", nonce=old, now=now - timedelta(seconds=TTL + 1), ttl_seconds=TTL)
    nonce_claim(serial="EV-1", nonce=fresh, now=now, ttl_seconds=TTL)
    nonces_prune(now=now)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT nonce_key FROM {TABLE} WHERE nonce_key IN (%s, %s)", [f"EV-1:{old}", f"EV-1:{fresh}"]
        )
        assert [row[0] for row in cursor.fetchall()] == [f"EV-1:{fresh}"]
