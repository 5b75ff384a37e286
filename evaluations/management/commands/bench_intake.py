"""Benchmark intake through the real HTTP stack: gunicorn + the records API's POST /api/v1/evaluations.

It builds a throw-away database (<name>_bench), serves it with gunicorn on loopback, runs one mode
against it, measures pgbench's raw INSERT rate of the same row shape in the same run, prints the
figures and the benchmark's own checks (exact counts stored, none doubled; a failed check fails the
command), and drops the database (bench/intake_run.py).

Modes (``MODES``, ``--mode``): ``records`` (bench/intake_records.py) sends N ratings with a share of
retries to the intake and the same bodies to the floor endpoint in the same server, and prints
intake : floor beside intake : pgbench; ``cpu`` (bench/intake_cpu.py) the CPU time per request of both,
in one process, which other load on the machine barely moves; ``bulk`` (bench/bulk.py, also
``--bulk``) POST /api/v1/evaluations/bulk in batches of ``--batch``. A mode is ``run(Context) -> Measured``.
"""

import json

from django.core.management.base import BaseCommand, CommandParser

from bench import bulk, intake_cpu, intake_records
from bench.intake_run import Mode, run

MODES: dict[str, Mode] = {"records": intake_records.run, "cpu": intake_cpu.run, "bulk": bulk.run}


class Command(BaseCommand):
    help = "Benchmark rating intake through gunicorn and the JSON API against the floor and pgbench."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--mode", choices=sorted(MODES), default="records")
        parser.add_argument("--ratings", type=int, default=5000)
        parser.add_argument("--clients", type=int, default=6)
        parser.add_argument("--duplicates", type=float, default=0.3, help="share of retried requests")
        parser.add_argument("--warmup", type=int, default=60, help="ratings sent before the measured ones")
        parser.add_argument(
            "--rounds", type=int, default=4, help="intake and floor alternate this many times"
        )
        parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes (one per core)")
        parser.add_argument("--port", type=int, default=8765)
        parser.add_argument("--keep", action="store_true", help="keep the benchmark database")
        parser.add_argument(
            "--driver", choices=("python", "wrk"), default="python",
            help="python: N ratings from client processes, exact count check; wrk: a C load generator "
            "that leaves the 2 cores to the server, for --seconds",
        )  # fmt: skip
        parser.add_argument("--seconds", type=int, default=20, help="wrk: duration of each run")
        parser.add_argument("--cpu-inside", type=int, default=0, help="internal: the cpu mode's measurement")
        parser.add_argument(
            "--prepare", type=int, default=0, help="internal: create N cases in this database"
        )
        parser.add_argument(
            "--bulk", dest="mode", action="store_const", const="bulk",
            help="the same as --mode bulk (bench/bulk.py): POST /api/v1/evaluations/bulk",
        )  # fmt: skip
        parser.add_argument("--batch", type=int, default=500, help="bulk: items a call (at most 500)")

    def handle(self, *args, **options) -> None:
        if options["prepare"]:
            from bench.prepare import main

            main(options["prepare"])
            return
        if options["cpu_inside"]:
            self.stdout.write(json.dumps(intake_cpu.inside(options["cpu_inside"])))
            return
        run(options, MODES[options["mode"]], self.stdout.write)
