"""Historical import: past cases and ratings from an XLSX / CSV export of another 好差评 system, in the
national field names (docs/upstream.md, "Historical import").

The file is read with django-import-export's formats (tablib). Every row is checked column by column
(import_rows.py), then goes through the services like a live case and rating would: ``record_upsert``
for the case and ``evaluation_record(..., now=<assessTime>)`` for the rating, so the intake rules
(evaluation window, tags, reasons for a bad grade, one rating per case) apply as they did that day.
Rows run in the order of their assessTime. The whole file is one transaction: any error in any row
and nothing is kept; the errors come back per row with the spreadsheet's row number.

Rows of type 2 / 3 (default 满意, 未评) bring the case only: this system's own timeout rule writes the
marker when the case's evaluation window is found closed. Importing the same file again adds
nothing: each rating carries a client id derived from the case, object, stage and assess number.
"""

import hashlib
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import tablib
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _
from import_export.formats import base_formats

from evaluations.models import BAD_GRADES, SenderKind
from evaluations.refusals import InputErrors, Refusal
from evaluations.services.client_keys import Sender
from evaluations.services.intake import evaluation_record
from evaluations.services.records import record_upsert

from .import_orders import order_import, plan_history
from .import_rows import COLUMNS, REQUIRED_COLUMNS, PlannedRow, RowError, parse_time, plan_row, text
from .outbox import outbox_suppressed

# The client_id of an imported rating is the digest of what identifies it (_client_id): its own sender.
IMPORTS = Sender(SenderKind.SYSTEM, "import")

# Our field names in the services' errors -> the column of the file.
COLUMN_OF_FIELD = {
    "matter_code": "taskCode",
    "department_code": "deptCode",
    "region_code": "areaCode",
    "window_code": "windowCode",
    "staff_no": "staffNo",
    "completed_at": "finishTime",
    "accepted_at": "acceptTime",
    "status": "finishTime",
    "grade": "satisfaction",
    "tags": "evalDetail",
    "comment": "writingEvaluation",
    "rated_at": "assessTime",
    "assess_number": "assessNumber",
    "channel": "pf",
    "target": "assessObject",
    "stage": "assessStage",
    "staff": "staffNo",
}
# Refusals that name no field, by the column they are about.
COLUMN_OF_REFUSAL = {
    "window_closed": "assessTime",
    "not_completed": "finishTime",
    "already_rated": "assessNumber",
    "follow_up_exists": "assessNumber",
    "consultation_not_rated": "taskCode",
}


class ImportFileError(Exception):
    """The file cannot be read at all; ``message`` (Chinese) says why."""

    def __init__(self, message: str) -> None:
        self.message = str(message)
        super().__init__(self.message)


@dataclass
class ImportResult:
    rows: int = 0
    cases_created: int = 0
    cases_updated: int = 0
    ratings: int = 0
    repeated: int = 0  # ratings this system already holds from an earlier import of the same rows
    case_only: int = 0  # default / 未评 rows: the case only
    orders: int = 0  # imported bad reviews, each a closed work order with its history
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def read_table(content: bytes, filename: str) -> tablib.Dataset:
    name = filename.lower()
    try:
        if name.endswith(".xlsx"):
            return base_formats.XLSX().create_dataset(content)
        if name.endswith(".csv"):
            return base_formats.CSV().create_dataset(_decode(content))
    except Exception as exc:  # a damaged file: openpyxl and csv raise many kinds
        raise ImportFileError(_("无法读取文件：%(error)s") % {"error": exc}) from exc
    raise ImportFileError(_("只能导入 .xlsx 或 .csv 文件。"))


def _decode(content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return content.decode("gb18030")  # Excel on Chinese Windows saves CSV in GBK


def history_import_file(*, content: bytes, filename: str, report_upstream: bool = True) -> ImportResult:
    return history_import(dataset=read_table(content, filename), report_upstream=report_upstream)


def history_import(*, dataset: tablib.Dataset, report_upstream: bool = True) -> ImportResult:
    """Import every row of ``dataset`` or none; ``report_upstream=False`` for data already reported."""
    result = ImportResult()
    headers = [text(header) for header in (dataset.headers or [])]
    missing = [name for name in REQUIRED_COLUMNS if name not in headers]
    if missing:
        result.errors = [RowError(1, name, _("缺少必填列。")) for name in missing]
        return result
    rows = [
        (number, dict(zip(headers, values, strict=False)))
        for number, values in enumerate(dataset, start=2)
        if any(text(value) for value in values)
    ]
    result.rows = len(rows)
    finish_by_case = _finish_times(rows)
    planned = [plan_row(number, row, finish_by_case) for number, row in rows]
    for plan, (_number, values) in zip(planned, rows, strict=True):
        plan_history(plan, values)
    _check_repeats(planned)
    for row in planned:
        result.errors.extend(row.errors)
    # The rows that read well still go through the services, so one upload reports every problem.
    valid = sorted((row for row in planned if not row.errors), key=lambda row: (row.when, row.number))
    with transaction.atomic(), nullcontext() if report_upstream else outbox_suppressed():
        seen: set[str] = set()
        for row in valid:
            _import_row(row, result, seen)
        if result.errors:
            result.cases_created = result.cases_updated = result.ratings = result.repeated = 0
            result.case_only = result.orders = 0
            transaction.set_rollback(True)
    result.errors.sort(key=lambda error: error.row)
    return result


def _finish_times(rows: list[tuple[int, dict[str, Any]]]) -> dict[str, datetime]:
    """A case's completion time from any of its rows (its intake-stage rows may leave it empty)."""
    found: dict[str, datetime] = {}
    for _number, row in rows:
        try:
            finish = parse_time(row.get("finishTime"))
        except ValueError:
            continue
        if finish is not None:
            found.setdefault(text(row.get("projectNo")), finish)
    return found


def _check_repeats(planned: list[PlannedRow]) -> None:
    first: dict[tuple, int] = {}
    for row in planned:
        key = row.rating_key
        if key is None:
            continue
        if key in first:
            row.fail(
                "assessNumber", _("与第 %(row)d 行是同一办件同一对象的同一次评价。") % {"row": first[key]}
            )
        else:
            first[key] = row.number


def _import_row(row: PlannedRow, result: ImportResult, seen: set[str]) -> None:
    assert row.case is not None  # plan_row gives every row without errors its case; only those come here
    try:
        with transaction.atomic():  # a savepoint: a failed row leaves the transaction usable for the next
            record, created = record_upsert(serial_no=row.serial_no, data=row.case)
            if row.serial_no not in seen:
                seen.add(row.serial_no)
                if created:
                    result.cases_created += 1
                else:
                    result.cases_updated += 1
            if row.rating is None:
                result.case_only += 1
                return
            row.rating.client_id = _client_id(row)
            outcome = evaluation_record(
                rating=row.rating,
                record=record,
                now=row.rating.rated_at,
                sender=IMPORTS,
                body={"rating_key": row.rating.client_id},  # the same rating, whatever else changed
            )
            if outcome.created:
                result.ratings += 1
                if outcome.evaluation.grade in BAD_GRADES:  # handled in the old system: a closed order
                    order_import(evaluation=outcome.evaluation, history=row.history)
                    result.orders += 1
            else:
                result.repeated += 1
    except InputErrors as exc:
        for error in exc.errors:
            result.errors.append(
                RowError(row.number, COLUMN_OF_FIELD.get(error["field"], ""), error["message"])
            )
    except Refusal as exc:
        column = COLUMN_OF_FIELD.get(exc.field) or COLUMN_OF_REFUSAL.get(exc.code, "")
        result.errors.append(RowError(row.number, column, exc.message))
    except (ValidationError, DatabaseError) as exc:
        result.errors.append(RowError(row.number, "", _("无法保存：%(error)s") % {"error": exc}))


def _client_id(row: PlannedRow) -> str:
    """The same rating imported twice is recognised, whatever else changed in its row."""
    key = row.rating_key
    assert key is not None  # called only for a row with a rating
    digest = hashlib.sha256("|".join(map(str, key)).encode()).hexdigest()[:40]
    return f"import-{digest}"


__all__ = [
    "COLUMNS",
    "ImportFileError",
    "ImportResult",
    "history_import",
    "history_import_file",
    "read_table",
]
