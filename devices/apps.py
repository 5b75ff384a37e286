from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class DevicesConfig(AppConfig):
    name = "devices"
    verbose_name = _("评价设备")

    def ready(self) -> None:
        from evaluations.signals import evaluation_recorded, record_completed

        from .nonces import ensure_nonce_table
        from .services.pending import on_evaluation_recorded, on_record_completed

        post_migrate.connect(ensure_nonce_table, sender=self, dispatch_uid="devices.nonces.table")

        # Both run inside the sender's transaction: the waiting case appears exactly when the case is
        # completed, and disappears exactly when its rating is stored.
        record_completed.connect(on_record_completed, dispatch_uid="devices.pending.set")
        evaluation_recorded.connect(on_evaluation_recorded, dispatch_uid="devices.pending.clear")
