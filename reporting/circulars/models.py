"""Monthly circulars (通报): a frozen snapshot of a month's figures and rankings.

The numbers are computed once, stored in ``data`` and never recomputed in place: a database trigger
(migration 0003) refuses any UPDATE of the snapshot columns. Generating the month again makes a new
version beside the old one; only publication (to the public pages) can change afterwards.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# Columns the trigger protects (everything but the publication fields).
FROZEN_FIELDS = ("region_id", "period", "version", "policy", "data", "created_at", "created_by_id")


class Circular(models.Model):
    region = models.ForeignKey(
        "evaluations.Region", verbose_name=_("通报区划"), on_delete=models.PROTECT, related_name="+"
    )
    period = models.CharField(_("统计月份"), max_length=7, help_text=_("YYYY-MM"))
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    policy = models.JSONField(_("计分规则"), default=dict)
    data = models.JSONField(_("统计数据"), default=dict)
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("生成人"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    published_at = models.DateTimeField(_("公开时间"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("公开人"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip

    scope_region_path = "region__path"
    scope_department = None

    class Meta:
        verbose_name = _("好差评通报")
        verbose_name_plural = _("好差评通报")
        ordering = ["-period", "region__code", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "period", "version"], name="circular_region_period_version"
            )
        ]

    def __str__(self) -> str:
        return _("%(region)s %(period)s 好差评通报（第 %(version)d 版）") % {
            "region": self.region.name,
            "period": self.period,
            "version": self.version,
        }

    @property
    def is_published(self) -> bool:
        return self.published_at is not None
