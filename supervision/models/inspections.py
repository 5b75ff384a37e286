"""Inspection plans (专项督查、明查暗访), the visits filed against them and what the visits found."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .rectifiable import Category, Rectifiable, Severity


class Inspection(models.Model):
    """A plan: what is inspected, where, when and by whom (staff of the office and/or 社会监督员)."""

    class Kind(models.TextChoices):
        SPECIAL = "special", _("专项督查")
        OPEN = "open", _("明查")
        MYSTERY = "mystery", _("暗访")

    subject = models.CharField(_("督查主题"), max_length=200)
    kind = models.CharField(_("方式"), max_length=16, choices=Kind.choices, default=Kind.SPECIAL)
    region = models.ForeignKey(
        "evaluations.Region", verbose_name=_("督查区划"), on_delete=models.PROTECT, related_name="+"
    )
    halls = models.ManyToManyField(
        "evaluations.Hall", verbose_name=_("督查大厅"), blank=True, related_name="+"
    )
    windows = models.ManyToManyField(
        "evaluations.Window", verbose_name=_("督查窗口"), blank=True, related_name="+"
    )
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    inspectors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("督查人员"), related_name="inspections"
    )
    note = models.TextField(_("工作要求"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("制定人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("制定时间"), auto_now_add=True)

    scope_region_path = "region__path"
    scope_department = None

    class Meta:
        verbose_name = _("督查计划")
        verbose_name_plural = _("督查计划")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="inspection_dates"
            )
        ]

    def __str__(self) -> str:
        return self.subject


class Visit(models.Model):
    """One visit report by an inspector assigned to the plan."""

    inspection = models.ForeignKey(
        Inspection, verbose_name=_("督查计划"), on_delete=models.PROTECT, related_name="visits"
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("填报人"), on_delete=models.PROTECT, related_name="+"
    )
    visited_at = models.DateTimeField(_("走访时间"))
    mode = models.CharField(_("方式"), max_length=16, choices=Inspection.Kind.choices)
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
        related_name="+",
    )
    summary = models.TextField(_("走访情况"))
    created_at = models.DateTimeField(_("填报时间"), auto_now_add=True)

    scope_region_path = "inspection__region__path"
    scope_department = None

    class Meta:
        verbose_name = _("走访记录")
        verbose_name_plural = _("走访记录")
        ordering = ["-visited_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.inspection} · {self.visited_at:%Y-%m-%d}"


class Finding(Rectifiable):
    """A problem found on a visit, per window / department / matter, with an optional photo."""

    visit = models.ForeignKey(
        Visit, verbose_name=_("走访记录"), on_delete=models.PROTECT, related_name="findings"
    )
    window = models.ForeignKey(
        "evaluations.Window",
        verbose_name=_("窗口"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    matter = models.ForeignKey(
        "evaluations.ServiceMatter",
        verbose_name=_("事项"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    category = models.CharField(_("问题类别"), max_length=16, choices=Category.choices)
    severity = models.CharField(
        _("严重程度"), max_length=16, choices=Severity.choices, default=Severity.MINOR
    )
    # Stored under MEDIA_ROOT and served only through supervision.views.photo to staff in scope.
    photo = models.FileField(_("照片"), upload_to="supervision/photos/%Y/%m/", blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    scope_region_path = "visit__inspection__region__path"
    scope_department = None

    class Meta:
        verbose_name = _("督查问题")
        verbose_name_plural = _("督查问题")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.description[:40]

    def place_region(self):
        place = (
            self.window.hall
            if self.window
            else self.visit.window.hall
            if self.visit.window
            else self.visit.hall
        )
        return place.region if place else self.visit.inspection.region

    def order_summary(self) -> str:
        where = f"{self.window.hall.name} {self.window.name}" if self.window else self.department.name
        return gettext("【监督查评·%(subject)s】%(where)s：%(text)s（%(category)s，%(severity)s）") % {
            "subject": self.visit.inspection.subject,
            "where": where,
            "text": self.description,
            "category": self.get_category_display(),
            "severity": self.get_severity_display(),
        }
