"""``python manage.py upstream push | import FILE | retry [ID …] | status`` (docs/upstream.md)."""

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from reporting.upstream.importer import ImportFileError, history_import_file
from reporting.upstream.push import upstream_counts, upstream_push, upstream_retry


class Command(BaseCommand):
    help = "Upstream push to the provincial platform: one pass in the foreground, historical import, retry."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        push = sub.add_parser("push", help="send the due messages now and print sent / failed counts")
        push.add_argument("--max-batches", type=int, default=50)
        imported = sub.add_parser("import", help="import past cases and ratings from an XLSX / CSV export")
        imported.add_argument("file", type=Path)
        imported.add_argument(
            "--no-push", action="store_true", help="do not report the imported ratings upstream"
        )
        retry = sub.add_parser("retry", help="queue failed and dead messages again (all of them without IDs)")
        retry.add_argument("ids", nargs="*", type=int)
        sub.add_parser("status", help="print how many messages are in each status")

    def handle(self, *args, **options) -> None:
        action = options["action"]
        if action == "push":
            self._push(options["max_batches"])
        elif action == "import":
            self._import(options["file"], report_upstream=not options["no_push"])
        elif action == "retry":
            self._retry(options["ids"])
        else:
            self._status()

    def _push(self, max_batches: int) -> None:
        try:
            result = upstream_push(max_batches=max_batches)
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
        if result.disabled:
            self.stdout.write(_("未设置 UPSTREAM_URL，上报已停用；待上报 %(pending)d 条。") % self._pending())
            return
        self.stdout.write(
            _("已上报 %(sent)d 条，失败 %(failed)d 条，放弃 %(dead)d 条（%(batches)d 批）。")
            % result.as_dict()
        )

    def _import(self, file: Path, *, report_upstream: bool) -> None:
        try:
            content = file.read_bytes()
        except OSError as exc:
            raise CommandError(_("无法读取文件：%(error)s") % {"error": exc}) from exc
        try:
            result = history_import_file(content=content, filename=file.name, report_upstream=report_upstream)
        except ImportFileError as exc:
            raise CommandError(exc.message) from exc
        if not result.ok:
            for error in result.errors:
                self.stdout.write(str(error))
            raise CommandError(_("%(count)d 处错误，本次未导入任何数据。") % {"count": len(result.errors)})
        self.stdout.write(
            _(
                "导入完成：共 %(rows)d 行；新建办件 %(created)d 件，更新办件 %(updated)d 件；"
                "写入评价 %(ratings)d 条，已导入过的评价 %(repeated)d 条，超期默认/未评 %(case_only)d 行，"
                "差评已办结工单 %(orders)d 件。"
            )
            % {
                "rows": result.rows,
                "created": result.cases_created,
                "updated": result.cases_updated,
                "ratings": result.ratings,
                "repeated": result.repeated,
                "case_only": result.case_only,
                "orders": result.orders,
            }
        )

    def _retry(self, ids: list[int]) -> None:
        from reporting.models import UpstreamMessage

        if not ids:
            ids = list(
                UpstreamMessage.objects.filter(
                    status__in=(UpstreamMessage.Status.FAILED, UpstreamMessage.Status.DEAD)
                ).values_list("pk", flat=True)
            )
        self.stdout.write(_("%(count)d 条消息已重新排队上报。") % {"count": upstream_retry(messages=ids)})

    def _status(self) -> None:
        counts = upstream_counts()
        self.stdout.write(
            _(
                "待上报 %(pending)d 条，失败待重试 %(failed)d 条，已放弃 %(dead)d 条，"
                "近 24 小时已上报 %(sent)d 条。"
            )
            % counts
        )

    def _pending(self) -> dict[str, int]:
        return {"pending": upstream_counts()["pending"]}
