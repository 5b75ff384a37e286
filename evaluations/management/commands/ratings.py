"""``ratings seal`` and ``ratings verify [--from YYYY-MM-DD --to YYYY-MM-DD]``: the hash chain (DESIGN §9)."""

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from evaluations.chain.verify import VerifyReport, chain_verify
from evaluations.management.arguments import iso_date
from evaluations.services.sealing import chain_seal

SHOWN_PROBLEMS = 20


class Command(BaseCommand):
    help = "Seal ratings and rulings into the hash chain, or verify the chain and the daily digests."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("seal", help="append links for everything not yet sealed (what the beat task does)")
        verify = sub.add_parser("verify", help="recompute the chain; exit 1 naming the first problem")
        verify.add_argument("--from", dest="first", type=iso_date, help="first local day of sealing checked")
        verify.add_argument("--to", dest="last", type=iso_date, help="last local day of sealing checked")

    def handle(self, *args, **options) -> None:
        if options["action"] == "seal":
            result = chain_seal()
            self.stdout.write(
                f"sealed {result.ratings} ratings, {result.rulings} rulings; {result.digests} daily digests"
            )
            return
        first, last = options["first"], options["last"]
        if first and last and first > last:
            raise CommandError("--from is after --to")
        report = chain_verify(first=first, last=last)
        self._summary(report)
        if report.ok:
            self.stdout.write(self.style.SUCCESS(_("校验通过")))
            return
        for problem in report.problems[:SHOWN_PROBLEMS]:
            self.stderr.write(problem.message)
        if len(report.problems) > SHOWN_PROBLEMS:
            self.stderr.write(_("……另有 %(n)d 处问题。") % {"n": len(report.problems) - SHOWN_PROBLEMS})
        raise CommandError(_("校验未通过：%(first)s") % {"first": report.problems[0].message})

    def _summary(self, report: VerifyReport) -> None:
        days = (
            _("全部")
            if not (report.first or report.last)
            else f"{report.first or '…'} — {report.last or '…'}"
        )
        self.stdout.write(_("封存日期：%(days)s") % {"days": days})
        if report.links:
            line = _(
                "校验链第 %(first)d—%(last)d 环，共 %(n)d 环（评价 %(ratings)d 条、认定 %(rulings)d 条）"
            )
            params = {"first": report.first_link, "last": report.last_link, "n": report.links}
            self.stdout.write(
                line % {**params, "ratings": report.counts["rating"], "rulings": report.counts["ruling"]}
            )
        else:
            self.stdout.write(_("校验链：该范围内没有封存的环节"))
        self.stdout.write(
            _("每日校验码 %(n)d 个；有认定的评价 %(m)d 条已核对有效性")
            % {"n": report.digests, "m": report.outcomes}
        )
        pending = _("尚未封存：评价 %(ratings)d 条、认定 %(rulings)d 条") % {
            "ratings": report.pending.get("rating", 0),
            "rulings": report.pending.get("ruling", 0),
        }
        self.stdout.write(pending)
