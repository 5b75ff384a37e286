from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..crypto import EncryptedTextField, mask_phone


class Feedback(models.Model):
    """综合点评: free feedback to a department or a hall, not tied to a case."""

    class Source(models.TextChoices):
        SUGGESTION_BOX = "box", _("意见箱")
        EMAIL = "email", _("电子邮件")
        HOTLINE = "hotline", _("热线电话")
        WEB = "web", _("网上留言")

    class Status(models.TextChoices):
        OPEN = "open", _("待答复")
        ANSWERED = "answered", _("已答复")

    department = models.ForeignKey(
        "evaluations.Department",
        verbose_name=_("被点评部门"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="feedback",
    )
    hall = models.ForeignKey(
        "evaluations.Hall",
        verbose_name=_("被点评大厅"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="feedback",
    )
    region = models.ForeignKey(
        "evaluations.Region", verbose_name=_("区划"), on_delete=models.PROTECT, related_name="+"
    )
    source = models.CharField(_("来源"), max_length=16, choices=Source.choices)
    content = models.TextField(_("点评内容"))
    contact_name = EncryptedTextField(_("联系人"), blank=True)
    contact_phone = EncryptedTextField(_("联系电话"), blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.OPEN)
    answer = models.TextField(_("答复"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("答复人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)

    scope_region_path = "region__path"
    scope_department = "department"

    class Meta:
        verbose_name = _("综合点评")
        verbose_name_plural = _("综合点评")
        ordering = ["-submitted_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(department__isnull=False) | models.Q(hall__isnull=False),
                name="feedback_has_a_subject",
            )
        ]

    def __str__(self) -> str:
        return self.content[:30]

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.contact_phone or "")
