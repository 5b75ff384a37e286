import logging
from dataclasses import asdict

from celery import shared_task
from django.utils import timezone

from .services.reminders import reminders_send
from .services.sealing import chain_seal
from .services.sms import send_due_sms
from .services.timeouts import timeouts_apply
from .workdays import known_years

logger = logging.getLogger(__name__)

__all__ = ["send_due_sms"]  # defined beside its service


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


@shared_task
def send_rating_reminders() -> int:
    """Queue an SMS reminder for each completed case still unrated after the policy's delay."""
    return reminders_send()


@shared_task
def apply_rating_timeouts() -> dict[str, int]:
    """Record 未评 or default 满意 for each case whose evaluation window closed unrated."""
    return timeouts_apply()


@shared_task
def seal_ratings() -> dict[str, int]:
    """Append hash-chain links for the ratings and rulings not yet sealed, and finished days' digests."""
    return asdict(chain_seal())
