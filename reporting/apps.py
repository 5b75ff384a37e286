from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = _("统计与通报")

    def ready(self) -> None:
        from evaluations.signals import demo_seeded, evaluation_recorded, evaluations_recorded
        from workorders.signals import workorder_transitioned

        from .demo import seed_reports
        from .rankings import api  # noqa: F401  (adds GET /api/v1/rankings to the records API)
        from .upstream.outbox import (
            on_evaluation_recorded,
            on_evaluations_recorded,
            on_workorder_transitioned,
        )

        # Both run inside the sender's transaction: the upstream message is written with what it reports.
        evaluation_recorded.connect(on_evaluation_recorded, dispatch_uid="reporting.upstream.evaluation")
        evaluations_recorded.connect(on_evaluations_recorded, dispatch_uid="reporting.upstream.evaluations")
        workorder_transitioned.connect(on_workorder_transitioned, dispatch_uid="reporting.upstream.workorder")
        # After the work orders' demo receiver (reporting is installed after workorders).
        demo_seeded.connect(seed_reports, dispatch_uid="reporting.demo")
