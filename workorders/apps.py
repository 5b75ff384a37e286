from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkordersConfig(AppConfig):
    name = "workorders"
    verbose_name = _("差评工单")

    def ready(self) -> None:
        from evaluations import home_needs
        from evaluations.signals import (
            bad_evaluation_recorded,
            bad_evaluations_recorded,
            demo_seeded,
            evaluation_ruled,
            work_calendar_changed,
        )

        from .demo import seed_work_orders
        from .home import workorder_needs
        from .services.opening import on_bad_evaluation, on_bad_evaluations
        from .services.recalendar import on_work_calendar_changed
        from .services.withdrawal import on_evaluation_ruled

        bad_evaluation_recorded.connect(on_bad_evaluation, dispatch_uid="workorders.open")
        bad_evaluations_recorded.connect(on_bad_evaluations, dispatch_uid="workorders.open_many")
        evaluation_ruled.connect(on_evaluation_ruled, dispatch_uid="workorders.withdraw")
        demo_seeded.connect(seed_work_orders, dispatch_uid="workorders.demo")
        work_calendar_changed.connect(on_work_calendar_changed, dispatch_uid="workorders.recalendar")
        home_needs.register(workorder_needs)
