"""Issue 14 point 2: text stored with control characters before the edge refused them (a comment, a
staff name) never breaks the day's export (openpyxl's IllegalCharacterError), and cleaning it never
turns it into a formula."""

import datetime as dt

import pytest
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from reporting.exports.run import export_start

from .reporting_fixtures import rate
from .test_reporting_exports import _csv_rows, _xlsx_rows

pytestmark = [pytest.mark.django_db, pytest.mark.calendar, pytest.mark.usefixtures("november_2026")]

FIRST, LAST = dt.date(2026, 10, 1), dt.date(2026, 10, 31)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def stored(org) -> None:
    side = org["zhanggong"]
    side["staff"].name = "章贡区\u0003张三"
    side["staff"].save()
    rate(side, 1, comment='态度\u0008差\u001b，\u0001=HYPERLINK("http://x")\n请改进\u0085')
    assert ILLEGAL_CHARACTERS_RE.search(side["staff"].name)  # openpyxl would refuse this cell


def test_issue14_p2_an_xlsx_export_strips_stored_control_characters(owner, stored):
    job = export_start(user=owner, kind="evaluations", file_format="xlsx", date_from=FIRST, date_to=LAST)
    assert job.status == "done"
    header, row = _xlsx_rows(job)
    cells = dict(zip(header, row, strict=True))
    assert cells["工作人员"] == "章贡区张三"
    assert cells["评价内容"] == '态度差，=HYPERLINK("http://x")\n请改进'


def test_issue14_p2_cleaning_never_uncovers_a_formula(owner, org):
    rate(org["zhanggong"], 1, comment='\u0001=HYPERLINK("http://x")')
    job = export_start(user=owner, kind="evaluations", file_format="csv", date_from=FIRST, date_to=LAST)
    _raw, (header, row) = _csv_rows(job)
    assert dict(zip(header, row, strict=True))["评价内容"] == '\'=HYPERLINK("http://x")'
