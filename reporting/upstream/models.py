"""The upstream outbox: one row per message to the provincial / national 好差评 platform (DESIGN §7).

Rows are written by receivers of the intake and work-order signals inside the sender's transaction
(reporting/upstream/outbox.py), so a message exists exactly when what it reports does, and they are
sent in batches by reporting/upstream/push.py. The payload is a snapshot in the national vocabulary
(reporting/upstream/mapping.py), taken when the row is written.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class UpstreamMessage(models.Model):
    class Kind(models.TextChoices):
        EVALUATION = "evaluation", _("评价")
        TIMEOUT = "timeout", _("超期默认/未评")
        DISPATCHED = "dispatched", _("差评工单派发")
        RECTIFIED = "rectified", _("差评整改答复")
        REVISITED = "revisited", _("差评回访")
        VOIDED = "voided", _("差评申诉成立")

    class Status(models.TextChoices):
        PENDING = "pending", _("待上报")
        SENT = "sent", _("已上报")
        FAILED = "failed", _("上报失败，待重试")
        DEAD = "dead", _("多次失败，已放弃")

    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    evaluation = models.ForeignKey(
        "evaluations.Evaluation",
        verbose_name=_("评价"),
        on_delete=models.PROTECT,
        related_name="upstream_messages",
    )
    order = models.ForeignKey(
        "workorders.WorkOrder",
        verbose_name=_("差评工单"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="upstream_messages",
    )
    # Messages of one case (办件编号, or the rating itself when it has no case) are sent in id order:
    # a later one never leaves while an earlier one is unsent.
    case_key = models.CharField(_("办件键"), max_length=80)
    idempotency_key = models.CharField(_("幂等键"), max_length=100, unique=True)
    payload = models.JSONField(_("上报内容"))
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("发送次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次发送时间"))
    last_error = models.TextField(_("最近错误"), blank=True)
    sent_at = models.DateTimeField(_("上报时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("上报消息")
        verbose_name_plural = _("上报消息")
        ordering = ["-id"]
        permissions = [("import_history", _("导入历史评价数据"))]
        indexes = [
            # The sender: retryable rows, oldest first, with their due time in the index.
            models.Index(
                fields=["id", "next_attempt_at"],
                condition=Q(status__in=["pending", "failed"]),
                name="upstream_due",
            ),
            # The order check: is there an earlier unsent message of the same case?
            models.Index(
                fields=["case_key", "id"],
                condition=~Q(status="sent"),
                name="upstream_unsent_per_case",
            ),
            # The admin's filter and counts: per status, and what was sent lately.
            models.Index(fields=["status", "sent_at"], name="upstream_status"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.idempotency_key}"
