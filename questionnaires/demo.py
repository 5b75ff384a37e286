"""A demo questionnaire, added when seed_demo has loaded its data (evaluations.signals.demo_seeded):
赣州市's office asks about 一网通办 awareness and convenience, publishes it, and twelve answers come in
through the same service the citizen's page uses."""

import random

from evaluations.models import User

from .models import Kind, Purpose, Questionnaire
from .services import question_add, questionnaire_create, questionnaire_publish, submission_record

TITLE = "“一网通办”政策知晓度和办事便利度问卷"
ANSWERS = 12


def seed_questionnaire(sender=None, **kwargs) -> Questionnaire | None:
    office = User.objects.filter(username="office_city").select_related("region").first()
    if office is None or office.region is None:
        return None
    existing = Questionnaire.objects.filter(title=TITLE, region=office.region).first()
    if existing is not None:
        return existing
    questionnaire = questionnaire_create(
        title=TITLE,
        purpose=Purpose.AWARENESS,
        intro="请根据您最近一次办事的体验作答，约需 1 分钟，匿名填写。",
        region=office.region,
        by=office,
    )
    known = question_add(
        questionnaire=questionnaire, kind=Kind.SINGLE, text="您是否知道可以在网上或掌上办理本事项？",
        required=True, choices=["知道，并用过", "知道，但没用过", "不知道"], by=office,
    )  # fmt: skip
    ease = question_add(
        questionnaire=questionnaire, kind=Kind.SCALE, text="办事是否方便（1 很不方便，5 很方便）",
        required=True, choices=[], by=office,
    )  # fmt: skip
    question_add(
        questionnaire=questionnaire, kind=Kind.TEXT, text="您还有什么意见建议？",
        required=False, choices=[], by=office,
    )  # fmt: skip
    questionnaire_publish(questionnaire=questionnaire, by=office)
    choices = list(known.choices.values_list("pk", flat=True))
    draw = random.Random(2026)
    for number in range(ANSWERS):
        submission_record(
            questionnaire=questionnaire,
            answers={known.pk: draw.choice(choices), ease.pk: draw.choice([3, 4, 4, 5, 5])},
            client_id=f"demo-{number}",
        )
    return questionnaire
