from django.db import models
from django.utils.translation import gettext_lazy as _

from ..crypto import EncryptedTextField, mask_phone, mask_signed_links


class SmsMessage(models.Model):
    """The outbox of every SMS; a task sends due rows through the configured backend."""

    class Kind(models.TextChoices):
        REMINDER = "reminder", _("评价提醒")
        REVISIT = "revisit", _("回访")
        REPLY = "reply", _("整改答复")
        NOTICE = "notice", _("工作通知")

    class Status(models.TextChoices):
        PENDING = "pending", _("待发送")
        SENT = "sent", _("已发送")
        FAILED = "failed", _("发送失败，待重试")
        DEAD = "dead", _("多次失败，已放弃")

    phone = EncryptedTextField(_("手机号码"))
    body = models.TextField(_("内容"))
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.PENDING)
    record = models.ForeignKey(
        "evaluations.ServiceRecord",
        verbose_name=_("办件"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sms_messages",
    )
    attempts = models.PositiveSmallIntegerField(_("发送次数"), default=0)
    # Not before the end of quiet hours, and after a failure not before the backoff has passed.
    send_after = models.DateTimeField(_("最早发送时间"), db_index=True)
    last_error = models.TextField(_("最近错误"), blank=True)
    provider_id = models.CharField(_("网关回执"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("短信")
        verbose_name_plural = _("短信")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "send_after"], name="sms_due")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {mask_phone(self.phone or '')}"

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone or "")

    @property
    def masked_body(self) -> str:
        """The text as staff may read it: the signed citizen link masked (the phone gets it whole)."""
        return mask_signed_links(self.body)
