"""Idempotency keys, each belonging to its sender (issue 14, point 1).

A ``client_id`` is the sender's own name for one submission, so it is unique only per sender: an API
key, a signed device, a case's rating link, a window's QR code, a desk user, or the system's own
imports. The row is written in the same transaction as the rating it produced and never changed.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SenderKind(models.TextChoices):
    API_KEY = "api_key", _("接口密钥")
    DEVICE = "device", _("评价设备")
    CASE_LINK = "case", _("办件评价链接")
    WINDOW_QR = "window", _("窗口二维码")
    USER = "user", _("录入人员")
    SYSTEM = "system", _("系统（导入、演示数据）")


class ClientKey(models.Model):
    """One sender's ``client_id`` and the rating it produced, with a digest of what was sent."""

    sender_kind = models.CharField(_("提交方类型"), max_length=16, choices=SenderKind.choices)
    sender_id = models.CharField(_("提交方"), max_length=64)
    client_id = models.CharField(_("客户端编号"), max_length=64)
    # sha256 of the normalised rating fields (evaluations.services.client_keys.body_digest); empty for
    # keys carried over from before this table, which replay whatever the body (the old behaviour).
    body_digest = models.CharField(_("内容摘要"), max_length=64, blank=True)
    evaluation = models.OneToOneField(
        "evaluations.Evaluation",
        verbose_name=_("评价"),
        on_delete=models.PROTECT,
        related_name="client_key",
    )
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("客户端编号")
        verbose_name_plural = _("客户端编号")
        constraints = [
            models.UniqueConstraint(
                fields=["sender_kind", "sender_id", "client_id"], name="client_key_once_per_sender"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_sender_kind_display()} {self.sender_id} · {self.client_id}"
