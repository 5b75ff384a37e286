from celery import shared_task

from .circulars.issuing import circulars_generate_due
from .exports.run import run_export
from .rollups.build import rollup_refresh
from .upstream.push import push_upstream

__all__ = ["push_upstream", "run_export"]  # defined beside their services


@shared_task
def refresh_rollups() -> dict[str, int]:
    """Fold new ratings and work-order changes into the daily rollups (every minute on beat)."""
    result = rollup_refresh()
    return {"slices": result.slices, "days": result.days}


@shared_task
def generate_monthly_circulars() -> int:
    """From the first working day of a month: draft last month's circular for each issuing office that has
    none yet (a day missed by beat is made up the next morning)."""
    return circulars_generate_due()
