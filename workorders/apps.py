from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkordersConfig(AppConfig):
    name = "workorders"
    verbose_name = _("差评工单")

    def ready(self) -> None:
        from evaluations.signals import bad_evaluation_recorded, demo_seeded

        from .demo import seed_work_orders
        from .services.opening import on_bad_evaluation

        bad_evaluation_recorded.connect(on_bad_evaluation, dispatch_uid="workorders.open")
        demo_seeded.connect(seed_work_orders, dispatch_uid="workorders.demo")
