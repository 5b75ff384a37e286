"""The office's pages: build, publish, close; the region scope; results with counts, percentages,
bars and averages; personal data and numbers in free text masked (51号 四(二) 评价人信息保护)."""

import pytest
from django.urls import reverse

from evaluations.models import Role, User
from questionnaires.models import Kind, Questionnaire, State
from questionnaires.services import submission_record

from .conftest import good_answers, questions_of

pytestmark = pytest.mark.django_db


def logged_in(client, user):
    client.force_login(user)
    return client


def answer(questionnaire, n: int, **kwargs) -> None:
    submission_record(
        questionnaire=questionnaire, answers=good_answers(questionnaire, **kwargs), client_id=f"web-{n:032d}"
    )


def test_an_office_builds_and_publishes_a_questionnaire(client, owner):
    logged_in(client, owner)
    response = client.post(
        reverse("questionnaires:new"),
        {"title": "新政策知晓度", "purpose": "awareness", "region": owner.region.pk, "intro": ""},
    )
    questionnaire = Questionnaire.objects.get()
    assert response["Location"] == reverse("questionnaires:detail", args=[questionnaire.pk])
    add = reverse("questionnaires:question_new", args=[questionnaire.pk])
    assert (
        client.post(
            add, {"kind": "single", "text": "是否了解？", "required": "on", "choices": "了解\n不了解"}
        ).status_code
        == 302
    )
    assert client.post(add, {"kind": "scale", "text": "便利程度", "choices": ""}).status_code == 302
    first, second = questionnaire.questions.all()
    assert (first.required, second.required) == (True, False)
    assert list(first.choices.values_list("text", flat=True)) == ["了解", "不了解"]
    client.post(reverse("questionnaires:question_up", args=[questionnaire.pk, second.pk]))
    assert list(questionnaire.questions.values_list("text", flat=True)) == ["便利程度", "是否了解？"]
    client.post(reverse("questionnaires:publish", args=[questionnaire.pk]))
    questionnaire.refresh_from_db()
    assert questionnaire.state == State.PUBLISHED
    page = client.get(reverse("questionnaires:detail", args=[questionnaire.pk])).content.decode()
    assert f"/s/{questionnaire.token}/" in page
    assert len(questionnaire.token) >= 22


def test_a_choice_question_without_choices_is_refused_next_to_the_field(client, owner, draft):
    logged_in(client, owner)
    response = client.post(
        reverse("questionnaires:question_new", args=[draft.pk]),
        {"kind": "multiple", "text": "渠道", "choices": "只有一个"},
    )
    assert response.status_code == 422
    assert "选择题至少需要两个选项，每行一个。" in response.content.decode()
    assert draft.questions.count() == 5


def test_a_new_questionnaire_needs_a_title_and_a_region_in_scope(client, owner, regions):
    logged_in(client, owner)
    response = client.post(
        reverse("questionnaires:new"), {"title": "", "purpose": "awareness", "region": regions["nankang"].pk}
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "请选择您管辖范围内的区划。" in html and "这个字段是必填项。" in html
    assert not Questionnaire.objects.exists()


def test_outside_the_region_a_questionnaire_is_not_found(client, outsider, survey):
    logged_in(client, outsider)
    for name in ("detail", "results", "export", "qr_sheet"):
        assert client.get(reverse(f"questionnaires:{name}", args=[survey.pk])).status_code == 404
    assert client.post(reverse("questionnaires:close", args=[survey.pk])).status_code == 404
    assert survey.title not in client.get(reverse("questionnaires:list")).content.decode()


def test_a_department_handler_may_not_use_the_pages(client, colleague, survey):
    logged_in(client, colleague)
    assert client.get(reverse("questionnaires:list")).status_code == 403


def test_the_auditor_reads_results_but_builds_nothing(client, regions, survey):
    auditor = User.objects.create_user(
        username="aud", password="x", role=Role.AUDITOR, region=regions["city"]
    )
    logged_in(client, auditor)
    assert client.get(reverse("questionnaires:results", args=[survey.pk])).status_code == 200
    assert client.post(reverse("questionnaires:close", args=[survey.pk])).status_code == 403
    assert client.get(reverse("questionnaires:new")).status_code == 403


def test_the_office_closes_a_questionnaire(client, owner, survey):
    logged_in(client, owner)
    assert client.post(reverse("questionnaires:close", args=[survey.pk])).status_code == 302
    survey.refresh_from_db()
    assert survey.state == State.CLOSED
    again = client.post(reverse("questionnaires:close", args=[survey.pk]))
    assert again.status_code == 422 and "只有收集中的问卷可以结束。" in again.content.decode()


def test_results_count_each_choice_with_percentages_bars_and_an_average(client, owner, survey):
    for n, scale in enumerate([5, 4, 4, 1]):
        answer(survey, n, scale=scale)
    logged_in(client, owner)
    html = client.get(reverse("questionnaires:results", args=[survey.pk])).content.decode()
    assert '<strong id="submission-count">4</strong>' in html
    assert "平均 3.50 分" in html
    # 4 of 4 chose the first option of the single-choice question: a full bar and 100.0%.
    assert '<progress max="100" value="100.0"' in html
    assert "100.0%" in html and "50.0%" in html  # scale 4: two of four


def test_personal_data_and_numbers_in_text_are_masked_on_the_results_page(client, owner, survey):
    answer(survey, 1, text="请回电 13912345678，身份证 360702199001011234", phone="13812345678")
    logged_in(client, owner)
    html = client.get(reverse("questionnaires:results", args=[survey.pk])).content.decode()
    assert "138****5678" in html and "13812345678" not in html
    assert "139****5678" in html and "13912345678" not in html
    assert "360702199001011234" not in html


def test_a_draft_has_no_results_link_and_no_qr(client, owner, draft):
    logged_in(client, owner)
    html = client.get(reverse("questionnaires:detail", args=[draft.pk])).content.decode()
    assert reverse("questionnaires:results", args=[draft.pk]) not in html
    assert draft.token not in html
    assert client.get(reverse("questionnaires:qr_sheet", args=[draft.pk])).status_code == 302


def test_the_qr_poster_encodes_the_public_link(client, owner, survey, settings):
    settings.PUBLIC_BASE_URL = "https://hcp.example.gov.cn"
    logged_in(client, owner)
    html = client.get(reverse("questionnaires:qr_sheet", args=[survey.pk])).content.decode()
    assert f"https://hcp.example.gov.cn/s/{survey.token}/" in html
    assert "<svg" in html
    image = client.get(reverse("questionnaires:qr_png", args=[survey.pk]))
    assert image["Content-Type"] == "image/png" and image.content.startswith(b"\x89PNG")


def test_the_question_kinds_shown_to_the_office(client, owner, survey):
    logged_in(client, owner)
    html = client.get(reverse("questionnaires:detail", args=[survey.pk])).content.decode()
    assert "个人信息：页面和导出中打码显示" in html
    assert questions_of(survey)[Kind.PHONE].text in html
