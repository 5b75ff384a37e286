from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..crypto import EncryptedTextField, mask_identity, mask_name, mask_phone
from .choices import ApplicantType, CaseChannel

# Cases of 查询咨询 business (Tianjin art. 15): never reminded, never timed out, never defaulted.
CONSULTATION_CASES = Q(consultation=True) | Q(matter__consultation_only=True)


class ServiceRecord(models.Model):
    """A case (办件), pushed by a business system when it is accepted and when it is completed."""

    class Status(models.TextChoices):
        ACCEPTED = "accepted", _("已受理")
        COMPLETED = "completed", _("已办结")

    serial_no = models.CharField(_("办件编号"), max_length=64, unique=True)
    matter = models.ForeignKey(
        "evaluations.ServiceMatter", verbose_name=_("事项"), on_delete=models.PROTECT, related_name="records"
    )
    department = models.ForeignKey(
        "evaluations.Department", verbose_name=_("办理部门"), on_delete=models.PROTECT, related_name="records"
    )
    region = models.ForeignKey(
        "evaluations.Region", verbose_name=_("区划"), on_delete=models.PROTECT, related_name="records"
    )
    hall = models.ForeignKey(
        "evaluations.Hall",
        verbose_name=_("大厅"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    window = models.ForeignKey(
        "evaluations.Window",
        verbose_name=_("窗口"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="records",
    )
    staff = models.ForeignKey(
        "evaluations.Staff",
        verbose_name=_("经办人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="records",
    )
    channel = models.CharField(_("办件来源"), max_length=16, choices=CaseChannel.choices)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.ACCEPTED)
    accepted_at = models.DateTimeField(_("受理时间"))
    completed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    # The evaluation window closes at the end of the N-th working day after completion (policy).
    rating_deadline = models.DateTimeField(_("评价截止"), null=True, blank=True, db_index=True)
    applicant_type = models.CharField(_("申请人类型"), max_length=16, choices=ApplicantType.choices)
    applicant_name = EncryptedTextField(_("申请人"), blank=True)
    applicant_id_number = EncryptedTextField(_("证件号码"), blank=True)
    applicant_phone = EncryptedTextField(_("联系电话"), blank=True)
    batch_no = models.CharField(_("批量业务编号"), max_length=64, blank=True, db_index=True)
    theme_no = models.CharField(_("主题业务编号"), max_length=64, blank=True, db_index=True)
    # A 查询咨询 case even when its matter is not consultation-only (the business system says so).
    consultation = models.BooleanField(
        _("咨询类业务"),
        default=False,
        help_text=_("查询咨询类业务网上办结的不评价，在大厅办结的只评价窗口人员服务。"),
    )
    joint_departments = models.ManyToManyField(
        "evaluations.Department", verbose_name=_("联办部门"), blank=True, related_name="joint_records"
    )
    source = models.ForeignKey(
        "evaluations.ApiKey",
        verbose_name=_("来源系统"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="records",
    )
    # When the unrated case's reminder falls due (completion + the policy's delay); null without one.
    remind_after = models.DateTimeField(_("提醒时刻"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(_("提醒时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    scope_region_path = "region__path"
    scope_department = "department"

    class Meta:
        verbose_name = _("办件")
        verbose_name_plural = _("办件")
        ordering = ["-accepted_at"]
        indexes = [
            models.Index(fields=["status", "completed_at"], name="record_status_completed"),
            models.Index(
                fields=["remind_after"], condition=Q(reminder_sent_at__isnull=True), name="record_remind_due"
            ),
        ]

    def __str__(self) -> str:
        return self.serial_no

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.applicant_phone or "")

    @property
    def masked_name(self) -> str:
        return mask_name(self.applicant_name or "")

    @property
    def masked_id_number(self) -> str:
        return mask_identity(self.applicant_id_number or "")

    @property
    def is_consultation(self) -> bool:
        """A 查询咨询 case (Tianjin art. 15): so flagged by its business system, or of a consultation-only
        matter."""
        return self.consultation or self.matter.consultation_only

    @property
    def is_joint(self) -> bool:
        return self.pk is not None and self.joint_departments.exists()
