"""``python manage.py rollup rebuild --from 2026-10-01 --to 2026-10-31`` | ``rollup refresh``."""

import datetime as dt
import time

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Max, Min

from evaluations.management.arguments import iso_date
from evaluations.models import Evaluation
from reporting.rollups.build import rollup_rebuild, rollup_refresh


class Command(BaseCommand):
    help = "Rebuild the daily rollups for a range of local days, or fold in what changed since the last run."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        rebuild = sub.add_parser(
            "rebuild", help="rebuild whole days (all days with ratings without --from/--to)"
        )
        rebuild.add_argument("--from", dest="first", type=iso_date)
        rebuild.add_argument("--to", dest="last", type=iso_date)
        sub.add_parser("refresh", help="rebuild the slices changed since the last refresh")

    def handle(self, *args, **options) -> None:
        started = time.perf_counter()
        if options["action"] == "refresh":
            result = rollup_refresh()
            self.stdout.write(f"refreshed {result.slices} slices over {result.days} days")
            return
        first, last = options["first"], options["last"]
        if first is None or last is None:
            bounds = Evaluation.objects.aggregate(first=Min("rated_at"), last=Max("rated_at"))
            if bounds["first"] is None:
                self.stdout.write("no ratings: nothing to rebuild")
                return
            first = first or bounds["first"].date() - dt.timedelta(days=1)
            last = last or bounds["last"].date() + dt.timedelta(days=1)
        if last < first:
            raise CommandError("--to is before --from")
        days = rollup_rebuild(first=first, last=last)
        self.stdout.write(f"rebuilt {days} days {first}..{last} in {time.perf_counter() - started:.1f} s")
