"""Third-party assessments: the record, and its results per department imported from an XLSX file.

The file's first sheet has a header row with 统一社会信用代码 and 得分 (required), 部门名称, 排名 and 评估意见
(optional). Every row is checked; any error in any row and nothing is kept (the results already
imported stay as they were); the errors come back with the spreadsheet's row number (header = row 1).
A good file replaces the assessment's results as a whole.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from io import BytesIO
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from evaluations.models import Department, Region, User

from ..models import Assessment, AssessmentResult
from . import SupervisionError, planners_only

CODE, NAME, SCORE, RANK, COMMENT = "统一社会信用代码", "部门名称", "得分", "排名", "评估意见"
REQUIRED = (CODE, SCORE)
MAX_ROWS = 5000


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str


@dataclass
class ImportOutcome:
    imported: int = 0
    errors: list[RowError] = field(default_factory=list)


def assessment_create(
    *, by: User, title: str, assessor: str, region: Region, period_start: date, period_end: date
) -> Assessment:
    planners_only(by)
    if not by.has_global_scope and (by.region is None or not region.path.startswith(by.region.path)):
        raise SupervisionError(_("只能登记本辖区内的第三方评估。"), "region")
    if period_end < period_start:
        raise SupervisionError(_("评估期止不能早于评估期起。"), "period_end")
    return Assessment.objects.create(
        title=title.strip(),
        assessor=assessor.strip(),
        region=region,
        period_start=period_start,
        period_end=period_end,
        created_by=by,
    )


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _rows(content: bytes) -> tuple[list[str], list[tuple[int, dict[str, Any]]]]:
    try:
        book = load_workbook(BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # a damaged or non-XLSX file: openpyxl and zipfile raise many kinds
        raise SupervisionError(
            _("无法读取文件，请上传 .xlsx 格式的表格（%(error)s）。") % {"error": exc}, "file"
        ) from exc
    sheet = book.worksheets[0]
    lines = sheet.iter_rows(values_only=True)
    headers = [_text(value) for value in next(lines, ())]
    rows = []
    for number, values in enumerate(lines, start=2):
        if any(_text(value) for value in values):
            rows.append((number, dict(zip(headers, values, strict=False))))
        if len(rows) > MAX_ROWS:
            raise SupervisionError(_("一次最多导入 %(n)d 行。") % {"n": MAX_ROWS}, "file")
    book.close()
    return headers, rows


def _score(value: Any) -> Decimal:
    try:
        score = Decimal(_text(value))
    except InvalidOperation:
        raise ValueError(_("得分应为 0 至 100 之间的数字。")) from None
    if not score.is_finite() or not Decimal(0) <= score <= Decimal(100):
        raise ValueError(_("得分应为 0 至 100 之间的数字。"))
    return score.quantize(Decimal("0.01"))


def _rank(value: Any) -> int | None:
    text = _text(value)
    if not text:
        return None
    try:
        rank = Decimal(text)
    except InvalidOperation:
        rank = Decimal(0)
    if rank != rank.to_integral_value() or rank < 1:
        raise ValueError(_("排名应为正整数。"))
    return int(rank)


def results_import(*, assessment: Assessment, by: User, content: bytes) -> ImportOutcome:
    planners_only(by)
    outcome = ImportOutcome()
    headers, rows = _rows(content)
    missing = [name for name in REQUIRED if name not in headers]
    if missing:
        outcome.errors = [RowError(1, name, _("缺少必填列。")) for name in missing]
        return outcome
    if not rows:
        outcome.errors = [RowError(2, CODE, _("文件中没有数据行。"))]
        return outcome
    codes = {_text(values.get(CODE)).upper() for _number, values in rows}
    departments = {
        d.code: d
        for d in Department.objects.filter(code__in=codes, region__path__startswith=assessment.region.path)
    }
    seen: dict[str, int] = {}
    results = []
    for number, values in rows:
        errors = []
        code = _text(values.get(CODE)).upper()
        department = departments.get(code)
        if not code:
            errors.append(RowError(number, CODE, _("必填。")))
        elif department is None:
            errors.append(
                RowError(
                    number, CODE, _("评估区划内没有统一社会信用代码为 %(code)s 的部门。") % {"code": code}
                )
            )
        elif code in seen:
            errors.append(RowError(number, CODE, _("与第 %(row)d 行重复。") % {"row": seen[code]}))
        else:
            seen[code] = number
        name = _text(values.get(NAME))
        if department is not None and name and name != department.name:
            errors.append(
                RowError(
                    number,
                    NAME,
                    _("与统一社会信用代码对应的部门“%(name)s”不符。") % {"name": department.name},
                )
            )
        score = rank = None
        try:
            score = _score(values.get(SCORE))
        except ValueError as exc:
            errors.append(RowError(number, SCORE, str(exc)))
        try:
            rank = _rank(values.get(RANK))
        except ValueError as exc:
            errors.append(RowError(number, RANK, str(exc)))
        outcome.errors.extend(errors)
        if not errors:
            results.append(
                AssessmentResult(
                    assessment=assessment,
                    department=department,
                    score=score,
                    rank=rank,
                    comment=_text(values.get(COMMENT)),
                )
            )
    if outcome.errors:
        return outcome
    with transaction.atomic():
        locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
        locked.results.all().delete()
        AssessmentResult.objects.bulk_create(results)
        locked.imported_at = timezone.now()
        locked.save(update_fields=["imported_at"])
    outcome.imported = len(results)
    return outcome
