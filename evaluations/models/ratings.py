from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..crypto import EncryptedTextField, mask_name, mask_phone
from .choices import Channel, EvaluationKind, Grade, Stage, Target, Validity

# Columns a database trigger protects from UPDATE (migration 0005): a rating is append-only.
RATED_FIELDS = (
    "record_id", "target", "stage", "grade", "tags", "comment", "channel", "kind", "assess_number",
    "matter_id", "staff_id", "window_id", "department_id", "region_id", "evaluator_name", "evaluator_phone",
    "real_name", "client_id", "submitted_at", "rated_at", "entered_by_id", "device_serial",
)  # fmt: skip


class Evaluation(models.Model):
    """One rating (or a timeout marker) of a case's matter or of the staff who served."""

    record = models.ForeignKey(
        "evaluations.ServiceRecord",
        verbose_name=_("办件"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evaluations",
    )
    target = models.CharField(_("评价对象"), max_length=16, choices=Target.choices)
    stage = models.CharField(_("评价环节"), max_length=16, choices=Stage.choices, default=Stage.COMPLETION)
    grade = models.PositiveSmallIntegerField(_("评价等级"), choices=Grade.choices, null=True, blank=True)
    tags = ArrayField(models.CharField(max_length=16), verbose_name=_("评价标签"), default=list, blank=True)
    comment = models.TextField(_("评价内容"), blank=True)
    channel = models.CharField(_("评价渠道"), max_length=16, choices=Channel.choices)
    kind = models.CharField(
        _("评价类型"), max_length=16, choices=EvaluationKind.choices, default=EvaluationKind.ACTIVE
    )
    assess_number = models.PositiveSmallIntegerField(
        _("评价次数"), default=1, choices=[(1, _("首评")), (2, _("追评"))]
    )
    # Attribution, copied from the case (or the window) when the rating is taken.
    matter = models.ForeignKey(
        "evaluations.ServiceMatter",
        verbose_name=_("事项"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    staff = models.ForeignKey(
        "evaluations.Staff",
        verbose_name=_("工作人员"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evaluations",
    )
    window = models.ForeignKey(
        "evaluations.Window",
        verbose_name=_("窗口"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    department = models.ForeignKey(
        "evaluations.Department", verbose_name=_("部门"), on_delete=models.PROTECT, related_name="evaluations"
    )
    region = models.ForeignKey(
        "evaluations.Region", verbose_name=_("区划"), on_delete=models.PROTECT, related_name="+"
    )
    evaluator_name = EncryptedTextField(_("评价人"), blank=True)
    evaluator_phone = EncryptedTextField(_("评价人电话"), blank=True)
    real_name = models.BooleanField(_("实名评价"), default=False)
    client_id = models.CharField(_("客户端编号"), max_length=64, null=True, blank=True)  # noqa: DJ001 per sender
    device_serial = models.CharField(_("设备序列号"), max_length=64, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("提交时间"), auto_now_add=True, db_index=True)
    rated_at = models.DateTimeField(_("评价时间"), db_index=True)
    ip_address = models.GenericIPAddressField(_("来源地址"), null=True, blank=True)
    # 补传: a device's offline rating uploaded after it was made (evaluations.services.intake). Set at
    # INSERT and, like the rated fields, never changed: its own trigger (migration 0015) refuses it.
    # A database default too, so bulk loaders that INSERT by hand (bench/) need not name it.
    late_upload = models.BooleanField(_("补传"), default=False, db_default=False)
    # Decisions taken later sit beside the rating; they never change what was rated.
    validity = models.CharField(_("有效性"), max_length=16, choices=Validity.choices, default=Validity.VALID)
    validity_reason = models.CharField(_("认定理由"), max_length=200, blank=True)
    validity_changed_at = models.DateTimeField(_("认定时间"), null=True, blank=True)
    flagged = models.BooleanField(_("待核查"), default=False, db_index=True)
    flag_reason = models.CharField(_("核查原因"), max_length=200, blank=True)

    scope_region_path = "region__path"
    scope_department = "department"

    class Meta:
        verbose_name = _("评价")
        verbose_name_plural = _("评价")
        ordering = ["-rated_at"]
        constraints = [
            # A case is rated once per target, stage and assess number (the follow-up is number 2);
            # a batch or theme rating writes one row per case, so each case is counted once.
            models.UniqueConstraint(
                fields=["record", "target", "stage", "assess_number"],
                condition=Q(record__isnull=False),
                name="evaluation_once_per_case_target_stage",
            ),
            models.CheckConstraint(
                condition=Q(kind=EvaluationKind.UNEVALUATED, grade__isnull=True)
                | (~Q(kind=EvaluationKind.UNEVALUATED) & Q(grade__gte=1, grade__lte=5)),
                name="evaluation_grade_matches_kind",
            ),
        ]
        indexes = [models.Index(fields=["department", "rated_at"], name="evaluation_department_rated")]

    def __str__(self) -> str:
        return f"{self.get_target_display()} · {self.get_grade_display() or self.get_kind_display()}"

    @property
    def is_bad(self) -> bool:
        return self.kind == EvaluationKind.ACTIVE and self.grade in (
            Grade.VERY_DISSATISFIED,
            Grade.DISSATISFIED,
        )

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.evaluator_phone or "")

    @property
    def masked_name(self) -> str:
        return mask_name(self.evaluator_name or "")
