"""Start an export and write its file: at once when small, in a Celery worker when large.

The worker claims the job with a conditional UPDATE (pending -> running), so running the task twice
never writes the file twice. Rows are read in primary-key chunks of CHUNK_SIZE and ``done`` is saved
after each chunk, which the exports page shows as a progress bar.
"""

import csv
import datetime as dt
import logging
import secrets
import tempfile
from pathlib import Path

from celery import shared_task
from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from evaluations.models import User
from evaluations.outage import OUTAGE_ERRORS
from evaluations.text import strip_controls
from reporting.models import ExportJob
from reporting.periods import FIRST_YEAR, LAST_YEAR

from .resources import RESOURCES, ExportResource, plain_text

logger = logging.getLogger(__name__)

CHUNK_SIZE = 2000
INLINE_MAX_DEFAULT = 5000
MAX_DAYS = 366


class ExportError(ValueError):
    """An export refused, with a message for the user."""


def inline_max() -> int:
    return int(getattr(settings, "EXPORT_INLINE_MAX", INLINE_MAX_DEFAULT))


def date_out_of_range(day: dt.date, today: dt.date | None = None) -> str:
    """Why ``day`` cannot start or end an export ("" when it can): years 2000 to this year only."""
    last_year = min(LAST_YEAR, (today or timezone.localdate()).year)
    if FIRST_YEAR <= day.year <= last_year:
        return ""
    return _("日期应在 %(first)d 年到 %(last)d 年之间。") % {"first": FIRST_YEAR, "last": last_year}


def export_start(
    *, user: User, kind: str, file_format: str, date_from: dt.date, date_to: dt.date
) -> ExportJob:
    """Record the request, count its rows in the user's scope, and write the file now or later."""
    if kind not in RESOURCES:
        raise ExportError(_("请选择导出内容。"))
    if file_format not in ExportJob.Format.values:
        raise ExportError(_("请选择导出格式。"))
    for day in (date_from, date_to):
        if error := date_out_of_range(day):
            raise ExportError(error)
    if date_to < date_from:
        raise ExportError(_("截止日期不能早于起始日期。"))
    if (date_to - date_from).days + 1 > MAX_DAYS:
        raise ExportError(_("一次最多导出 %(n)d 天的数据，请缩小日期范围。") % {"n": MAX_DAYS})
    total = RESOURCES[kind]().rows_for(user, date_from, date_to).count()
    with transaction.atomic():
        job = ExportJob.objects.create(
            kind=kind,
            file_format=file_format,
            date_from=date_from,
            date_to=date_to,
            requested_by=user,
            total=total,
        )
        if total > inline_max():
            transaction.on_commit(lambda: _enqueue(job.pk))
    if total <= inline_max():
        export_run(job.pk)
    job.refresh_from_db()
    return job


def _enqueue(job_id: int) -> None:
    """Queue the job for a worker; when the queue (Redis) is unreachable the job is marked failed with a
    reason the user sees, instead of waiting "pending" for a worker that will never hear of it."""
    try:
        run_export.delay(job_id)
    except OUTAGE_ERRORS as exc:
        logger.warning("export %s not queued, broker unreachable: %s", job_id, exc)
        ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.PENDING).update(
            status=ExportJob.Status.FAILED,
            error=_("后台导出服务暂时不可用，未能开始导出，请稍后重新申请。"),
            finished_at=timezone.now(),
        )


def _claim(job_id: int) -> ExportJob | None:
    claimed = ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.PENDING).update(
        status=ExportJob.Status.RUNNING, done=0
    )
    return ExportJob.objects.select_related("requested_by").get(pk=job_id) if claimed else None


def _chunks(resource: ExportResource, job: ExportJob):
    rows = resource.rows_for(job.requested_by, job.date_from, job.date_to)
    last_pk = 0
    while True:
        chunk = list(rows.filter(pk__gt=last_pk)[:CHUNK_SIZE])
        if not chunk:
            return
        last_pk = chunk[-1].pk
        yield [resource.export_row(row) for row in chunk]


def _cell(value: object) -> object:
    """Any text cell without control characters (a name or note stored with one would make openpyxl
    raise IllegalCharacterError and lose the whole day's export); one that changed is re-checked
    as free text, so stripping never uncovers a formula."""
    if not isinstance(value, str):
        return value
    cleaned = strip_controls(value)
    return cleaned if cleaned == value else plain_text(cleaned)


class _Writer:
    def __init__(self, path: Path, file_format: str, headers: list[str]) -> None:
        self.path = path
        self.file_format = file_format
        if file_format == ExportJob.Format.CSV:
            # utf-8-sig: Excel on Windows opens a UTF-8 CSV with a BOM without garbling the Chinese.
            self._handle = path.open("w", encoding="utf-8-sig", newline="")
            self._csv = csv.writer(self._handle)
            self._csv.writerow(headers)
        else:
            self._book = Workbook(write_only=True)
            self._sheet = self._book.create_sheet(_("导出数据"))
            self._sheet.append(headers)

    def write(self, rows: list[list]) -> None:
        rows = [[_cell(value) for value in row] for row in rows]
        if self.file_format == ExportJob.Format.CSV:
            self._csv.writerows(rows)
        else:
            for row in rows:
                self._sheet.append(row)

    def close(self) -> None:
        if self.file_format == ExportJob.Format.CSV:
            self._handle.close()
        else:
            self._book.save(self.path)


def export_run(job_id: int) -> None:
    """Write the file of one pending job; a job already claimed or finished is left alone."""
    job = _claim(job_id)
    if job is None:
        return
    resource = RESOURCES[job.kind]()
    try:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"export.{job.file_format}"
            writer = _Writer(path, job.file_format, resource.get_export_headers())
            done = 0
            for rows in _chunks(resource, job):
                writer.write(rows)
                done += len(rows)
                ExportJob.objects.filter(pk=job.pk).update(done=done, total=max(done, job.total))
            writer.close()
            name = (
                f"{job.kind}-{job.date_from:%Y%m%d}-{job.date_to:%Y%m%d}-{job.pk}-"
                f"{secrets.token_hex(6)}.{job.file_format}"
            )
            with path.open("rb") as handle:
                job.file.save(name, File(handle), save=False)
        ExportJob.objects.filter(pk=job.pk).update(
            file=job.file.name,
            status=ExportJob.Status.DONE,
            done=done,
            total=done,
            finished_at=timezone.now(),
        )
    except Exception:
        logger.exception("export %s failed", job.pk)
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportJob.Status.FAILED,
            error=_("导出失败，请稍后重新申请；如果反复失败，请联系系统管理员。"),
            finished_at=timezone.now(),
        )


STALE_AFTER = dt.timedelta(hours=2)  # far beyond the largest export; a worker that died left it


def export_give_up_stale(user: User, *, now: dt.datetime | None = None) -> int:
    """Mark ``user``'s jobs still queued or running after STALE_AFTER as failed, so the page stops waiting."""
    cutoff = (now or timezone.now()) - STALE_AFTER
    return ExportJob.objects.filter(
        requested_by=user,
        status__in=(ExportJob.Status.PENDING, ExportJob.Status.RUNNING),
        created_at__lt=cutoff,
    ).update(
        status=ExportJob.Status.FAILED,
        error=_("导出中断（后台导出进程已停止），请重新申请。"),
        finished_at=timezone.now(),
    )


def download_name(job: ExportJob) -> str:
    return f"{job.get_kind_display()}_{job.date_from:%Y%m%d}-{job.date_to:%Y%m%d}.{job.file_format}"


# Defined beside its service (re-exported by reporting.tasks) so that export_start can queue it
# without importing the task module.
@shared_task(name="reporting.tasks.run_export")
def run_export(job_id: int) -> None:
    """Write one requested export file in the background, updating its progress as it goes."""
    export_run(job_id)
