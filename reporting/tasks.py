from celery import shared_task

from .rollups.build import rollup_refresh
from .upstream.push import upstream_push


@shared_task
def push_upstream() -> dict[str, int | bool]:
    """Send the due upstream messages; safe to run in several workers at once (rows are claimed)."""
    result = upstream_push()
    return {**result.as_dict(), "disabled": result.disabled}


@shared_task
def refresh_rollups() -> dict[str, int]:
    """Fold new ratings and work-order changes into the daily rollups (every minute on beat)."""
    result = rollup_refresh()
    return {"slices": result.slices, "days": result.days}


@shared_task
def generate_monthly_circulars() -> int:
    """From the first working day of a month: freeze last month's circular for each issuing region that has
    none yet (a day missed by beat is made up the next morning)."""
    from .circulars.service import circulars_generate_due

    return circulars_generate_due()


@shared_task
def run_export(job_id: int) -> None:
    """Write one requested export file in the background, updating its progress as it goes."""
    from .exports.run import export_run

    export_run(job_id)
