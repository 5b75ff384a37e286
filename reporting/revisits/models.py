"""Quarterly random revisits (Qingdao art. 17): a reproducible sample of a quarter's cases, by phone."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RevisitSample(models.Model):
    region = models.ForeignKey(
        "evaluations.Region", verbose_name=_("抽样区划"), on_delete=models.PROTECT, related_name="+"
    )
    quarter = models.CharField(_("季度"), max_length=7, help_text=_("YYYY-Qn"))
    percent = models.DecimalField(_("抽样比例（%）"), max_digits=5, decimal_places=2)
    # The draw is ORDER BY md5(seed || case id): the same seed over the same cases gives the same list.
    seed = models.CharField(_("随机种子"), max_length=32)
    population = models.PositiveIntegerField(_("本季度办件数"))
    drawn_at = models.DateTimeField(_("抽样时间"), auto_now_add=True)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("抽样人"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip

    scope_region_path = "region__path"
    scope_department = None

    class Meta:
        verbose_name = _("季度随机回访")
        verbose_name_plural = _("季度随机回访")
        ordering = ["-quarter", "region__code"]
        constraints = [models.UniqueConstraint(fields=["region", "quarter"], name="revisit_sample_once")]

    def __str__(self) -> str:
        return f"{self.region.name} {self.quarter}"


class RevisitCall(models.Model):
    class Result(models.TextChoices):
        SATISFIED = "satisfied", _("满意")
        DISSATISFIED = "dissatisfied", _("不满意")
        UNREACHABLE = "unreachable", _("未接通")

    sample = models.ForeignKey(
        RevisitSample, verbose_name=_("抽样"), on_delete=models.CASCADE, related_name="calls"
    )
    record = models.ForeignKey(
        "evaluations.ServiceRecord", verbose_name=_("办件"), on_delete=models.PROTECT, related_name="+"
    )
    position = models.PositiveIntegerField(_("序号"))
    result = models.CharField(_("回访结果"), max_length=16, choices=Result.choices, blank=True)
    note = models.TextField(_("意见建议"), blank=True)
    called_at = models.DateTimeField(_("回访时间"), null=True, blank=True)
    caller = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("回访人"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip

    scope_region_path = "sample__region__path"
    scope_department = None

    class Meta:
        verbose_name = _("回访记录")
        verbose_name_plural = _("回访记录")
        ordering = ["sample", "position"]
        constraints = [models.UniqueConstraint(fields=["sample", "record"], name="revisit_call_once")]

    def __str__(self) -> str:
        return f"{self.sample} #{self.position}"


class RevisitReveal(models.Model):
    """Every look at a sampled citizen's full phone number (DESIGN §9)."""

    call = models.ForeignKey(
        RevisitCall, verbose_name=_("回访记录"), on_delete=models.CASCADE, related_name="reveals"
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("查看人"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("查看时间"), auto_now_add=True)

    scope_region_path = "call__sample__region__path"
    scope_department = None

    class Meta:
        verbose_name = _("查看电话记录")
        verbose_name_plural = _("查看电话记录")

    def __str__(self) -> str:
        return f"{self.call} · {self.at:%Y-%m-%d %H:%M}"
