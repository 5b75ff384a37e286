"""Writing circulars: freeze a month's figures and rankings (Tianjin art. 23-26), publish them.

A circular's ``data`` is computed once from the rollups and stored; the database refuses to change it
afterwards (migration 0003). Generating the same month again writes the next version beside it.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from evaluations.models import Region, User
from evaluations.policies import policy_for_region
from evaluations.workdays import is_working_day
from reporting.models import Circular

from ..periods import Period
from ..rankings import LEVELS, Ranking, Row, Scope, build_ranking
from ..rankings.units import totals_by_unit
from ..scoring import Scale, Totals, figures
from .chain import closing_digest

# The levels a circular ranks, in the order the pages and the workbook show them.
CIRCULAR_LEVELS = tuple(LEVELS)
DEEPEST_REGION_LEVEL = 5


def _row(row: Row) -> dict:
    return {
        "code": row.code,
        "name": row.name,
        "rank": row.rank,
        "previous_rank": row.previous_rank,
        "low": row.low,
        "sample": row.sample,
        "figures": row.figures.as_dict(),
    }


def _ranking(ranking: Ranking) -> dict:
    return {"rows": [_row(r) for r in ranking.rows], "unranked": [_row(r) for r in ranking.unranked]}


def circular_snapshot(region: Region, period: Period) -> tuple[dict, dict]:
    """(policy, data) of ``region`` for ``period``, read from the rollups as they are now."""
    policy = policy_for_region(region)
    scale = Scale.from_policy(policy)
    scope = Scope.for_region(region)
    departments = totals_by_unit("department", period, scope)
    summary = figures(sum(departments.values(), Totals()), scale)
    rankings = {}
    for level in CIRCULAR_LEVELS:
        if level == "region" and scope.depth >= DEEPEST_REGION_LEVEL:
            continue  # a village has no region below it
        rankings[level] = _ranking(build_ranking(level, period, scope, scale))
    policy_data = {
        **scale.as_dict(),
        "preset": policy.preset,
        "preset_label": str(policy.get_preset_display()),
        "source_region": policy.region.code if policy.region_id else None,
    }
    data = {
        "region": {"code": region.code, "name": region.name, "level": region.level},
        "period": str(period),
        "summary": summary.as_dict(),
        "rankings": rankings,
        "chain": closing_digest(period),  # 数据校验码 (reporting/circulars/chain.py)
        "generated_at": timezone.localtime().isoformat(),
    }
    return policy_data, data


def circular_generate(*, region: Region, period: Period, by: User | None = None) -> Circular:
    """Freeze ``period`` for ``region`` as a new version (1 for the first, then max + 1)."""
    if period.kind != "month":
        raise ValidationError(_("月度通报只能按月生成。"))
    if period.last >= timezone.localdate():
        raise ValidationError(_("只能生成已经结束的月份的通报。"))
    with transaction.atomic():
        # The region row lock serialises generators of one region, so versions never collide.
        Region.objects.select_for_update().filter(pk=region.pk).first()
        latest = (
            Circular.objects.filter(region=region, period=str(period))
            .order_by("-version")
            .values_list("version", flat=True)
            .first()
        )
        policy, data = circular_snapshot(region, period)
        return Circular.objects.create(
            region=region,
            period=str(period),
            version=(latest or 0) + 1,
            policy=policy,
            data=data,
            created_by=by,
        )


def circular_publish(*, circular: Circular, by: User | None) -> Circular:
    """Show ``circular`` on the public pages (好差评专区). Publishing twice keeps the first time."""
    with transaction.atomic():
        locked = Circular.objects.select_for_update().get(pk=circular.pk)
        if locked.published_at is None:
            locked.published_at = timezone.now()
            locked.published_by = by
            locked.save(update_fields=["published_at", "published_by"])
    circular.published_at, circular.published_by = locked.published_at, locked.published_by
    return circular


def issuing_regions() -> list[Region]:
    """Regions that issue circulars: those with a policy of their own, else the top-level regions."""
    regions = list(Region.objects.filter(policy__isnull=False).order_by("code"))
    return regions or list(Region.objects.filter(parent__isnull=True).order_by("code"))


def first_working_day_of_month(day: dt.date) -> dt.date | None:
    """The first working day of ``day``'s month, or None if the calendar knows none."""
    candidate = day.replace(day=1)
    while candidate.month == day.month:
        if is_working_day(candidate):
            return candidate
        candidate += dt.timedelta(days=1)
    return None


def circulars_generate_due(today: dt.date | None = None) -> int:
    """From the first working day of a month on, freeze last month for every issuing region that has
    no circular of it yet, so a missed beat run is made up the next day; idempotent."""
    today = today or timezone.localdate()
    first = first_working_day_of_month(today)
    if first is None or today < first:
        return 0
    period = Period.month_of(today).previous()
    made = 0
    for region in issuing_regions():
        with transaction.atomic():
            Region.objects.select_for_update().filter(pk=region.pk).first()
            if Circular.objects.filter(region=region, period=str(period)).exists():
                continue
            circular_generate(region=region, period=period)
            made += 1
    return made
