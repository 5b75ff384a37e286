"""The write paths of the questionnaires: build a draft, publish, close, and record a citizen's answers.

Each function is one transaction on the questionnaire's row lock, so a question cannot be added while
the questionnaire is being published, and no answer is written after it has closed. The office's
steps leave a line in the admin history (evaluations.audit); a citizen's submission leaves nothing
that names them.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from evaluations.audit import ADDITION, CHANGE, audit
from evaluations.models import Region, User
from evaluations.text import has_nul

from .models import SCALE, TEXT_LIMIT, Answer, Choice, Kind, Question, Questionnaire, Submission

MAX_CHOICES = 20
NAME_LIMIT = 50
# A mobile (11 digits) or a landline with its area code, spaces and hyphens allowed.
PHONE = re.compile(r"^(?:1[3-9]\d{9}|0\d{2,3}-?[2-9]\d{6,7})$")

# The messages a citizen reads next to a question (the form uses the same ones when it cannot parse).
REQUIRED = gettext_lazy("请回答本题。")
INVALID_CHOICE = gettext_lazy("所选的选项不属于本题，请重新选择。")
ONE_CHOICE = gettext_lazy("本题只能选一项。")
INVALID_SCALE = gettext_lazy("请在 1 到 5 分之间选择。")
TOO_LONG = gettext_lazy("最多 %(n)d 字，请删减后再提交。")
BAD_PHONE = gettext_lazy("请填写正确的手机号码或带区号的固定电话。")


class QuestionnaireError(Exception):
    """A step the office asked for that cannot be done; ``field`` names the form field it is about."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class SubmissionRefused(Exception):
    """Answers that cannot be recorded: ``errors`` maps a question's id to the message for it, or
    ``state`` says the questionnaire is not taking answers."""

    def __init__(self, errors: dict[int, str] | None = None, state: str = "") -> None:
        super().__init__(errors or state)
        self.errors = errors or {}
        self.state = state


def _locked(questionnaire: Questionnaire) -> Questionnaire:
    return Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)


def _draft(questionnaire: Questionnaire) -> Questionnaire:
    locked = _locked(questionnaire)
    if not locked.is_draft:
        raise QuestionnaireError(_("问卷已经发布，题目不能再修改。"))
    return locked


@transaction.atomic
def questionnaire_create(*, title: str, purpose: str, intro: str, region: Region, by: User) -> Questionnaire:
    questionnaire = Questionnaire.objects.create(
        title=title, purpose=purpose, intro=intro, region=region, created_by=by
    )
    audit(by, questionnaire, ADDITION, _("新建问卷"))
    return questionnaire


@transaction.atomic
def question_add(
    *, questionnaire: Questionnaire, kind: str, text: str, required: bool, choices: Sequence[str], by: User
) -> Question:
    questionnaire = _draft(questionnaire)
    options = [choice.strip() for choice in choices if choice.strip()]
    if kind in (Kind.SINGLE, Kind.MULTIPLE):
        if len(options) < 2:
            raise QuestionnaireError(_("选择题至少需要两个选项，每行一个。"), "choices")
        if len(options) > MAX_CHOICES:
            raise QuestionnaireError(_("选项最多 %(n)d 个。") % {"n": MAX_CHOICES}, "choices")
        if len(set(options)) != len(options):
            raise QuestionnaireError(_("选项不能重复。"), "choices")
    elif options:
        raise QuestionnaireError(_("只有单选题和多选题有选项，请清空选项。"), "choices")
    position = questionnaire.questions.count() + 1
    question = Question.objects.create(
        questionnaire=questionnaire, position=position, kind=kind, text=text, required=required
    )
    Choice.objects.bulk_create(
        Choice(question=question, position=number, text=option) for number, option in enumerate(options, 1)
    )
    return question


@transaction.atomic
def question_move(*, question: Question, up: bool, by: User) -> None:
    """Swap ``question`` with its neighbour above (or below); at the edge nothing moves."""
    questionnaire = _draft(question.questionnaire)
    neighbour = questionnaire.questions.filter(position=question.position + (-1 if up else 1)).first()
    if neighbour is None:
        return
    # The position constraint is checked at commit (deferred), so the two rows can swap in place.
    Question.objects.filter(pk=question.pk).update(position=neighbour.position)
    Question.objects.filter(pk=neighbour.pk).update(position=question.position)


@transaction.atomic
def question_remove(*, question: Question, by: User) -> None:
    questionnaire = _draft(question.questionnaire)
    question.delete()
    questionnaire.questions.filter(position__gt=question.position).update(position=F("position") - 1)


@transaction.atomic
def questionnaire_publish(*, questionnaire: Questionnaire, by: User) -> Questionnaire:
    questionnaire = _draft(questionnaire)
    if not questionnaire.questions.exists():
        raise QuestionnaireError(_("问卷还没有题目，不能发布。"))
    questionnaire.publish(at=timezone.now())
    questionnaire.save()
    audit(by, questionnaire, CHANGE, _("发布问卷"))
    return questionnaire


@transaction.atomic
def questionnaire_close(*, questionnaire: Questionnaire, by: User) -> Questionnaire:
    questionnaire = _locked(questionnaire)
    if not questionnaire.is_open:
        raise QuestionnaireError(_("只有收集中的问卷可以结束。"))
    questionnaire.close(at=timezone.now())
    questionnaire.save()
    audit(by, questionnaire, CHANGE, _("结束问卷"))
    return questionnaire


# ---- a citizen's answers -----------------------------------------------------------------------

AnswerValue = int | list[int] | str | None


@dataclass
class Recorded:
    submission: Submission
    created: bool  # False: the same page was sent again and answered with the first submission


def _answer_rows(question: Question, value: AnswerValue, choice_ids: set[int]) -> list[Answer] | str:
    """The rows for one answer, or the message saying what is wrong with it."""
    empty = value in (None, "", [])
    if empty:
        return str(REQUIRED) if question.required else []
    if question.kind in (Kind.SINGLE, Kind.MULTIPLE):
        ids = value if isinstance(value, list) else [value]
        chosen = [i for i in ids if isinstance(i, int) and i in choice_ids]
        if len(chosen) != len(ids):
            return str(INVALID_CHOICE)
        if question.kind == Kind.SINGLE and len(chosen) != 1:
            return str(ONE_CHOICE)
        return [Answer(question=question, choice_id=i) for i in sorted(set(chosen))]
    if question.kind == Kind.SCALE:
        if not isinstance(value, int) or value not in SCALE:
            return str(INVALID_SCALE)
        return [Answer(question=question, scale=value)]
    text = value if isinstance(value, str) else ""
    if has_nul(text):
        return str(REQUIRED)  # the form refuses NUL with its own message first; never stored
    if question.kind == Kind.PHONE:
        number = re.sub(r"[\s-]", "", text)
        if not PHONE.match(number):
            return str(BAD_PHONE)
        return [Answer(question=question, personal=number)]
    limit = NAME_LIMIT if question.kind == Kind.NAME else TEXT_LIMIT
    if len(text) > limit:
        return str(TOO_LONG) % {"n": limit}
    if question.kind == Kind.NAME:
        return [Answer(question=question, personal=text)]
    return [Answer(question=question, text=text)]


@transaction.atomic
def submission_record(
    *, questionnaire: Questionnaire, answers: dict[int, AnswerValue], client_id: str
) -> Recorded:
    """Check every answer against its question, then write the submission and all its rows together.

    ``answers`` maps a question's id to the parsed value: a choice id (single), a list of choice ids
    (multiple), 1-5 (scale) or text. Every problem is reported at once; nothing is written then.
    """
    questionnaire = _locked(questionnaire)
    if not questionnaire.is_open:
        raise SubmissionRefused(state=questionnaire.state)
    earlier = questionnaire.submissions.filter(client_id=client_id).first()
    if earlier is not None:
        return Recorded(earlier, created=False)
    questions = list(questionnaire.questions.prefetch_related("choices"))
    rows: list[Answer] = []
    errors: dict[int, str] = {}
    for question in questions:
        choice_ids = {choice.pk for choice in question.choices.all()}
        result = _answer_rows(question, answers.get(question.pk), choice_ids)
        if isinstance(result, str):
            errors[question.pk] = result
        else:
            rows += result
    if errors:
        raise SubmissionRefused(errors)
    submission = Submission.objects.create(questionnaire=questionnaire, client_id=client_id)
    for row in rows:
        row.submission = submission
    Answer.objects.bulk_create(rows)
    return Recorded(submission, created=True)
