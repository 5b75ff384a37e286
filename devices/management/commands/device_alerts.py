"""Run the device alert checks once (what the beat task does every minute), e.g. from cron."""

from django.core.management.base import BaseCommand

from ...services.alerts import alerts_check


class Command(BaseCommand):
    help = "Raise the due alerts: devices offline during opening hours, bursts of bad ratings at a window."

    def handle(self, *args, **options) -> None:
        counts = alerts_check()
        self.stdout.write(
            "offline alerts: {offline}, burst alerts: {burst}, devices re-armed: {rearmed}".format(**counts)
        )
