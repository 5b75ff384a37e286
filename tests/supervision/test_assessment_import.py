"""Third-party assessment results per department from an XLSX file (51号 三(四): 委托第三方独立开展政务服务
评估，评估结果作为改进服务的重要依据): every row checked, errors per row with the spreadsheet's row number,
all or nothing; a good file replaces the results."""

from datetime import date
from io import BytesIO

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from supervision.models import Assessment, AssessmentResult
from supervision.services.assessments import assessment_create, results_import

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db

HEADER = ["统一社会信用代码", "部门名称", "得分", "排名", "评估意见"]


def workbook(rows: list[list], header: list[str] = HEADER) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def assessment(owner, regions) -> Assessment:
    return assessment_create(
        by=owner,
        title="2026年度政务服务第三方评估",
        assessor="江西某调查研究中心",
        region=regions["zhanggong"],
        period_start=date(2026, 1, 1),
        period_end=date(2026, 10, 31),
    )


@pytest.fixture
def second_department(org, regions):
    from evaluations.models import Department

    from ..helpers import make_uscc

    return Department.objects.create(
        name="章贡区行政审批局", code=make_uscc(regions["zhanggong"].code, 7), region=regions["zhanggong"]
    )


def test_a_good_file_imports_every_department(assessment, owner, org, second_department):
    amr = org["zhanggong"]["department"]
    content = workbook(
        [[amr.code, amr.name, 92.5, 1, "窗口规范"], [second_department.code.lower(), "", "88", 2, None]]
    )
    outcome = results_import(assessment=assessment, by=owner, content=content)
    assert outcome.errors == [] and outcome.imported == 2
    scores = {r.department_id: (str(r.score), r.rank) for r in AssessmentResult.objects.all()}
    assert scores == {amr.pk: ("92.50", 1), second_department.pk: ("88.00", 2)}
    assessment.refresh_from_db()
    assert assessment.imported_at is not None


def test_any_bad_row_keeps_nothing_and_every_error_names_its_row(assessment, owner, org, second_department):
    amr, far = org["zhanggong"]["department"], org["nankang"]["department"]
    results_import(
        assessment=assessment, by=owner, content=workbook([[amr.code, "", 70, 1, ""]])
    )  # an earlier import
    content = workbook(
        [
            [second_department.code, "", 95, 1, ""],  # row 2: fine
            [far.code, "", 80, 2, ""],  # row 3: outside the assessment's region
            [amr.code, "别的名字", 101, "第三", ""],  # row 4: name, score and rank wrong
            [second_department.code, "", 60, 4, ""],  # row 5: repeats row 2
            ["", "", "", "", ""],  # blank: skipped
            ["", "某部门", 50, "", ""],  # row 7: no code
        ]
    )
    outcome = results_import(assessment=assessment, by=owner, content=content)
    found = [(e.row, e.column) for e in outcome.errors]
    assert found == [
        (3, "统一社会信用代码"),
        (4, "部门名称"),
        (4, "得分"),
        (4, "排名"),
        (5, "统一社会信用代码"),
        (7, "统一社会信用代码"),
    ]
    assert "与第 2 行重复" in outcome.errors[4].message
    assert outcome.imported == 0
    assert [(r.department_id, str(r.score)) for r in AssessmentResult.objects.all()] == [(amr.pk, "70.00")]


def test_a_file_without_the_required_columns_is_refused(assessment, owner, org):
    outcome = results_import(
        assessment=assessment, by=owner, content=workbook([["x", 1]], header=["部门名称", "分数"])
    )
    assert [(e.row, e.column) for e in outcome.errors] == [(1, "统一社会信用代码"), (1, "得分")]
    assert not AssessmentResult.objects.exists()


def test_the_page_shows_the_row_errors_and_a_damaged_file_beside_the_field(client, assessment, owner, org):
    client.login(username=owner.username, password=PASSWORD)
    url = f"/supervision/assessments/{assessment.pk}/"
    bad = SimpleUploadedFile(
        "结果.xlsx", workbook([[org["zhanggong"]["department"].code, "", "优秀", "", ""]])
    )
    response = client.post(url, {"file": bad})
    assert response.status_code == 400
    html = response.content.decode()
    assert "文件有 1 处错误，未导入任何数据" in html and "得分应为 0 至 100 之间的数字。" in html
    damaged = client.post(url, {"file": SimpleUploadedFile("结果.xlsx", b"not a zip")})
    assert damaged.status_code == 400 and "无法读取文件" in damaged.content.decode()
    wrong = client.post(url, {"file": SimpleUploadedFile("结果.csv", b"a,b")})
    assert "只能导入 .xlsx 文件。" in wrong.content.decode()
    assert not AssessmentResult.objects.exists()
    good = SimpleUploadedFile("结果.xlsx", workbook([[org["zhanggong"]["department"].code, "", 90, 1, ""]]))
    page = client.post(url, {"file": good}, follow=True)
    assert "已导入 1 个部门的评估结果。" in page.content.decode()
    assert AssessmentResult.objects.count() == 1


def test_monitors_and_other_regions_do_not_see_assessments(client, assessment, monitor, outsider):
    for person in (monitor, outsider):
        client.login(username=person.username, password=PASSWORD)
        assert client.get(f"/supervision/assessments/{assessment.pk}/").status_code == 404
