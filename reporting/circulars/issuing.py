"""Who issues circulars, and the beat that drafts them on the first working day of the month.

Issuing offices are the management offices of every region at province, city and county level that has
departments in its subtree: Ganzhou art. 20 has the city office report on its counties and the county
offices "相应建立通报制度" for their own; Tianjin art. 25 has the 市 office report on 市 and 区 and each
区 report on its own (Tianjin is a province-level 市, so the province level issues too). Townships and
villages do not: their bad reviews are handled by the county (Ganzhou art. 19) and hall managers report
on their units, not in a region's circular. A policy decides how a region scores, not whether it issues,
so policies play no part here (a county under its city's inherited policy still issues its own).
"""

import datetime as dt

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from evaluations.models import Department, Region
from evaluations.workdays import is_working_day
from reporting.models import Circular

from ..periods import Period
from .service import circular_generate

ISSUING_LEVELS = (Region.Level.PROVINCE, Region.Level.CITY, Region.Level.COUNTY)


def issuing_regions() -> list[Region]:
    """Province-, city- and county-level regions with at least one department in their subtree."""
    departments = Department.objects.filter(region__path__startswith=OuterRef("path"))
    return list(Region.objects.filter(level__in=ISSUING_LEVELS).filter(Exists(departments)).order_by("path"))


def first_working_day_of_month(day: dt.date) -> dt.date | None:
    """The first working day of ``day``'s month, or None if the calendar knows none."""
    candidate = day.replace(day=1)
    while candidate.month == day.month:
        if is_working_day(candidate):
            return candidate
        candidate += dt.timedelta(days=1)
    return None


def circulars_generate_due(today: dt.date | None = None) -> int:
    """From the first working day of a month on, draft last month's circular for every issuing office
    that has none of it yet, so a missed beat run is made up the next day; idempotent."""
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
