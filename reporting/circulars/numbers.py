"""The document number (文号) a draft is prefilled with, from the issuing office's pattern."""

import datetime as dt

from evaluations.models import Region

from .models import Circular, CircularOffice, CircularState

DEFAULT_PATTERN = "〔{year}〕{seq}号"


def office_of(region: Region) -> CircularOffice:
    """The region's issuing-office settings, or the defaults when the admin has set none."""
    return CircularOffice.objects.filter(region=region).first() or CircularOffice(region=region)


def suggested_number(region: Region, today: dt.date) -> str:
    """The office's pattern with this year and the next sequence: 1 + the circulars it froze this year."""
    pattern = office_of(region).number_pattern or DEFAULT_PATTERN
    issued = (
        Circular.objects.filter(region=region, frozen_at__year=today.year)
        .exclude(state=CircularState.DRAFT)
        .count()
    )
    try:
        return pattern.format(year=today.year, seq=issued + 1)
    except (KeyError, IndexError, ValueError):
        return pattern  # a pattern with other braces: the office fills the number in by hand
