from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    name = "evaluations"
    verbose_name = _("评价基础数据")

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the deployment checks)
        from .services import reminders  # noqa: F401  (reschedules reminders when a rule changes)
