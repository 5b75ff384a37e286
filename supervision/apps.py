"""监督查评 — the offices' own supervision (51号 三(四)): inspection plans, visits by inspectors and
社会监督员, findings that open work orders, forums and third-party assessments.

Depends on evaluations (regions, departments, matters, roles) and workorders (opening an order for a
finding); nothing depends on it but reporting, which shows its results.
"""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "supervision"
    verbose_name = _("监督查评")

    def ready(self) -> None:
        from evaluations.signals import demo_seeded

        from .demo import seed_supervision

        demo_seeded.connect(seed_supervision, dispatch_uid="supervision.demo")
