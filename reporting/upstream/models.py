"""The upstream outbox: one row per message to the provincial / national 好差评 platform (DESIGN §7).

Rows are written by receivers of the intake and work-order signals inside the sender's transaction
(reporting/upstream/outbox.py), so a message exists exactly when what it reports does, and they are
sent in batches by reporting/upstream/push.py. The payload is a snapshot in the national vocabulary
(reporting/upstream/mapping.py), taken when the row is written.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class UpstreamMessage(models.Model):
    class Kind(models.TextChoices):
        SERVICE = "service", _("办件服务")
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
    # The profile (reporting/upstream/profiles/) that wrote the payload in its own field names; only
    # rows of the profile in use are sent.
    profile = models.CharField(_("对接规范"), max_length=32, default="generic", db_default="generic")
    payload = models.JSONField(_("上报内容"))
    sent_body = models.TextField(_("最近发送的报文"), blank=True, db_default="")
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
            # Provincial profiles on the intake path: has this case's rating of this number gone up?
            models.Index(fields=["case_key", "kind"], name="upstream_case_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.idempotency_key}"


class TagIndicator(models.Model):
    """The national indicator code (国家评价指标) that a province expects in evalDetail for one of our tags.

    Kept here rather than on the tag: each profile may use its own list (Shandong's connector fetches it
    from the platform), and a tag without a code for the profile in use is listed on the upstream page.
    """

    tag = models.ForeignKey(
        "evaluations.Tag", verbose_name=_("评价标签"), on_delete=models.CASCADE, related_name="indicators"
    )
    profile = models.CharField(_("对接规范"), max_length=32)
    code = models.CharField(_("国家评价指标编码"), max_length=32)

    class Meta:
        verbose_name = _("评价指标编码")
        verbose_name_plural = _("评价指标编码")
        ordering = ["profile", "tag__code"]
        constraints = [models.UniqueConstraint(fields=("tag", "profile"), name="tag_indicator_per_profile")]

    def __str__(self) -> str:
        return f"{self.profile} · {self.tag_id} → {self.code}"

    def clean(self) -> None:
        from .profiles import PROFILES

        if self.profile not in PROFILES:
            raise ValidationError(
                {"profile": _("应为 %(names)s 之一。") % {"names": "、".join(PROFILES)}},
                code="unknown_profile",
            )
