from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DevicesConfig(AppConfig):
    name = "devices"
    verbose_name = _("评价设备")

    def ready(self) -> None:
        from evaluations.services.locked_case import CASE_FACTS
        from evaluations.signals import evaluation_recorded, evaluations_recorded, record_completed

        from .services.pending import (
            WAITING_FACT,
            on_evaluation_recorded,
            on_evaluations_recorded,
            on_record_completed,
            waiting_fact,
        )

        # Both run inside the sender's transaction: the waiting case appears exactly when the case is
        # completed, and disappears exactly when its rating is stored.
        record_completed.connect(on_record_completed, dispatch_uid="devices.pending.set")
        evaluation_recorded.connect(on_evaluation_recorded, dispatch_uid="devices.pending.clear")
        evaluations_recorded.connect(on_evaluations_recorded, dispatch_uid="devices.pending.clear_many")
        # The intake's locked read says whether the case waits at a window: no DELETE when it does not.
        CASE_FACTS[WAITING_FACT] = waiting_fact
