"""Sealing: append chain links for the ratings and rulings not yet sealed, and the daily digests.

Run by Celery beat every minute (evaluations.tasks.seal_ratings) and by ``manage.py ratings seal``, never
at intake, so intake pays nothing. One run holds a transaction-level advisory lock, so two workers never
interleave and ``sealed_at`` only grows with the link id; it is safe to run twice.

Order: ratings by id, after the last sealed rating; rulings likewise. A rating that appears later with
an id below the last sealed one is "inserted out of order" (``ratings verify`` names it). So that a
rating still being committed is not overtaken, a run stops before the first row newer than
``CHAIN_SEAL_SETTLE_SECONDS`` (by its submitted_at / decided_at): a transaction that takes id n and
commits more than that many seconds later would still be reported out of order (intake's take well
under a second).

A local day's digest (its last link's digest, the day's link count and the running total) is written by
the first run after the day ends.
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from ..chain.canonical import GENESIS, TABLES, VERSION, canonical, fetch_rows, link_digest
from ..days import local_day
from ..models import ChainLink, DailyDigest, LinkKind

LOCK_KEY = 0x68637363  # "hcsc": one lock for every chain write
BATCH = 2000
STAMPS = {LinkKind.RATING: "submitted_at", LinkKind.RULING: "decided_at"}
NO_LIMIT = 2**63 - 1


@dataclass
class SealResult:
    ratings: int = 0
    rulings: int = 0
    digests: int = 0


def _pending_ids(cursor, kind: str, cutoff: dt.datetime, batch: int) -> list[int]:
    last = ChainLink.objects.filter(kind=kind).aggregate(last=Max("ref_id"))["last"] or 0
    table, stamp = TABLES[kind], STAMPS[LinkKind(kind)]
    cursor.execute(
        f"""
        SELECT id FROM {table}
        WHERE id > %(last)s AND id < COALESCE(
            (SELECT min(id) FROM {table} WHERE id > %(last)s AND {stamp} >= %(cutoff)s), %(no_limit)s)
        ORDER BY id LIMIT %(batch)s
        """,
        {"last": last, "cutoff": cutoff, "no_limit": NO_LIMIT, "batch": batch},
    )
    return [row[0] for row in cursor.fetchall()]


def _write_daily_digests(today: dt.date) -> int:
    """One digest for each local day before ``today`` since the last one (or since the first link)."""
    previous = DailyDigest.objects.order_by("-day").first()
    if previous is not None:
        day, total = previous.day + dt.timedelta(days=1), previous.total
    else:
        first = ChainLink.objects.order_by("id").first()
        if first is None:
            return 0
        day, total = timezone.localdate(first.sealed_at), 0
    digests = []
    while day < today:
        start, end = local_day(day)
        links = ChainLink.objects.filter(sealed_at__gte=start, sealed_at__lt=end).count()
        last = ChainLink.objects.filter(sealed_at__lt=end).order_by("-id").first()
        total += links
        digests.append(
            DailyDigest(
                day=day,
                head=last.digest if last else GENESIS,
                last_link=last.pk if last else 0,
                links=links,
                total=total,
            )
        )
        day += dt.timedelta(days=1)
    DailyDigest.objects.bulk_create(digests)
    return len(digests)


def _seal_once(now: dt.datetime | None, batch: int) -> SealResult:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
        at = now or timezone.now()  # read under the lock: sealed_at grows with the link id
        result = SealResult(digests=_write_daily_digests(timezone.localdate(at)))
        last = ChainLink.objects.order_by("-id").first()
        head = last.digest if last else GENESIS
        cutoff = at - dt.timedelta(seconds=settings.CHAIN_SEAL_SETTLE_SECONDS)
        links = []
        for kind in (LinkKind.RATING, LinkKind.RULING):
            ids = _pending_ids(cursor, kind, cutoff, batch)
            rows = fetch_rows(cursor, kind, VERSION, ids)
            for ref_id in ids:
                head = link_digest(head, canonical(kind, VERSION, rows[ref_id]))
                links.append(ChainLink(kind=kind, ref_id=ref_id, version=VERSION, digest=head, sealed_at=at))
            setattr(result, f"{kind}s", len(ids))
        # One multi-row INSERT: the ids follow the list, so a link's id is its position in the chain.
        ChainLink.objects.bulk_create(links, batch_size=len(links) or None)
    return result


def chain_seal(*, now: dt.datetime | None = None, batch: int = BATCH) -> SealResult:
    """Seal everything pending, one transaction per batch; returns what was appended."""
    total = SealResult()
    while True:
        result = _seal_once(now, batch)
        total.ratings += result.ratings
        total.rulings += result.rulings
        total.digests += result.digests
        if result.ratings < batch and result.rulings < batch:
            return total
