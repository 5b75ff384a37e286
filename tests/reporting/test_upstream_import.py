"""Historical import from an export in the national field names: XLSX and CSV, every row validated,
the intake rules applied as on the day of each rating, errors by row number, and a bad file imports
nothing at all."""

import io
from datetime import datetime

import openpyxl
import pytest
import tablib
from django.core.management import CommandError, call_command

from evaluations.models import Evaluation, ServiceRecord
from evaluations.services.timeouts import timeouts_apply
from reporting.models import UpstreamMessage
from reporting.upstream.importer import ImportFileError, history_import, history_import_file
from workorders.models import WorkOrder

from .upstream_rows import HEADERS, beijing, case_codes, row


@pytest.fixture
def codes(org) -> dict[str, str]:
    return case_codes(org)


pytestmark = pytest.mark.django_db


@pytest.fixture
def good_rows(codes) -> list[list]:
    return [
        row(codes, "SN-H-001", windowCode="W-zhanggong", staffNo="S-zhanggong", pf="4", evalDetail="M5-01"),
        # A follow-up listed before the first rating: rows run in the order of their assessTime.
        row(codes, "SN-H-002", assessNumber="2", assessTime="2024-03-06 15:30:00", satisfaction="4"),
        row(codes, "SN-H-002", satisfaction="3", assessTime="2024-03-05 10:00:00"),
        row(codes, "SN-H-003", satisfaction="1", evalDetail="M1-01", writingEvaluation="材料清单不清楚"),
        row(codes, "SN-H-004", assessType="3", pf="", satisfaction="", assessTime=""),  # 未评 at the source
        row(codes, "SN-H-005", userProp="2", handleChannel="3", pf="2", satisfaction="4"),
    ]


def xlsx(rows: list[list], headers: list[str] = HEADERS) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(headers)
    for values in rows:
        # Excel keeps times as times: give the sheet real datetimes where the text is a time.
        sheet.append([_as_cell(value) for value in values])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _as_cell(value):
    try:
        return datetime.strptime(value, "%Y-%m-%d %H:%M:%S")  # noqa: DTZ007 -- the file's naive cells
    except (TypeError, ValueError):
        return value


def csv(rows: list[list], encoding: str = "utf-8-sig") -> bytes:
    return tablib.Dataset(*rows, headers=HEADERS).export("csv").encode(encoding)


def assert_imported_well(result) -> None:
    assert result.ok, [str(error) for error in result.errors]
    assert (result.rows, result.cases_created, result.ratings, result.case_only) == (6, 5, 5, 1)
    assert ServiceRecord.objects.count() == 5 and Evaluation.objects.count() == 5
    first = Evaluation.objects.get(record__serial_no="SN-H-001")
    assert (first.grade, first.channel, first.tags, first.rated_at) == (5, "device", ["M5-01"], beijing(5, 9))
    assert first.record.channel == "window" and first.staff.staff_no == "S-zhanggong"
    assert first.client_id.startswith("import-")
    follow_up = Evaluation.objects.get(record__serial_no="SN-H-002", assess_number=2)
    assert (follow_up.grade, follow_up.rated_at) == (4, beijing(6, 15, 30))
    legal = ServiceRecord.objects.get(serial_no="SN-H-005")
    assert (legal.applicant_type, legal.channel, legal.completed_at) == (
        "legal_person",
        "mobile",
        beijing(4, 10),
    )
    # The intake rules ran; a bad review from history was handled where it came from: a closed order.
    bad = Evaluation.objects.get(record__serial_no="SN-H-003")
    assert bad.grade <= 2 and WorkOrder.objects.get().evaluation == bad
    assert (WorkOrder.objects.get().state, result.orders) == ("closed", 1)
    # Reported upstream like any rating, in the national vocabulary.
    assert UpstreamMessage.objects.filter(kind="evaluation").count() == 5
    payload = UpstreamMessage.objects.get(evaluation=first).payload
    assert (payload["projectNo"], payload["assessTime"], payload["pf"]) == (
        "SN-H-001",
        "2024-03-05 09:00:00",
        "4",
    )


def test_a_good_xlsx_file_goes_through_the_services(good_rows):
    assert_imported_well(history_import_file(content=xlsx(good_rows), filename="历史评价.xlsx"))


def test_a_good_csv_file_goes_through_the_services(good_rows):
    assert_imported_well(history_import_file(content=csv(good_rows), filename="history.CSV"))


def test_a_csv_saved_by_excel_in_gbk_is_read_too(good_rows):
    assert_imported_well(history_import_file(content=csv(good_rows, "gb18030"), filename="history.csv"))


def test_a_case_left_unrated_at_the_source_gets_the_marker_of_our_own_rule(good_rows):
    history_import_file(content=xlsx(good_rows), filename="history.xlsx")
    case = ServiceRecord.objects.get(serial_no="SN-H-004")
    assert not case.evaluations.exists()
    timeouts_apply()  # the national preset: 未评
    assert case.evaluations.get().kind == "unevaluated"


def test_importing_the_same_file_again_adds_nothing(good_rows):
    content = xlsx(good_rows)
    history_import_file(content=content, filename="history.xlsx")
    again = history_import_file(content=content, filename="history.xlsx")
    assert again.ok and (again.cases_created, again.cases_updated, again.ratings, again.repeated) == (
        0,
        5,
        0,
        5,
    )
    assert Evaluation.objects.count() == 5 and UpstreamMessage.objects.count() == 5


def test_data_already_reported_can_be_imported_without_reporting_it_again(good_rows):
    result = history_import_file(content=xlsx(good_rows), filename="history.xlsx", report_upstream=False)
    assert result.ok and Evaluation.objects.count() == 5
    assert not UpstreamMessage.objects.exists()


# --- a bad file -------------------------------------------------------------------------------


@pytest.fixture
def bad_rows(codes) -> list[list]:
    return [
        row(codes, "SN-B-001"),  # row 2: good, and still not imported
        row(codes, "SN-B-002", taskCode="M-nope"),  # row 3
        row(codes, "SN-B-003", satisfaction="6", pf="9"),  # row 4
        row(codes, "SN-B-004", satisfaction="1"),  # row 5: a bad grade needs a tag or a text
        row(codes, "SN-B-005", assessTime="2024-03-20 09:00:00"),  # row 6: 5 working days after 4 March
        row(codes, "SN-B-006", assessTime="2024-03-04 09:30:00"),  # row 7: before completion
        row(codes, "SN-B-001", satisfaction="4"),  # row 8: row 2 again
        row(codes, "SN-B-007", assessTime="2024-13-01"),  # row 9
    ]


def test_a_bad_file_reports_each_row_and_imports_nothing(bad_rows):
    result = history_import_file(content=xlsx(bad_rows), filename="bad.xlsx")
    assert not result.ok
    found = {(error.row, error.column): error.message for error in result.errors}
    assert found == {
        (3, "taskCode"): "编码“M-nope”不存在。",
        (4, "pf"): "应为 1 至 6 的评价渠道代码。",
        (4, "satisfaction"): "应为 1（非常不满意）至 5（非常满意）。",
        (5, "evalDetail"): "选择“不满意”或“非常不满意”时，请至少选择一个标签或填写评价内容。",
        (6, "assessTime"): "该办件的评价期限已过（办结后 5 个工作日内可以评价）。",
        (7, "assessTime"): "评价时间早于办结时间。",
        (8, "assessNumber"): "与第 2 行是同一办件同一对象的同一次评价。",
        (9, "assessTime"): "“2024-13-01”不是有效的时间，应为“2024-05-01 09:30:00”。",
    }
    assert [error.row for error in result.errors] == sorted(error.row for error in result.errors)
    assert str(result.errors[0]) == "第 3 行 taskCode（事项编码）：编码“M-nope”不存在。"
    assert not ServiceRecord.objects.exists() and not Evaluation.objects.exists()
    assert not UpstreamMessage.objects.exists() and not WorkOrder.objects.exists()


def test_a_rating_the_rules_of_its_day_allowed_is_taken_years_later(codes):
    # Rated on the 5th working day after completion: on time then, long closed today.
    result = history_import(
        dataset=tablib.Dataset(row(codes, "SN-L-1", assessTime="2024-03-11 17:00:00"), headers=HEADERS)
    )
    assert result.ok and Evaluation.objects.get().rated_at == beijing(11, 17)


def test_a_file_without_a_required_column_is_refused_at_its_header(codes):
    headers = [name for name in HEADERS if name != "assessTime"]
    result = history_import(dataset=tablib.Dataset([*row(codes, "SN-1")[:-2], "1"], headers=headers))
    assert [(error.row, error.column, error.message) for error in result.errors] == [
        (1, "assessTime", "缺少必填列。")
    ]


def test_only_xlsx_and_csv_are_read():
    with pytest.raises(ImportFileError, match=r"只能导入 \.xlsx 或 \.csv 文件"):
        history_import_file(content=b"x", filename="history.xls")
    with pytest.raises(ImportFileError, match="无法读取文件"):
        history_import_file(content=b"not a zip", filename="history.xlsx")


# --- the command ------------------------------------------------------------------------------


def test_the_command_imports_a_file_and_prints_the_summary(good_rows, tmp_path):
    path = tmp_path / "history.xlsx"
    path.write_bytes(xlsx(good_rows))
    out = io.StringIO()
    call_command("upstream", "import", str(path), stdout=out)
    assert out.getvalue().strip() == (
        "导入完成：共 6 行；新建办件 5 件，更新办件 0 件；"
        "写入评价 5 条，已导入过的评价 0 条，超期默认/未评 1 行，差评已办结工单 1 件。"
    )


def test_the_command_prints_every_row_error_and_fails(bad_rows, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(csv(bad_rows))
    out = io.StringIO()
    with pytest.raises(CommandError, match="8 处错误，本次未导入任何数据"):
        call_command("upstream", "import", str(path), "--no-push", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == "第 3 行 taskCode（事项编码）：编码“M-nope”不存在。"
    assert len(lines) == 8
    assert not ServiceRecord.objects.exists()
