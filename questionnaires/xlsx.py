"""A questionnaire's results as an Excel workbook: a 结果 sheet (counts, percentages, averages per
question) and an 答卷 sheet (one row per submission, one column per question, written answers masked).

Text is written as text: control characters stripped (openpyxl refuses most of them, see
evaluations/text.py) and never read as a formula, whatever a citizen typed first.
"""

from io import BytesIO

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from evaluations.text import strip_controls

from .models import Kind
from .selectors import Results, submission_rows

_HEAD = Font(bold=True)
_FILL = PatternFill("solid", fgColor="F2F2F2")
_PERCENT = "0.0%"


def _put(sheet: Worksheet, row: int, column: int, value: object, *, head: bool = False) -> Cell:
    cell = sheet.cell(row=row, column=column)
    if isinstance(value, str):
        cell.value = strip_controls(value)
        cell.data_type = "s"  # "=SUM(...)" typed by a citizen stays the text it was
    else:
        cell.value = value
    if head:
        cell.font = _HEAD
        cell.fill = _FILL
    return cell


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M:%S") if moment else ""


def _results_sheet(sheet: Worksheet, results: Results) -> None:
    questionnaire = results.questionnaire
    sheet.title = _("结果")
    _put(sheet, 1, 1, questionnaire.title).font = Font(bold=True, size=14)
    facts = [
        (_("调查目的"), questionnaire.get_purpose_display()),
        (_("调查区划"), questionnaire.region.name),
        (_("状态"), questionnaire.get_state_display()),
        (_("发布时间"), _local(questionnaire.published_at)),
        (_("结束时间"), _local(questionnaire.closed_at)),
        (_("答卷数"), results.submissions),
    ]
    row = 3
    for label, value in facts:
        _put(sheet, row, 1, label, head=True)
        _put(sheet, row, 2, value)
        row += 1
    for result in results.questions:
        row += 1
        question = result.question
        title = f"{question.position}. {question.text}（{question.get_kind_display()}）"
        _put(sheet, row, 1, title).font = _HEAD
        row += 1
        _put(sheet, row, 1, _("作答人数"))
        _put(sheet, row, 2, result.answered)
        row += 1
        if result.rows:
            for column, heading in enumerate((_("选项"), _("人数"), _("占作答人数比例")), start=1):
                _put(sheet, row, column, heading, head=True)
            row += 1
            for line in result.rows:
                label = _("%(n)s 分") % {"n": line.label} if question.kind == Kind.SCALE else line.label
                _put(sheet, row, 1, label)
                _put(sheet, row, 2, line.count)
                _put(sheet, row, 3, line.percent / 100).number_format = _PERCENT
                row += 1
        if result.average is not None:
            _put(sheet, row, 1, _("平均分"))
            _put(sheet, row, 2, result.average).number_format = "0.00"
            row += 1
        if question.kind in (Kind.TEXT, Kind.PHONE, Kind.NAME):
            _put(sheet, row, 1, _("文字回答见“答卷”表。"))
            row += 1
    for column, width in enumerate((48, 16, 18), start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width


def _answers_sheet(sheet: Worksheet, results: Results) -> None:
    questions = [result.question for result in results.questions]
    headings = [_("序号"), _("提交时间"), *(f"{q.position}. {q.text}" for q in questions)]
    for column, heading in enumerate(headings, start=1):
        _put(sheet, 1, column, heading, head=True)
        sheet.column_dimensions[get_column_letter(column)].width = 8 if column == 1 else 22
    for row, line in enumerate(submission_rows(results.questionnaire, questions), start=2):
        _put(sheet, row, 1, line.number)
        _put(sheet, row, 2, _local(line.submitted_at))
        for column, value in enumerate(line.cells, start=3):
            _put(sheet, row, column, value)
    sheet.freeze_panes = "C2"


def results_workbook(results: Results) -> bytes:
    book = Workbook()
    _results_sheet(book.active, results)
    _answers_sheet(book.create_sheet(_("答卷")), results)
    out = BytesIO()
    book.save(out)
    return out.getvalue()
