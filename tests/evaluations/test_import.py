"""Master data import: a good file goes in whole; a file with a bad row says which and goes in not at all."""

import io
import re

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile

from evaluations.models import Department, Region, ServiceMatter, Window
from evaluations.resources import RegionResource, ServiceMatterResource, WindowResource

from ..helpers import make_uscc

pytestmark = pytest.mark.django_db

REGION_HEADERS = ["区划代码", "名称", "层级", "上级区划代码"]


def dataset(headers: list[str], rows: list[list]) -> tablib.Dataset:
    return tablib.Dataset(*rows, headers=headers)


def test_a_good_region_file_imports_parents_before_children(regions, sysadmin):
    data = dataset(
        REGION_HEADERS,
        [
            ["360703001000", "东山街道", "乡镇（街道）级", "360703000000"],
            ["360703001001", "东山社区", 5, "360703001000"],
        ],
    )
    result = RegionResource().import_data(data, dry_run=False, user=sysadmin)
    assert not result.has_errors() and not result.has_validation_errors()
    village = Region.objects.get(code="360703001001")
    assert village.parent.code == "360703001000"
    assert village.path.endswith("/360703000000/360703001000/360703001001/")


def test_a_bad_row_is_reported_with_its_number_and_nothing_is_imported(regions, sysadmin):
    before = Region.objects.count()
    data = dataset(
        REGION_HEADERS,
        [
            ["360703001000", "东山街道", "乡镇（街道）级", "360703000000"],
            ["360703009999", "错误代码", "乡镇（街道）级", "360703000000"],
            ["360703002000", "无上级", "乡镇（街道）级", "369999000000"],
        ],
    )
    result = RegionResource().import_data(data, dry_run=False, user=sysadmin)
    assert result.has_validation_errors()
    invalid = {row.number: row.error.message_dict for row in result.invalid_rows}
    assert set(invalid) == {2, 3}
    assert "第 10 位起应为 0" in invalid[2]["code"][0]
    assert "找不到编码为“369999000000”的上级区划" in invalid[3]["parent"][0]
    assert Region.objects.count() == before
    assert not Region.objects.filter(code="360703001000").exists()


@pytest.mark.parametrize(
    ("kind", "consultation_only", "field", "message"),
    [
        ("加急件", "是", "kind", "“加急件”不是有效取值，可选：即办件、承诺件"),
        ("即办件", "也许", "consultation_only", "“也许”应填写“是”或“否”。"),
    ],
)
def test_a_value_outside_the_list_is_explained(org, sysadmin, kind, consultation_only, field, message):
    department = org["zhanggong"]["department"]
    data = dataset(
        ["事项编码", "事项名称", "实施部门代码", "办件类型", "仅咨询"],
        [["M-new", "食品经营许可证核发", department.code, kind, consultation_only]],
    )
    result = ServiceMatterResource().import_data(data, dry_run=False, user=sysadmin)
    assert result.invalid_rows[0].error.message_dict[field] == [message]
    assert not ServiceMatter.objects.filter(code="M-new").exists()


def test_window_departments_must_all_exist(org, sysadmin):
    department = org["zhanggong"]["department"]
    data = dataset(
        ["窗口编码", "窗口名称", "大厅编码", "进驻部门代码"],
        [["W-new", "不动产登记窗口", "H-zhanggong", f"{department.code}，{make_uscc('360702000000', 9)}"]],
    )
    result = WindowResource().import_data(data, dry_run=False, user=sysadmin)
    assert result.has_validation_errors()
    assert "进驻" not in str(result.invalid_rows[0].error.message_dict)  # the message names the code
    assert make_uscc("360702000000", 9) in result.invalid_rows[0].error.message_dict["departments"][0]
    assert not Window.objects.filter(code="W-new").exists()


def test_an_office_cannot_import_into_another_region(outsider, regions):
    data = dataset(REGION_HEADERS, [["360702002000", "南外街道", 4, "360702000000"]])
    result = RegionResource().import_data(data, dry_run=False, user=outsider)
    assert "或您无权使用" in result.invalid_rows[0].error.message_dict["parent"][0]
    assert not Region.objects.filter(code="360702002000").exists()


def _post_import(client, model: str, filename: str, content: bytes, fmt: int) -> str:
    response = client.post(
        f"/admin/evaluations/{model}/import/",
        {"resource": 0, "format": fmt, "import_file": SimpleUploadedFile(filename, content)},
    )
    assert response.status_code == 200
    return response.text


def test_the_admin_shows_row_errors_for_a_bad_csv_and_imports_nothing(client, sysadmin, regions):
    client.force_login(sysadmin)
    content = (
        "区划代码,名称,层级,上级区划代码\n"
        "360703001000,东山街道,4,360703000000\n"
        "3607030,短代码,4,360703000000\n"
    )
    text = _post_import(client, "region", "regions.csv", content.encode(), fmt=1)
    assert "本次未导入任何数据" in text
    # The bad row is the third line of the sheet (header, good row, bad row), named by its column.
    assert re.search(
        r"<td>3</td>\s*<td class=\"errors\">.*?<strong>区划代码</strong>：区划代码应为 12 位数字。",
        text,
        re.S,
    )
    assert "确认导入" not in text
    assert not Region.objects.filter(code="360703001000").exists()


def test_the_admin_imports_a_good_xlsx_after_confirmation(client, sysadmin, regions):
    client.force_login(sysadmin)
    data = dataset(
        ["统一社会信用代码", "名称", "所属区划代码", "机构类型", "启用"],
        [[make_uscc("360703000000", 5), "南康区行政审批局", 360703000000, "政府部门", "是"]],
    )
    buffer = io.BytesIO(data.export("xlsx"))
    text = _post_import(client, "department", "departments.xlsx", buffer.getvalue(), fmt=0)
    assert "确认导入" in text
    form = dict(re.findall(r'name="(\w+)"[^>]*value="([^"]*)"', text))
    form.pop("csrfmiddlewaretoken", None)
    response = client.post("/admin/evaluations/department/process_import/", form)
    assert response.status_code == 302
    department = Department.objects.get(code=make_uscc("360703000000", 5))
    assert department.region.code == "360703000000"
