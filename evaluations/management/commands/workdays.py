from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from evaluations.calendar_source import FIRST_YEAR, last_known_year, official_deviations
from evaluations.management.arguments import iso_date
from evaluations.models import WorkCalendar
from evaluations.workdays import add_working_days, is_working_day, known_years, working_days_between


class Command(BaseCommand):
    help = "Working-day arithmetic on the holiday calendar, and loading official holiday tables."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="print the N-th working day after DATE")
        add.add_argument("start", type=iso_date)
        add.add_argument("n", type=int)
        between = sub.add_parser("between", help="print the number of working days in (A, B]")
        between.add_argument("a", type=iso_date)
        between.add_argument("b", type=iso_date)
        check = sub.add_parser("is", help="print whether DATE is a working day")
        check.add_argument("day", type=iso_date)
        sync = sub.add_parser(
            "sync", help="load the official table for a range of years from chinese-calendar"
        )
        sync.add_argument("--from-year", type=int, default=FIRST_YEAR)
        sync.add_argument("--to-year", type=int, default=None)

    def handle(self, *args, **options) -> None:
        action = options["action"]
        if action == "add":
            self.stdout.write(add_working_days(options["start"], options["n"]).isoformat())
        elif action == "between":
            self.stdout.write(str(working_days_between(options["a"], options["b"])))
        elif action == "is":
            self.stdout.write("yes" if is_working_day(options["day"]) else "no")
        else:
            self._sync(options["from_year"], options["to_year"] or last_known_year())

    @transaction.atomic
    def _sync(self, first: int, last: int) -> None:
        if first > last:
            raise CommandError(f"chinese-calendar knows years up to {last_known_year()}")
        rows = official_deviations(first, last)
        stored = {row.date: row for row in WorkCalendar.objects.filter(date__year__range=(first, last))}
        created = changed = 0
        # Only rows that differ are written: each write announces its year (evaluations.signals), and the
        # due dates of open work orders across a changed year are recomputed after the commit.
        for day, kind, name in rows:
            row = stored.get(day)
            if row is None:
                WorkCalendar.objects.create(date=day, kind=kind, name=name)
                created += 1
            elif (row.kind, row.name) != (kind, name):
                row.kind, row.name = kind, name
                row.save(update_fields=["kind", "name"])
                changed += 1
        self.stdout.write(
            f"{len(rows)} dates for {first}-{last}, {created} new, {changed} changed; known years now: "
            f"{min(known_years())}-{max(known_years())}"
        )
