from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    name = "evaluations"
    verbose_name = _("评价基础数据")

    def ready(self) -> None:
        # Registered on import: the deployment checks, and the calendar's save and delete hooks.
        # After every migrate the owner grants the app role (config/database_roles.py); once, for this
        # app: post_migrate is sent when every migration has run, so all tables exist.
        from config.database_roles import grant_after_migrate

        from . import checks, signals  # noqa: F401
        from .services import reminders  # noqa: F401  (reschedules reminders when a rule changes)

        post_migrate.connect(grant_after_migrate, sender=self, dispatch_uid="config.database_roles")
