from celery import shared_task

from .services.alerts import alerts_check


@shared_task
def check_device_alerts() -> dict[str, int]:
    """Offline devices during opening hours and bursts of bad ratings; each alert is raised once."""
    return alerts_check()
