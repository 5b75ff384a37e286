from celery import shared_task

from .services.escalation import escalate
from .services.recalendar import recompute_due_dates


@shared_task
def escalate_work_orders() -> dict[str, int]:
    """Warn before due dates and escalate overdue orders; safe to run twice and concurrently."""
    return escalate()


@shared_task
def recompute_calendar_due_dates(years: list[int]) -> int:
    """The holiday calendar of ``years`` changed: count the open orders' dates again; safe to run twice."""
    return recompute_due_dates(years)
