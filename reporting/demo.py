"""Demo reports: fold the demo ratings into the rollups, then freeze and publish the circulars of the
last complete months, so the dashboard, the rankings and the public pages have something to show."""

from evaluations.models import Region, Role, User

from .periods import Period
from .rollups.build import rollup_refresh

DEMO_CIRCULAR_MONTHS = 2


def seed_reports(sender=None, months: int = 0, **kwargs) -> int:
    from .circulars.service import circular_freeze, circular_generate, circular_publish
    from .models import Circular

    rollup_refresh()
    office = User.objects.filter(role=Role.SYSADMIN).first()
    period = Period.last_complete_month()
    made = 0
    for _ in range(min(months, DEMO_CIRCULAR_MONTHS)):
        for region in Region.objects.filter(parent__isnull=True):
            if Circular.objects.filter(region=region, period=str(period)).exists():
                continue  # safe to run twice
            draft = circular_generate(region=region, period=period, by=office)
            circular_publish(circular=circular_freeze(circular=draft, by=office), by=office)
            made += 1
        period = period.previous()
    return made
