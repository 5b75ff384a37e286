from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import Grade, Target


class ServiceMatter(models.Model):
    class Kind(models.TextChoices):
        INSTANT = "instant", _("即办件")
        PROMISE = "promise", _("承诺件")

    code = models.CharField(_("事项编码"), max_length=64, unique=True)
    name = models.CharField(_("事项名称"), max_length=200)
    department = models.ForeignKey(
        "evaluations.Department", verbose_name=_("实施部门"), on_delete=models.PROTECT, related_name="matters"
    )
    kind = models.CharField(_("办件类型"), max_length=16, choices=Kind.choices, default=Kind.PROMISE)
    consultation_only = models.BooleanField(
        _("仅咨询"), default=False, help_text=_("咨询类事项在网上办理时不参与评价。")
    )
    active = models.BooleanField(_("启用"), default=True)

    scope_region_path = "department__region__path"
    scope_department = "department"

    class Meta:
        verbose_name = _("政务服务事项")
        verbose_name_plural = _("政务服务事项")
        ordering = ["department__name", "code"]

    def __str__(self) -> str:
        return self.name


class Tag(models.Model):
    """An evaluation tag offered for one grade and one target (Tianjin annex table)."""

    code = models.CharField(_("标签编码"), max_length=16, unique=True)
    text = models.CharField(_("评价内容"), max_length=100)
    grade = models.PositiveSmallIntegerField(_("评价等级"), choices=Grade.choices)
    target = models.CharField(_("评价对象"), max_length=16, choices=Target.choices)
    position = models.PositiveSmallIntegerField(_("排序"), default=0)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("评价标签")
        verbose_name_plural = _("评价标签")
        ordering = ["target", "-grade", "position"]

    def __str__(self) -> str:
        return self.text
