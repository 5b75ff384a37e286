"""The XLSX export read back with openpyxl: a 结果 sheet with counts, fractions and the average, and an
答卷 sheet with one row per submission; text masked, control characters stripped, no formula."""

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from questionnaires.services import submission_record

from .conftest import good_answers

pytestmark = pytest.mark.django_db


def export(client, owner, questionnaire):
    client.force_login(owner)
    response = client.get(reverse("questionnaires:export", args=[questionnaire.pk]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    return load_workbook(BytesIO(response.content))


def answer(questionnaire, n: int, **kwargs) -> None:
    submission_record(
        questionnaire=questionnaire, answers=good_answers(questionnaire, **kwargs), client_id=f"web-{n:032d}"
    )


def test_the_workbook_has_results_and_one_row_per_submission(client, owner, survey):
    answer(survey, 1, scale=5, text='=HYPERLINK("http://x")\x07 很好', phone="13812345678")
    answer(survey, 2, scale=2)
    answer(survey, 3, scale=2)
    book = export(client, owner, survey)
    assert book.sheetnames == ["结果", "答卷"]
    results = {row[0]: row[1:] for row in book["结果"].iter_rows(values_only=True) if row[0]}
    assert results["答卷数"][0] == 3
    assert results["平均分"][0] == 3.0
    assert results["非常了解"][:2] == (3, 1.0)  # 3 people, 100 %
    assert results["2 分"][:2] == (2, pytest.approx(2 / 3, abs=0.001))

    rows = list(book["答卷"].iter_rows(values_only=True))
    header, first = rows[0], rows[1]
    assert len(rows) == 1 + 3
    assert header[0] == "序号" and header[2].startswith("1. ")
    assert first[2] == "非常了解"
    assert first[3] == "大厅宣传、政务服务网"
    assert first[4] == "5"
    assert first[5] == '=HYPERLINK("http://x") 很好'  # text, control character gone
    assert first[6] == "138****5678"
    cell = book["答卷"].cell(row=2, column=6)
    assert cell.data_type == "s"


def test_an_empty_questionnaire_exports_headers_only(client, owner, survey):
    book = export(client, owner, survey)
    assert len(list(book["答卷"].iter_rows(values_only=True))) == 1
