from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DevicesConfig(AppConfig):
    name = "devices"
    verbose_name = _("评价设备")

    def ready(self) -> None:
        from evaluations.signals import evaluation_recorded, record_completed

        from .services.pending import on_evaluation_recorded, on_record_completed

        # Both run inside the sender's transaction: the waiting case appears exactly when the case is
        # completed, and disappears exactly when its rating is stored.
        record_completed.connect(on_record_completed, dispatch_uid="devices.pending.set")
        evaluation_recorded.connect(on_evaluation_recorded, dispatch_uid="devices.pending.clear")
