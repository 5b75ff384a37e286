"""A circular as an Excel workbook: a 概况 sheet, then one sheet per ranked level.

Every rate is written as a fraction formatted as a percentage, beside its numerator and denominator,
so a reader can check each figure in Excel.
"""

from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from evaluations.text import strip_controls
from reporting.models import Circular

from ..rankings import LEVELS
from .labels import rate_definitions, rate_labels, weight_labels
from .service import CIRCULAR_LEVELS

_HEAD = Font(bold=True)
_FILL = PatternFill("solid", fgColor="F2F2F2")
_PERCENT = "0.0%"
_POINTS = "0.00"


def _value_format(key: str) -> str:
    return _POINTS if key == "quality" else _PERCENT


def _header(sheet, row: int, titles: list[str]) -> None:
    for column, title in enumerate(titles, start=1):
        cell = sheet.cell(row=row, column=column, value=title)
        cell.font = _HEAD
        cell.fill = _FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _widths(sheet, widths: list[int]) -> None:
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width


def _summary_sheet(book: Workbook, circular: Circular) -> None:
    sheet = book.active
    sheet.title = _("概况")
    data, policy = circular.data, circular.policy
    summary = data.get("summary", {})
    sheet["A1"] = _("%(region)s %(period)s 政务服务“好差评”情况通报") % {
        "region": circular.region.name,
        "period": circular.period,
    }
    sheet["A1"].font = Font(bold=True, size=14)
    facts = [
        (_("通报区划"), circular.region.name),
        (_("统计月份"), circular.period),
        (_("版本"), circular.version),
        (_("文号"), circular.number),
        (_("状态"), str(circular.get_state_display())),
        (_("生成时间"), data.get("generated_at", "")),
        (_("计分规则"), policy.get("preset_label", "")),
        (_("综合评分"), summary.get("composite")),
        (_("评价数"), summary.get("sample")),
    ]
    for offset, (label, value) in enumerate(facts, start=3):
        sheet.cell(row=offset, column=1, value=label).font = _HEAD
        sheet.cell(row=offset, column=2, value=value)
    start = 3 + len(facts) + 1
    _header(sheet, start, [_("指标"), _("数值"), _("分子"), _("分母"), _("计算方法")])
    definitions = rate_definitions()
    for offset, (key, label) in enumerate(rate_labels(), start=start + 1):
        figure = summary.get(key) or {}
        sheet.cell(row=offset, column=1, value=label)
        cell = sheet.cell(row=offset, column=2, value=figure.get("value"))
        cell.number_format = _value_format(key)
        sheet.cell(row=offset, column=3, value=figure.get("num"))
        sheet.cell(row=offset, column=4, value=figure.get("den"))
        sheet.cell(row=offset, column=5, value=definitions[key])
    weights = policy.get("weights", {})
    start = start + len(rate_labels()) + 2
    _header(sheet, start, [_("综合评分构成"), _("权重（%）")])
    parts = [(label, weights.get(key)) for key, label in weight_labels()]
    for offset, (label, weight) in enumerate(parts, start=start + 1):
        sheet.cell(row=offset, column=1, value=label)
        sheet.cell(row=offset, column=2, value=weight)
    _widths(sheet, [22, 30, 12, 12, 44])


def _level_sheet(book: Workbook, level: str, ranking: dict) -> None:
    sheet = book.create_sheet(str(LEVELS[level]))
    titles = [_("排名"), _("上期排名"), _("编码"), _("名称"), _("评价数"), _("综合评分"), _("连续靠后")]
    for _key, label in rate_labels():
        titles += [label, _("分子"), _("分母")]
    _header(sheet, 1, titles)
    sheet.freeze_panes = "E2"
    rows = [*ranking.get("rows", []), *ranking.get("unranked", [])]
    for number, row in enumerate(rows, start=2):
        figures = row["figures"]
        values = [
            row["rank"] if row["rank"] is not None else _("样本不足，不排名"),
            row["previous_rank"],
            row["code"],
            row["name"],
            row["sample"],
            figures.get("composite"),
            _("是") if row["low"] else "",
        ]
        for column, value in enumerate(values, start=1):
            # A name stored with a control character must not break the workbook (issue 14).
            cell_value = strip_controls(value) if isinstance(value, str) else value
            sheet.cell(row=number, column=column, value=cell_value)
        column = len(values) + 1
        for key, _label in rate_labels():
            figure = figures.get(key) or {}
            value = sheet.cell(row=number, column=column, value=figure.get("value"))
            value.number_format = _value_format(key)
            sheet.cell(row=number, column=column + 1, value=figure.get("num"))
            sheet.cell(row=number, column=column + 2, value=figure.get("den"))
            column += 3
    _widths(sheet, [10, 10, 22, 36, 8, 10, 9] + [12, 8, 8] * len(rate_labels()))


def _open_orders_sheet(book: Workbook, open_orders: dict, cut_off: str) -> None:
    """The orders overdue or still open at the cut-off, all of them (the page may list fewer)."""
    sheet = book.create_sheet(_("逾期及未办结工单"))
    sheet["A1"] = _("截至 %(at)s") % {"at": cut_off}
    titles = [
        _("工单编号"),
        _("来源"),
        _("承办部门"),
        _("事项或问题"),
        _("状态"),
        _("整改时限"),
        _("逾期（工作日）"),
    ]
    _header(sheet, 2, titles)
    for number, row in enumerate(open_orders.get("rows", []), start=3):
        values = [row["number"], row["source"], row["department"], row["what"], row["state"], row["due"],
                  row["overdue_days"] if row["overdue"] else None]  # fmt: skip
        for column, value in enumerate(values, start=1):
            sheet.cell(
                row=number, column=column, value=strip_controls(value) if isinstance(value, str) else value
            )
    _widths(sheet, [20, 10, 30, 30, 12, 12, 14])


def circular_workbook(circular: Circular) -> bytes:
    book = Workbook()
    _summary_sheet(book, circular)
    rankings = circular.data.get("rankings", {})
    for level in CIRCULAR_LEVELS:
        if level in rankings:
            _level_sheet(book, level, rankings[level])
    if "open_orders" in circular.data:
        _open_orders_sheet(book, circular.data["open_orders"], circular.data.get("cut_off", ""))
    out = BytesIO()
    book.save(out)
    return out.getvalue()
