"""What a finding and a forum issue share: a responsible department and, once the office turns it into
rectification, the one work order it opened (source 监督查评, no rating behind it)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    """What kind of problem an inspection found (51号 三(四): 服务质量、办事效率、作风纪律…)."""

    ATTITUDE = "attitude", _("服务态度")
    EFFICIENCY = "efficiency", _("办事效率")
    DISCIPLINE = "discipline", _("窗口纪律")
    POLICY = "policy", _("政策落实")
    INFORMATION = "information", _("信息公开与告知")
    FACILITIES = "facilities", _("环境与设施")
    OTHER = "other", _("其他")


class Severity(models.TextChoices):
    MINOR = "minor", _("一般")
    SERIOUS = "serious", _("较重")
    GRAVE = "grave", _("严重")


class Rectifiable(models.Model):
    department = models.ForeignKey(
        "evaluations.Department", verbose_name=_("责任部门"), on_delete=models.PROTECT, related_name="+"
    )
    description = models.TextField(_("问题描述"))
    work_order = models.OneToOneField(
        "workorders.WorkOrder",
        verbose_name=_("整改工单"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    converted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("转办人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    converted_at = models.DateTimeField(_("转办时间"), null=True, blank=True)

    class Meta:
        abstract = True

    def place_region(self):  # the region where the problem was found (the order's office follows it)
        raise NotImplementedError

    def order_summary(self) -> str:
        raise NotImplementedError
