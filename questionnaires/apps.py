from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuestionnairesConfig(AppConfig):
    name = "questionnaires"
    verbose_name = _("问卷调查")

    def ready(self) -> None:
        from evaluations.signals import demo_seeded

        from .demo import seed_questionnaire

        demo_seeded.connect(seed_questionnaire, dispatch_uid="questionnaires.demo")
