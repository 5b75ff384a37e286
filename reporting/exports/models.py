"""Background exports of ratings and work orders (django-import-export), with progress."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ExportJob(models.Model):
    class Kind(models.TextChoices):
        EVALUATIONS = "evaluations", _("评价明细")
        WORKORDERS = "workorders", _("差评工单")

    class Format(models.TextChoices):
        XLSX = "xlsx", "Excel (xlsx)"
        CSV = "csv", "CSV"

    class Status(models.TextChoices):
        PENDING = "pending", _("排队中")
        RUNNING = "running", _("导出中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    kind = models.CharField(_("导出内容"), max_length=16, choices=Kind.choices)
    file_format = models.CharField(_("格式"), max_length=8, choices=Format.choices)
    date_from = models.DateField(_("起始日期"))
    date_to = models.DateField(_("截止日期"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("申请人"), on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.PENDING)
    total = models.PositiveIntegerField(_("总行数"), default=0)
    done = models.PositiveIntegerField(_("已导出行数"), default=0)
    file = models.FileField(_("文件"), upload_to="exports/%Y/%m/", blank=True)
    error = models.TextField(_("错误信息"), blank=True)
    created_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("导出任务")
        verbose_name_plural = _("导出任务")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date_from}—{self.date_to}"

    @property
    def percent(self) -> int:
        return (
            100 if self.status == self.Status.DONE else int(100 * self.done / self.total) if self.total else 0
        )
