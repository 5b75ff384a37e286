from celery import shared_task

from .upstream.push import upstream_push


@shared_task
def push_upstream() -> dict[str, int | bool]:
    """Send the due upstream messages; safe to run in several workers at once (rows are claimed)."""
    result = upstream_push()
    return {**result.as_dict(), "disabled": result.disabled}
