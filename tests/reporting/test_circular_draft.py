"""The draft a circular starts as (issue 16 §2; Ganzhou art. 20-21, Tianjin art. 25): prefilled with the
office's document number, the month's figures, the orders overdue or open at the cut-off, the 堵点, the
typical cases the office marked and the month's supervision (监督查评); the office edits its text."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from reporting.circulars.service import circular_draft_save, circular_freeze, circular_generate
from reporting.models import Circular, TypicalCase
from reporting.periods import Period

pytestmark = [pytest.mark.django_db, pytest.mark.calendar, pytest.mark.usefixtures("november_2026")]
OCT = Period.parse("2026-10")


def test_ganzhou_art20_the_draft_is_prefilled_for_the_citys_own_scope(regions, october):
    draft = circular_generate(region=regions["city"], period=OCT)
    assert draft.state == "draft" and draft.frozen_at is None
    assert draft.number == "赣市政管通〔2026〕1号"
    assert draft.data["issuer"] == "赣州市政务服务管理办公室"
    assert draft.data["summary"]["sample"] == 7
    # No inspection in October: the section is there with zeros (tests/supervision/test_period_results.py
    # holds a month with findings).
    lines = {line["label"]: line["value"] for line in draft.data["supervision"]["lines"]}
    assert lines["督查计划"] == 0 and lines["发现问题"] == 0 and draft.data["supervision"]["findings"] == []
    assert draft.data["cut_off"].startswith("2026-11-20T10:")

    open_orders = draft.data["open_orders"]
    assert (open_orders["total"], open_orders["overdue"]) == (3, 2)  # the closed one is not listed
    numbers = [row["number"] for row in open_orders["rows"]]
    assert numbers == [october["overdue"].number, october["nankang"].number, october["on_time"].number]
    first = open_orders["rows"][0]
    assert first["overdue"] and first["overdue_days"] == 8  # 10 → 20 November: 8 working days
    assert (first["due"], first["what"], first["source"]) == ("2026-11-10", "个体工商户设立登记", "差评")
    assert not open_orders["rows"][2]["overdue"]  # under review: the office's move, not overdue

    hotspots = draft.data["hotspots"]
    assert hotspots["bad"] == 4
    assert [tag["count"] for tag in hotspots["tags"]] == [3, 2]  # M1-01 three times, M1-02 twice


def test_a_county_drafts_only_its_own_orders(regions, october):
    draft = circular_generate(region=regions["nankang"], period=OCT)
    assert [row["number"] for row in draft.data["open_orders"]["rows"]] == [october["nankang"].number]
    assert draft.number == "〔2026〕1号"  # no pattern set in the admin: the default one


def test_the_sequence_counts_the_circulars_the_office_froze_this_year(regions, october, sysadmin):
    first = circular_generate(region=regions["city"], period=Period.parse("2026-09"))
    circular_freeze(circular=first, by=sysadmin)
    assert circular_generate(region=regions["city"], period=OCT).number == "赣市政管通〔2026〕2号"


def test_the_office_edits_the_text_and_marks_typical_cases(regions, october, sysadmin):
    draft = circular_generate(region=regions["city"], period=OCT)
    overdue = october["overdue"]
    number, text = " 赣市政管通〔2026〕9号 ", "十月总体平稳。"
    circular_draft_save(circular=draft, number=number, narrative=text, case_orders=[overdue.pk], by=sysadmin)
    draft.refresh_from_db()
    assert (draft.number, draft.narrative) == ("赣市政管通〔2026〕9号", "十月总体平稳。")
    [case] = draft.cases
    assert case["number"] == overdue.number and case["department"] == "章贡区市场监督管理局"
    assert case["comment"] == "材料反复提交，电话138****5678"  # masked
    assert TypicalCase.objects.get().order == overdue

    # The mark prefills the office's next draft of the month; unticking removes it.
    again = circular_generate(region=regions["city"], period=OCT)
    assert [c["number"] for c in again.cases] == [overdue.number]
    circular_draft_save(circular=again, number=again.number, narrative="", case_orders=[], by=sysadmin)
    again.refresh_from_db()
    assert again.cases == [] and not TypicalCase.objects.exists()


def test_a_case_outside_the_scope_is_refused_and_nothing_is_written(regions, october, sysadmin):
    draft = circular_generate(region=regions["zhanggong"], period=OCT)
    with pytest.raises(ValidationError):
        circular_draft_save(
            circular=draft, number="X", narrative="写了一半", case_orders=[october["nankang"].pk], by=sysadmin
        )
    draft.refresh_from_db()
    assert draft.narrative == "" and not TypicalCase.objects.exists()


def test_the_draft_page_shows_the_cases_and_the_errors_next_to_the_field(client, regions, october, owner):
    draft = circular_generate(region=regions["zhanggong"], period=OCT)
    client.force_login(owner)
    url = reverse("reporting:circular_edit", args=[draft.pk])
    page = client.get(url).content.decode()
    assert october["overdue"].number in page and october["nankang"].number not in page
    response = client.post(
        url, {"number": "章政管通〔2026〕1号", "narrative": "x", "cases": [october["nankang"].pk]}
    )
    assert response.status_code == 400 and "所选案例不是本通报范围内本月的差评" in response.content.decode()
    response = client.post(url, {"number": "章政管通〔2026〕1号", "narrative": "本月情况", "cases": []})
    assert response.status_code == 302
    detail = client.get(reverse("reporting:circular", args=[draft.pk])).content.decode()
    assert "章政管通〔2026〕1号" in detail and "本月情况" in detail
    assert "四、逾期及未办结工单" in detail and "截至 2026年11月20日 10:" in detail
    assert "五、堵点分析" in detail and "六、监督查评情况" in detail and "督查计划" in detail


def test_the_city_office_reads_a_countys_draft_but_does_not_change_it(client, regions, october, city_office):
    draft = circular_generate(region=regions["zhanggong"], period=OCT)
    client.force_login(city_office)
    assert client.get(reverse("reporting:circular", args=[draft.pk])).status_code == 200
    assert client.get(reverse("reporting:circular_edit", args=[draft.pk])).status_code == 403
    assert client.post(reverse("reporting:circular_freeze", args=[draft.pk])).status_code == 403
    assert Circular.objects.get().state == "draft"


def test_the_workbook_lists_the_open_orders_with_the_cut_off(regions, october):
    from io import BytesIO

    import openpyxl

    from reporting.circulars.xlsx import circular_workbook

    book = openpyxl.load_workbook(
        BytesIO(circular_workbook(circular_generate(region=regions["city"], period=OCT)))
    )
    sheet = book["逾期及未办结工单"]
    assert str(sheet["A1"].value).startswith("截至 2026-11-20T10:")
    first = [cell.value for cell in sheet[3]]
    assert first[0] == october["overdue"].number and first[-1] == 8
    assert (
        dict(row[:2] for row in book["概况"].iter_rows(values_only=True) if row[0])["文号"]
        == "赣市政管通〔2026〕1号"
    )
