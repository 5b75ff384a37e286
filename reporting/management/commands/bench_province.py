"""Benchmark the figures of a province (issue 19 point 3): sustained intake with the rollup refresh and
the upstream push running beside it, the ranking's lag behind intake, upstream messages/s and the
memory of every process. See bench/province_run.py and docs/benchmarks.md."""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from evaluations.services.bulk_intake import BULK_LIMIT


class Command(BaseCommand):
    help = "Sustained intake beside the rollup refresh and the upstream push: lag, messages/s, RSS."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--rate", type=float, default=150.0, help="ratings per second")
        parser.add_argument("--seconds", type=int, default=300, help="how long to rate at that rate")
        parser.add_argument(
            "--backlog", type=int, default=5000, help="ratings whose messages measure the push"
        )
        parser.add_argument("--clients", type=int, default=6)
        parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
        parser.add_argument("--port", type=int, default=8767)
        parser.add_argument(
            "--via",
            choices=("single", "bulk"),
            default="single",
            help="single: POST /api/v1/evaluations per rating; bulk: POST /api/v1/evaluations/bulk",
        )
        parser.add_argument("--batch", type=int, default=50, help="ratings per bulk call (--via bulk)")
        parser.add_argument("--keep", action="store_true", help="keep the benchmark database")
        parser.add_argument("--prepare", type=int, default=0, help="internal: create N cases and a key")
        parser.add_argument("--drain", action="store_true", help="internal: one upstream push pass")

    def handle(self, *args, **options) -> None:
        if options["prepare"]:
            from bench.prepare import main

            main(options["prepare"])
            return
        from bench import province_run

        if options["drain"]:
            province_run.drain(self.stdout.write)
            return
        if not 1 <= options["batch"] <= BULK_LIMIT:
            raise CommandError(f"--batch must be between 1 and {BULK_LIMIT}")
        names = ("rate", "seconds", "backlog", "clients", "workers", "port", "via", "batch", "keep")
        run_options = province_run.Options(**{name: options[name] for name in names})

        def write(line: str) -> None:
            self.stdout.write(line)
            self.stdout.flush()

        if not province_run.run(run_options, write):
            raise CommandError("the benchmark's own checks failed (see above)")
