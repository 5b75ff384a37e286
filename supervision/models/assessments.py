"""Third-party assessments (第三方评估) and their results per department, imported from a spreadsheet."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Assessment(models.Model):
    title = models.CharField(_("评估名称"), max_length=200)
    assessor = models.CharField(_("评估机构"), max_length=200)
    region = models.ForeignKey(
        "evaluations.Region", verbose_name=_("评估区划"), on_delete=models.PROTECT, related_name="+"
    )
    period_start = models.DateField(_("评估期起"))
    period_end = models.DateField(_("评估期止"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    imported_at = models.DateTimeField(_("结果导入时间"), null=True, blank=True)

    scope_region_path = "region__path"
    scope_department = None

    class Meta:
        verbose_name = _("第三方评估")
        verbose_name_plural = _("第三方评估")
        ordering = ["-period_end", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")), name="assessment_period"
            )
        ]

    def __str__(self) -> str:
        return self.title


class AssessmentResult(models.Model):
    assessment = models.ForeignKey(
        Assessment, verbose_name=_("第三方评估"), on_delete=models.CASCADE, related_name="results"
    )
    department = models.ForeignKey(
        "evaluations.Department", verbose_name=_("部门"), on_delete=models.PROTECT, related_name="+"
    )
    score = models.DecimalField(_("得分"), max_digits=5, decimal_places=2)
    rank = models.PositiveIntegerField(_("排名"), null=True, blank=True)
    comment = models.TextField(_("评估意见"), blank=True)

    scope_region_path = "assessment__region__path"
    scope_department = "department"

    class Meta:
        verbose_name = _("评估结果")
        verbose_name_plural = _("评估结果")
        ordering = ["rank", "-score", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "department"], name="assessment_result_once")
        ]

    def __str__(self) -> str:
        return f"{self.assessment} · {self.department}"
