from celery import shared_task

from .services.escalation import escalate


@shared_task
def escalate_work_orders() -> dict[str, int]:
    """Warn before due dates and escalate overdue orders; safe to run twice and concurrently."""
    return escalate()
