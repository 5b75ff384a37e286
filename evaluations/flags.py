"""Burst-flagged ratings: when they count, and what the office's review queue reads.

A rating that arrives in a burst (evaluations/ratelimit.py: many from one window or one address within
two minutes) is written and flagged. It may be 刷评 — someone rating a window again and again — which
the regulations exclude ("排除误评和恶意差评", 国办发〔2019〕51号 五(二)); it may equally be a busy
hall behind one Wi-Fi address, and a real citizen's rating must not be lost ("自愿真实", Tianjin and
Qingdao art. 4). So a flagged rating is

- **held**: out of the figures while nobody has reviewed it, but only until the ``flag_hold_days``-th
  working day after its rating day (the region's ``Policy.flag_hold_days``, default 3) begins, local
  time: at most N working days, and 0 holds nothing. Then it counts without anyone acting, so inaction
  never suppresses a rating;
- **confirmed** by the office (a ``FlagReview`` 确认有效): it counts at once;
- **ruled** 刷评 or 恶意评价 by the office, with a reason: its validity becomes ``ruled`` and it leaves
  every figure (evaluations/services/flags.py writes both).

The rollups (reporting/rollups/) ask ``held_ids`` which ratings to leave out when they build a slice,
and ``released_slices`` which slices a hold ending has changed, so the periodic refresh rebuilds them.
"""

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import Evaluation, FlagReview, User, Validity
from .policies import policy_for_region
from .scope import visible_to
from .workdays import WorkdaySpan

# flag_hold_days is at most 20 working days (Policy): never more than this many calendar days, even
# across the Spring Festival; ratings rated longer ago than this are never held.
HOLD_SPAN = timedelta(days=60)
# Neighbours of a flagged rating: others at the same window or from the same address this close in time.
NEIGHBOUR_SECONDS = 60


def unreviewed() -> QuerySet[Evaluation]:
    """Flagged ratings still valid that the office has not decided on (held or already counting)."""
    return Evaluation.objects.filter(flagged=True, validity=Validity.VALID, flag_review__isnull=True)


def _nth_working_day(span: WorkdaySpan, start: date, n: int) -> date:
    day = start
    while n > 0:
        day += timedelta(days=1)
        n -= span.is_working_day(day)
    return day


def counts_from(evaluations: Iterable[Evaluation]) -> dict[int, datetime]:
    """For each flagged rating (with ``region`` loaded), the moment it counts without a review."""
    rows = list(evaluations)
    if not rows:
        return {}
    days = {row.pk: timezone.localtime(row.rated_at).date() for row in rows}
    span = WorkdaySpan([min(days.values()), max(days.values()) + HOLD_SPAN])
    result = {}
    for row in rows:
        day = _nth_working_day(span, days[row.pk], policy_for_region(row.region).flag_hold_days)
        result[row.pk] = timezone.make_aware(datetime.combine(day, time.min))
    return result


def _candidates(queryset: QuerySet[Evaluation]) -> QuerySet[Evaluation]:
    return queryset.select_related("region").only("pk", "rated_at", "department_id", "region")


def held_ids(
    *, start: datetime, end: datetime, departments: list[int] | None = None, now: datetime | None = None
) -> list[int]:
    """The ratings rated in [start, end) (of ``departments``, or all) held out of the figures at ``now``."""
    now = now or timezone.now()
    if end <= now - HOLD_SPAN:
        return []  # too long ago for any hold (a rebuild of old days asks nothing)
    queryset = unreviewed().filter(rated_at__gte=max(start, now - HOLD_SPAN), rated_at__lt=end)
    if departments is not None:
        queryset = queryset.filter(department_id__in=departments)
    return sorted(pk for pk, moment in counts_from(_candidates(queryset)).items() if now < moment)


def released_slices(*, since: datetime, now: datetime) -> set[tuple[date, int]]:
    """(local day, department) of the ratings whose hold ended in [since, now]: those slices changed."""
    queryset = unreviewed().filter(rated_at__lte=now)
    if since - datetime.min.replace(tzinfo=since.tzinfo) > HOLD_SPAN:
        queryset = queryset.filter(rated_at__gte=since - HOLD_SPAN)
    rows = list(_candidates(queryset))
    moments = counts_from(rows)
    return {
        (timezone.localtime(row.rated_at).date(), row.department_id)
        for row in rows
        if since <= moments[row.pk] <= now
    }


# --- the review queue -------------------------------------------------------------------------------


def queue(user: User) -> QuerySet[Evaluation]:
    """The flagged ratings ``user`` may review, oldest first."""
    related = ("window__hall", "staff", "department", "matter", "region", "record")
    return visible_to(user, unreviewed().select_related(*related)).order_by("rated_at", "pk")


def decisions(user: User) -> QuerySet[FlagReview]:
    """The decisions taken on flagged ratings ``user`` may see, newest first."""
    related = ("evaluation__window__hall", "evaluation__department", "evaluation__staff", "decided_by")
    return visible_to(user, FlagReview.objects.select_related(*related)).order_by("-decided_at", "-pk")


@dataclass(frozen=True)
class Neighbour:
    evaluation: Evaluation
    same_window: bool
    same_address: bool


def neighbours(user: User, flagged: list[Evaluation]) -> dict[int, list[Neighbour]]:
    """For each flagged rating, the ratings ``user`` may see at its window or from its address within
    NEIGHBOUR_SECONDS of it (one query for a whole page)."""
    near = timedelta(seconds=NEIGHBOUR_SECONDS)
    condition = Q()
    for row in flagged:
        moments = {"rated_at__gte": row.rated_at - near, "rated_at__lte": row.rated_at + near}
        if row.window_id is not None:
            condition |= Q(window_id=row.window_id, **moments)
        if row.ip_address:
            condition |= Q(ip_address=row.ip_address, **moments)
    result: dict[int, list[Neighbour]] = {row.pk: [] for row in flagged}
    if not condition:
        return result
    found = list(
        visible_to(user, Evaluation.objects.filter(condition).select_related("window", "staff"))
        .select_related("flag_review")
        .order_by("rated_at", "pk")
    )
    for row in flagged:
        for other in found:
            if other.pk == row.pk or abs(other.rated_at - row.rated_at) > near:
                continue
            same_window = row.window_id is not None and other.window_id == row.window_id
            same_address = bool(row.ip_address) and other.ip_address == row.ip_address
            if same_window or same_address:
                result[row.pk].append(Neighbour(other, same_window, same_address))
    return result


def masked_address(address: str | None) -> str:
    """An address as the queue shows it: enough to tell two apart, not enough to find the person."""
    if not address:
        return ""
    parsed = ipaddress.ip_address(address)
    if parsed.version == 4:
        a, b, _c, _d = address.split(".")
        return f"{a}.{b}.*.*"
    return ":".join(parsed.exploded.split(":")[:3]) + ":…"
