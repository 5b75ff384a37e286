"""A questionnaire of the 章贡区 office with one question of every kind (fixtures of tests/conftest.py)."""

import pytest

from questionnaires.models import Kind, Purpose, Questionnaire
from questionnaires.services import question_add, questionnaire_create, questionnaire_publish

# (kind, text, required, choices)
QUESTIONS = [
    (Kind.SINGLE, "您是否了解“一件事一次办”政策？", True, ["非常了解", "听说过", "不了解"]),
    (
        Kind.MULTIPLE,
        "您通过哪些渠道了解到该政策？",
        False,
        ["大厅宣传", "政务服务网", "朋友介绍", "新闻媒体"],
    ),
    (Kind.SCALE, "您对办事便利程度的评分", True, []),
    (Kind.TEXT, "您的意见和建议", False, []),
    (Kind.PHONE, "联系电话（愿意接受回访时填写）", False, []),
]


def build(owner, *, publish: bool = True, title: str = "“一件事一次办”政策知晓度调查") -> Questionnaire:
    questionnaire = questionnaire_create(
        title=title, purpose=Purpose.AWARENESS, intro="本问卷匿名填写。", region=owner.region, by=owner
    )
    for kind, text, required, choices in QUESTIONS:
        question_add(
            questionnaire=questionnaire, kind=kind, text=text, required=required, choices=choices, by=owner
        )
    if publish:
        questionnaire = questionnaire_publish(questionnaire=questionnaire, by=owner)
    return questionnaire


@pytest.fixture
def survey(owner) -> Questionnaire:
    """Published, five questions: single (required), multiple, scale (required), text, phone."""
    return build(owner)


@pytest.fixture
def draft(owner) -> Questionnaire:
    return build(owner, publish=False, title="草稿问卷")


def questions_of(questionnaire: Questionnaire) -> dict[str, object]:
    """The questions by kind, for building answers."""
    return {q.kind: q for q in questionnaire.questions.prefetch_related("choices")}


def good_answers(questionnaire: Questionnaire, *, scale: int = 4, text: str = "", phone: str = "") -> dict:
    q = questions_of(questionnaire)
    single, multiple = q[Kind.SINGLE], q[Kind.MULTIPLE]
    return {
        single.pk: single.choices.all()[0].pk,
        multiple.pk: [c.pk for c in multiple.choices.all()[:2]],
        q[Kind.SCALE].pk: scale,
        q[Kind.TEXT].pk: text,
        q[Kind.PHONE].pk: phone,
    }
