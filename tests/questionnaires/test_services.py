"""The questionnaire services: a draft is built and frozen at publication; a citizen's answers are
checked against their questions and written all together or not at all (51号 三(四) 监督查评:
问卷调查 on 政策知悉度、办事便利度、服务满意度; 青岛 三(四))."""

import pytest

from questionnaires.models import Answer, Kind, State, Submission
from questionnaires.services import (
    QuestionnaireError,
    SubmissionRefused,
    question_add,
    question_move,
    question_remove,
    questionnaire_close,
    questionnaire_create,
    questionnaire_publish,
    submission_record,
)

from .conftest import good_answers, questions_of

pytestmark = pytest.mark.django_db


def record(questionnaire, answers, client_id="web-" + "a" * 32):
    return submission_record(questionnaire=questionnaire, answers=answers, client_id=client_id)


def test_it_records_one_submission_with_a_row_per_answer(survey):
    recorded = record(survey, good_answers(survey, text="取号等了很久", phone="138 1234 5678"))
    assert recorded.created
    rows = Answer.objects.filter(submission=recorded.submission)
    # single 1 + multiple 2 + scale 1 + text 1 + phone 1
    assert rows.count() == 6
    phone = rows.get(question__kind=Kind.PHONE)
    assert phone.personal == "13812345678" and phone.text == ""


def test_the_phone_is_stored_encrypted(survey):
    from django.db import connection

    recorded = record(survey, good_answers(survey, phone="13812345678"))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT personal FROM questionnaires_answer WHERE submission_id = %s AND personal <> ''",
            [recorded.submission.pk],
        )
        stored = cursor.fetchone()[0]
    assert "13812345678" not in stored


def test_it_refuses_missing_required_answers_and_writes_nothing(survey):
    answers = good_answers(survey)
    q = questions_of(survey)
    answers[q[Kind.SINGLE].pk] = None
    answers[q[Kind.SCALE].pk] = None
    with pytest.raises(SubmissionRefused) as refused:
        record(survey, answers)
    assert set(refused.value.errors) == {q[Kind.SINGLE].pk, q[Kind.SCALE].pk}
    assert refused.value.errors[q[Kind.SINGLE].pk] == "请回答本题。"
    assert Submission.objects.count() == 0 and Answer.objects.count() == 0


def test_optional_questions_may_stay_empty(survey):
    answers = good_answers(survey)
    q = questions_of(survey)
    answers[q[Kind.MULTIPLE].pk] = []
    recorded = record(survey, answers)
    assert not recorded.submission.answers.filter(question=q[Kind.MULTIPLE]).exists()


def test_it_refuses_a_choice_of_another_question(survey):
    q = questions_of(survey)
    answers = good_answers(survey)
    answers[q[Kind.SINGLE].pk] = q[Kind.MULTIPLE].choices.first().pk  # a real id, of another question
    answers[q[Kind.MULTIPLE].pk] = [q[Kind.MULTIPLE].choices.first().pk, 999_999]
    with pytest.raises(SubmissionRefused) as refused:
        record(survey, answers)
    assert refused.value.errors == {
        q[Kind.SINGLE].pk: "所选的选项不属于本题，请重新选择。",
        q[Kind.MULTIPLE].pk: "所选的选项不属于本题，请重新选择。",
    }
    assert Answer.objects.count() == 0


def test_it_refuses_two_choices_for_a_single_choice_question(survey):
    q = questions_of(survey)
    answers = good_answers(survey)
    answers[q[Kind.SINGLE].pk] = [c.pk for c in q[Kind.SINGLE].choices.all()[:2]]
    with pytest.raises(SubmissionRefused) as refused:
        record(survey, answers)
    assert refused.value.errors == {q[Kind.SINGLE].pk: "本题只能选一项。"}


@pytest.mark.parametrize("value", [0, 6, -1])
def test_it_refuses_a_scale_outside_1_to_5(survey, value):
    q = questions_of(survey)
    with pytest.raises(SubmissionRefused) as refused:
        record(survey, good_answers(survey, scale=value))
    assert refused.value.errors == {q[Kind.SCALE].pk: "请在 1 到 5 分之间选择。"}


def test_it_refuses_a_phone_that_is_no_phone_and_text_that_is_too_long(survey):
    q = questions_of(survey)
    with pytest.raises(SubmissionRefused) as refused:
        record(survey, good_answers(survey, text="字" * 501, phone="12345"))
    assert refused.value.errors == {
        q[Kind.TEXT].pk: "最多 500 字，请删减后再提交。",
        q[Kind.PHONE].pk: "请填写正确的手机号码或带区号的固定电话。",
    }


def test_the_same_page_sent_twice_is_one_submission(survey):
    first = record(survey, good_answers(survey))
    again = record(survey, good_answers(survey, scale=1))
    assert not again.created and again.submission == first.submission
    assert Submission.objects.count() == 1


def test_a_closed_questionnaire_takes_no_answers(survey, owner):
    questionnaire_close(questionnaire=survey, by=owner)
    with pytest.raises(SubmissionRefused) as refused:
        record(survey, good_answers(survey))
    assert refused.value.state == State.CLOSED
    assert Submission.objects.count() == 0


def test_a_draft_takes_no_answers(draft):
    with pytest.raises(SubmissionRefused) as refused:
        record(draft, good_answers(draft))
    assert refused.value.state == State.DRAFT


def test_questions_are_ordered_moved_and_removed(owner):
    questionnaire = questionnaire_create(
        title="便利度", purpose="convenience", intro="", region=owner.region, by=owner
    )
    first, _second, third = (
        question_add(
            questionnaire=questionnaire, kind=Kind.SCALE, text=text, required=True, choices=[], by=owner
        )
        for text in ("一", "二", "三")
    )
    question_move(question=third, up=True, by=owner)
    assert list(questionnaire.questions.values_list("text", flat=True)) == ["一", "三", "二"]
    question_move(question=first, up=True, by=owner)  # already at the top: nothing moves
    question_remove(question=first, by=owner)
    assert list(questionnaire.questions.values_list("text", "position")) == [("三", 1), ("二", 2)]


def test_choice_questions_need_two_distinct_choices(draft, owner):
    with pytest.raises(QuestionnaireError) as error:
        question_add(
            questionnaire=draft,
            kind=Kind.SINGLE,
            text="只有一个",
            required=True,
            choices=["是", " "],
            by=owner,
        )
    assert error.value.field == "choices"
    with pytest.raises(QuestionnaireError, match="不能重复"):
        question_add(
            questionnaire=draft,
            kind=Kind.MULTIPLE,
            text="重复",
            required=True,
            choices=["是", "是"],
            by=owner,
        )
    with pytest.raises(QuestionnaireError, match="只有单选题和多选题有选项"):
        question_add(
            questionnaire=draft, kind=Kind.TEXT, text="文字", required=True, choices=["是"], by=owner
        )


def test_a_published_questionnaire_is_frozen(survey, owner):
    with pytest.raises(QuestionnaireError, match="不能再修改"):
        question_add(
            questionnaire=survey, kind=Kind.TEXT, text="晚加的", required=False, choices=[], by=owner
        )
    with pytest.raises(QuestionnaireError, match="不能再修改"):
        question_remove(question=survey.questions.first(), by=owner)
    assert survey.questions.count() == 5


def test_an_empty_questionnaire_cannot_be_published(owner):
    empty = questionnaire_create(title="空", purpose="other", intro="", region=owner.region, by=owner)
    with pytest.raises(QuestionnaireError, match="还没有题目"):
        questionnaire_publish(questionnaire=empty, by=owner)
    empty.refresh_from_db()
    assert empty.state == State.DRAFT


def test_publish_and_close_are_stamped_and_only_once(draft, owner):
    published = questionnaire_publish(questionnaire=draft, by=owner)
    assert published.state == State.PUBLISHED and published.published_at is not None
    with pytest.raises(QuestionnaireError):
        questionnaire_publish(questionnaire=draft, by=owner)
    closed = questionnaire_close(questionnaire=draft, by=owner)
    assert closed.closed_at is not None
    with pytest.raises(QuestionnaireError):
        questionnaire_close(questionnaire=draft, by=owner)


@pytest.mark.parametrize(
    "statement",
    ["UPDATE questionnaires_answer SET scale = 1", "DELETE FROM questionnaires_answer",
     "DELETE FROM questionnaires_submission"],
)  # fmt: skip
def test_the_app_role_can_neither_edit_nor_delete_answers(survey, statement):
    """Answers are append-only for the application's database role (config/database_roles.py)."""
    from django.db import DatabaseError, connection, transaction

    record(survey, good_answers(survey))
    with (
        pytest.raises(DatabaseError, match="permission denied"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement)
    assert Answer.objects.filter(scale=4).count() == 1
