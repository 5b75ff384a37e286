"""The citizen's page /s/<token>/: anonymous, no JavaScript, CSRF as the rating pages, rate-limited,
errors next to their question, nothing half-saved; a draft and a closed questionnaire say so
(51号 三(四) 问卷调查; 四(二) 评价人信息保护: nothing that names the citizen is asked or kept)."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from evaluations.care import COOKIE
from questionnaires.forms import field_name
from questionnaires.models import Answer, Kind, Submission
from questionnaires.services import questionnaire_close

from .conftest import questions_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("own_counters")]


def url(questionnaire) -> str:
    return reverse("survey:answer", args=[questionnaire.token])


def post_data(questionnaire, **overrides) -> dict:
    q = questions_of(questionnaire)
    data = {
        "client_id": "web-" + "b" * 32,
        field_name(q[Kind.SINGLE]): str(q[Kind.SINGLE].choices.all()[1].pk),
        field_name(q[Kind.MULTIPLE]): [str(c.pk) for c in q[Kind.MULTIPLE].choices.all()[:2]],
        field_name(q[Kind.SCALE]): "5",
        field_name(q[Kind.TEXT]): "窗口\x08服务很好",
        field_name(q[Kind.PHONE]): "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def question_section(html: str, question) -> str:
    found = re.search(
        rf'<section class="c-card s-question" id="question-{question.pk}">(.*?)</section>', html, re.S
    )
    assert found, "the question is on the page"
    return found.group(1)


def test_the_page_shows_every_question_without_login_or_script(client, survey):
    response = client.get(url(survey))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script" not in html
    for question in survey.questions.all():
        assert question.text in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert "（必答）" in question_section(html, questions_of(survey)[Kind.SINGLE])


def test_a_good_submission_is_written_and_ends_on_the_thank_you_page(client, survey):
    response = client.post(url(survey), post_data(survey))
    assert response.status_code == 302
    assert response["Location"] == reverse("survey:thanks", args=[survey.token])
    submission = Submission.objects.get()
    assert submission.answers.count() == 5  # single, two boxes, scale, text; the phone left empty
    text = submission.answers.get(question__kind=Kind.TEXT).text
    assert text == "窗口服务很好"  # the control character stripped (evaluations/text.py)
    assert "感谢您的参与" in client.get(response["Location"]).content.decode()


def test_a_resent_form_is_counted_once(client, survey):
    client.post(url(survey), post_data(survey))
    again = client.post(url(survey), post_data(survey))
    assert again.status_code == 302
    assert Submission.objects.count() == 1


def test_missing_required_answers_are_shown_next_to_their_questions(client, survey):
    q = questions_of(survey)
    response = client.post(url(survey), post_data(survey, **{field_name(q[Kind.SINGLE]): None}))
    assert response.status_code == 422
    html = response.content.decode()
    assert "还不能提交" in html
    assert "请回答本题。" in question_section(html, q[Kind.SINGLE])
    assert "请回答本题。" not in question_section(html, q[Kind.SCALE])
    assert f'href="#question-{q[Kind.SINGLE].pk}"' in html
    # What the citizen did choose is still chosen.
    assert re.search(r'value="5"[^>]*checked', question_section(html, q[Kind.SCALE]))
    assert Submission.objects.count() == 0 and Answer.objects.count() == 0


@pytest.mark.parametrize("bad", ["999999", "abc"])
def test_a_wrong_choice_id_is_refused_next_to_its_question(client, survey, bad):
    q = questions_of(survey)
    data = post_data(
        survey, **{field_name(q[Kind.MULTIPLE]): [str(q[Kind.MULTIPLE].choices.first().pk), bad]}
    )
    response = client.post(url(survey), data)
    assert response.status_code == 422
    assert "所选的选项不属于本题，请重新选择。" in question_section(
        response.content.decode(), q[Kind.MULTIPLE]
    )
    assert Submission.objects.count() == 0


def test_a_scale_outside_1_to_5_is_refused(client, survey):
    q = questions_of(survey)
    response = client.post(url(survey), post_data(survey, **{field_name(q[Kind.SCALE]): "9"}))
    assert response.status_code == 422
    assert "请在 1 到 5 分之间选择。" in question_section(response.content.decode(), q[Kind.SCALE])


def test_nul_in_free_text_is_refused_with_a_chinese_message(client, survey):
    q = questions_of(survey)
    response = client.post(url(survey), post_data(survey, **{field_name(q[Kind.TEXT]): "好\x00"}))
    assert response.status_code == 422
    assert "不能包含空字符" in question_section(response.content.decode(), q[Kind.TEXT])
    assert Submission.objects.count() == 0


def test_a_closed_questionnaire_says_so_with_410(client, survey, owner):
    questionnaire_close(questionnaire=survey, by=owner)
    page = client.get(url(survey))
    assert page.status_code == 410
    assert "本问卷已结束" in page.content.decode()
    posted = client.post(url(survey), post_data(survey))
    assert posted.status_code == 410
    assert Submission.objects.count() == 0


def test_a_questionnaire_not_yet_published_says_so(client, draft):
    page = client.get(url(draft))
    assert page.status_code == 200
    assert "本问卷尚未开始" in page.content.decode()
    assert "<form" not in page.content.decode()
    assert client.post(url(draft), post_data(draft)).status_code == 409
    assert Submission.objects.count() == 0


def test_an_unknown_token_is_a_chinese_404(client, survey):
    response = client.get(reverse("survey:answer", args=["x" * 22]))
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_posts_beyond_the_address_limit_are_refused_and_not_written(client, survey, settings):
    settings.CITIZEN_ADDRESS_LIMIT = 2
    for n in range(2):
        assert client.post(url(survey), post_data(survey, client_id=f"web-{n:032d}")).status_code == 302
    refused = client.post(url(survey), post_data(survey, client_id="web-" + "c" * 32))
    assert refused.status_code == 429
    assert "提交过于频繁" in refused.content.decode()
    assert Submission.objects.count() == 2


def test_a_post_without_the_csrf_token_is_refused(survey):
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(url(survey), post_data(survey))
    assert response.status_code == 403
    assert Submission.objects.count() == 0


def test_care_mode_is_switched_on_by_the_cookie(client, survey):
    client.cookies[COOKIE] = "1"
    html = client.get(url(survey)).content.decode()
    assert '<html lang="zh-hans" class="care">' in html
    assert "切换到标准版" in html
