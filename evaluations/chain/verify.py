"""Recomputing the hash chain, the daily digests and the cached outcomes (``manage.py ratings verify``).

Each link is recomputed from its row as it is now and the previous link's stored digest, so one altered
rating is named alone rather than every link after it. Found: a rating (or ruling) altered, removed,
or inserted out of order (not sealed, yet its id is below the last sealed one); a daily digest that does
not match the links or a day missing between two digests; a rating whose cached validity is not its
latest ruling's. What it cannot find: an owner who recomputes the whole chain and every digest after a
change; the digest printed on the published circular is the check against that (README 评价数据校验链).
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..days import local_day
from ..models import ChainLink, DailyDigest, LinkKind, Validity
from .canonical import GENESIS, TABLES, canonical, fetch_rows, link_digest

CHUNK = 5000
NAMES = {LinkKind.RATING: gettext_lazy("评价"), LinkKind.RULING: gettext_lazy("认定")}


@dataclass
class Problem:
    code: str  # altered, removed, out_of_order, digest, missing_day, outcome
    message: str
    ref_id: int | None = None


@dataclass
class VerifyReport:
    first: dt.date | None
    last: dt.date | None
    links: int = 0
    first_link: int | None = None
    last_link: int | None = None
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    digests: int = 0
    outcomes: int = 0
    pending: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    ref_range: dict[str, tuple[int, int]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems


def _name(kind: str, ref_id: int) -> str:
    return f"{NAMES[LinkKind(kind)]} #{ref_id}"


def _check_links(report: VerifyReport, links, previous: str) -> None:
    last_id = 0
    with connection.cursor() as cursor:
        while chunk := list(links.filter(id__gt=last_id).order_by("id")[:CHUNK]):
            wanted: dict[tuple[str, int], list[int]] = defaultdict(list)
            for link in chunk:
                wanted[(link.kind, link.version)].append(link.ref_id)
            rows = {key: fetch_rows(cursor, key[0], key[1], ids) for key, ids in wanted.items()}
            for link in chunk:
                row = rows[(link.kind, link.version)].get(link.ref_id)
                name = _name(link.kind, link.ref_id)
                if row is None:
                    message = _("%(name)s 已被删除：校验链第 %(link)d 环所封存的记录不存在。")
                    report.problems.append(
                        Problem("removed", message % {"name": name, "link": link.pk}, link.ref_id)
                    )
                elif link_digest(previous, canonical(link.kind, link.version, row)) != link.digest:
                    message = _("%(name)s 已被改动：按现有内容重新计算的校验码与校验链第 %(link)d 环不符。")
                    report.problems.append(
                        Problem("altered", message % {"name": name, "link": link.pk}, link.ref_id)
                    )
                previous = link.digest
                report.counts[link.kind] += 1
                low, high = report.ref_range.get(link.kind, (link.ref_id, link.ref_id))
                report.ref_range[link.kind] = (min(low, link.ref_id), max(high, link.ref_id))
            report.links += len(chunk)
            report.first_link = report.first_link or chunk[0].pk
            report.last_link = last_id = chunk[-1].pk


def _check_order(report: VerifyReport, whole: bool) -> None:
    """Rows below the last sealed id of their kind that no link seals: inserted out of order."""
    with connection.cursor() as cursor:
        for kind, (low, high) in report.ref_range.items():
            cursor.execute(
                f"""SELECT t.id FROM {TABLES[kind]} t WHERE t.id >= %s AND t.id < %s AND NOT EXISTS (
                    SELECT 1 FROM evaluations_chainlink l WHERE l.kind = %s AND l.ref_id = t.id)
                    ORDER BY t.id LIMIT 10""",
                [0 if whole else low, high, kind],
            )
            for (ref_id,) in cursor.fetchall():
                message = _("%(name)s 插入顺序异常：不在校验链中，编号却小于已封存的%(kind)s #%(last)d。")
                params = {"name": _name(kind, ref_id), "kind": NAMES[LinkKind(kind)], "last": high}
                report.problems.append(Problem("out_of_order", message % params, ref_id))


def _pending(report: VerifyReport) -> None:
    with connection.cursor() as cursor:
        for kind in LinkKind:
            cursor.execute(
                f"""SELECT count(*) FROM {TABLES[kind]} WHERE id > COALESCE(
                    (SELECT max(ref_id) FROM evaluations_chainlink WHERE kind = %s), 0)""",
                [kind.value],
            )
            report.pending[kind.value] = cursor.fetchone()[0]


def _check_digests(report: VerifyReport) -> None:
    digests = DailyDigest.objects.order_by("day")
    if report.first:
        digests = digests.filter(day__gte=report.first)
    if report.last:
        digests = digests.filter(day__lte=report.last)
    expected_day, total = None, None
    for digest in digests:
        start, end = local_day(digest.day)
        if expected_day is not None and digest.day != expected_day:
            message = _("缺少 %(day)s 的每日校验码。") % {"day": expected_day.isoformat()}
            report.problems.append(Problem("missing_day", message))
        links = ChainLink.objects.filter(sealed_at__gte=start, sealed_at__lt=end).count()
        if total is None:
            total = ChainLink.objects.filter(sealed_at__lt=end).count()
        else:
            total += links
        head = ChainLink.objects.filter(sealed_at__lt=end).order_by("-id").first()
        found = (head.digest if head else GENESIS, head.pk if head else 0, links, total)
        if found != (digest.head, digest.last_link, digest.links, digest.total):
            message = _(
                "%(day)s 的每日校验码与校验链不符"
                "（记录为第 %(stored)d 环、%(n)d 条，重新计算为第 %(link)d 环、%(m)d 条）。"
            )
            params = {"day": digest.day.isoformat(), "stored": digest.last_link, "n": digest.total}
            report.problems.append(Problem("digest", message % {**params, "link": found[1], "m": total}))
        report.digests += 1
        expected_day = digest.day + dt.timedelta(days=1)


OUTCOMES = """
SELECT e.id, e.validity, COALESCE(r.outcome, %(valid)s) FROM evaluations_evaluation e
LEFT JOIN (SELECT DISTINCT ON (evaluation_id) evaluation_id, outcome, reason, decided_at
           FROM evaluations_ruling ORDER BY evaluation_id, id DESC) r ON r.evaluation_id = e.id
WHERE e.id BETWEEN %(low)s AND %(high)s
  AND (r.evaluation_id IS NOT NULL OR e.validity <> %(valid)s OR e.validity_reason <> ''
       OR e.validity_changed_at IS NOT NULL)
  AND ROW(e.validity, e.validity_reason, e.validity_changed_at) IS DISTINCT FROM
      ROW(COALESCE(r.outcome, %(valid)s), COALESCE(r.reason, ''), r.decided_at)
ORDER BY e.id LIMIT 10
"""
OUTCOMES_COUNTED = (
    "SELECT count(DISTINCT evaluation_id) FROM evaluations_ruling WHERE evaluation_id BETWEEN %s AND %s"
)


def _check_outcomes(report: VerifyReport, whole: bool) -> None:
    """Each rating's cached validity equals its latest ruling's outcome (``valid`` without a ruling)."""
    low, high = report.ref_range.get(LinkKind.RATING, (0, 0))
    low, high = (0, 2**63 - 1) if whole else (low, high)
    with connection.cursor() as cursor:
        cursor.execute(OUTCOMES, {"valid": Validity.VALID.value, "low": low, "high": high})
        for ref_id, cached, ruled in cursor.fetchall():
            message = _("评价 #%(id)d 的有效性（%(cached)s）与其最后一次认定（%(ruled)s）不符。")
            params = {"id": ref_id, "cached": Validity(cached).label, "ruled": Validity(ruled).label}
            report.problems.append(Problem("outcome", message % params, ref_id))
        cursor.execute(OUTCOMES_COUNTED, [low, high])
        report.outcomes = cursor.fetchone()[0]


def chain_verify(*, first: dt.date | None = None, last: dt.date | None = None) -> VerifyReport:
    """Check the links sealed on the local days first..last (all when not given), and what hangs on them."""
    report = VerifyReport(first=first, last=last)
    links = ChainLink.objects.all()
    previous = GENESIS
    if first:
        start = local_day(first)[0]
        links = links.filter(sealed_at__gte=start)
        anchor = ChainLink.objects.filter(sealed_at__lt=start).order_by("-id").first()
        previous = anchor.digest if anchor else GENESIS
    if last:
        links = links.filter(sealed_at__lt=local_day(last)[1])
    whole = first is None and last is None
    _check_links(report, links, previous)
    _check_order(report, whole)
    _check_digests(report)
    _check_outcomes(report, whole)
    _pending(report)
    return report
