from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    name = "evaluations"
    verbose_name = _("评价基础数据")

    def ready(self) -> None:
        # Registered on import: the deployment checks, and the calendar's save and delete hooks.
        from . import checks, signals  # noqa: F401
        from .services import reminders  # noqa: F401  (reschedules reminders when a rule changes)
