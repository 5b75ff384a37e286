import logging

from celery import shared_task
from django.utils import timezone

from .workdays import known_years

logger = logging.getLogger(__name__)


@shared_task
def check_next_year_calendar() -> bool:
    """Warn (in the worker log) while next year's holiday table is missing; True when it is present."""
    next_year = timezone.localdate().year + 1
    if next_year in known_years():
        return True
    logger.warning(
        "Holiday table for %s is missing: deadlines in %s are counted Monday-Friday until it is entered "
        "in the admin (工作日历) or loaded with `manage.py workdays sync`.",
        next_year,
        next_year,
    )
    return False
