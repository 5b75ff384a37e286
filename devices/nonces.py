"""Seen device nonces, kept in PostgreSQL so that the signed device API never depends on Redis.

A nonce is claimed with one ``INSERT … ON CONFLICT`` statement: of two requests carrying the same
nonce exactly one gets a row back, whichever process or thread they run in, and an expired row is
taken over in the same statement. Expired rows are deleted by every PRUNE_EVERY-th claim of a
process, so the table holds about NONCE_TTL seconds of traffic whether or not Celery runs.

Why PostgreSQL always, and not Redis with a fallback: one store cannot see the nonces the other one
took, so a switch in either direction would open a replay window as long as the TTL. The claim is one
indexed INSERT on the connection the request already holds. The table is UNLOGGED: its commits need no
WAL flush, which makes a claim cost what Redis's SET NX costs (measured on the shared 2-core machine,
3,000 claims each way, two rounds: 0.4-1.2 ms for both, against 1-3 ms for a logged table). The price:
PostgreSQL empties an unlogged table after a crash, so requests of the last ten minutes before a
database crash could be replayed once; a replayed rating still finds its ``client_id`` and makes no row.

The table is not a model (a nonce is never read through the ORM); migration devices 0003 creates it
from CREATE_SQL.
"""

import itertools
from datetime import datetime, timedelta

from django.db import connection

TABLE = "devices_seen_nonce"
PRUNE_EVERY = 200

_claims = itertools.count(1)

CREATE_SQL = f"""
CREATE UNLOGGED TABLE IF NOT EXISTS {TABLE} (
    nonce_key varchar(200) PRIMARY KEY,
    expires timestamptz NOT NULL
)
"""
DROP_SQL = f"DROP TABLE IF EXISTS {TABLE}"
_CLAIM = f"""
INSERT INTO {TABLE} AS seen (nonce_key, expires) VALUES (%s, %s)
ON CONFLICT (nonce_key) DO UPDATE SET expires = EXCLUDED.expires WHERE seen.expires <= %s
RETURNING 1
"""
_PRUNE = f"DELETE FROM {TABLE} WHERE expires <= %s"


def nonce_claim(*, serial: str, nonce: str, now: datetime, ttl_seconds: int) -> bool:
    """True the first time ``nonce`` of device ``serial`` is seen within ``ttl_seconds``, else False."""
    key = f"{serial}:{nonce}"
    with connection.cursor() as cursor:
        cursor.execute(_CLAIM, [key, now + timedelta(seconds=ttl_seconds), now])
        claimed = cursor.fetchone() is not None
        if next(_claims) % PRUNE_EVERY == 0:
            cursor.execute(_PRUNE, [now])
    return claimed


def nonces_prune(*, now: datetime) -> int:
    """Delete expired nonces; the number deleted."""
    with connection.cursor() as cursor:
        cursor.execute(_PRUNE, [now])
        return cursor.rowcount
