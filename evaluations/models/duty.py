"""Who is on duty at a window: the shifts staff sign in and out of (on the window clerk's page or at
the window's evaluator). A rating without a case goes to whoever was on duty at its ``rated_at``."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class Shift(models.Model):
    """One stretch of a staff member's duty at one window; ``ended_at`` is null while on duty.

    A staff member has at most one open shift (a database constraint): signing in at another window
    ends the previous one. A shift never outlasts the day it began (evaluations.services.duty), so a
    forgotten sign-out does not put tomorrow's ratings on anyone.
    """

    staff = models.ForeignKey(
        "evaluations.Staff", verbose_name=_("工作人员"), on_delete=models.PROTECT, related_name="shifts"
    )
    window = models.ForeignKey(
        "evaluations.Window", verbose_name=_("窗口"), on_delete=models.PROTECT, related_name="shifts"
    )
    started_at = models.DateTimeField(_("签到时间"))
    ended_at = models.DateTimeField(_("签退时间"), null=True, blank=True)
    # Who signed in and out: a logged-in user (the clerk or a manager) or a device by its serial.
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("签到操作人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    started_device = models.CharField(_("签到设备"), max_length=64, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("签退操作人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    ended_device = models.CharField(_("签退设备"), max_length=64, blank=True)

    scope_region_path = "window__hall__region__path"
    scope_department = "staff__department"

    class Meta:
        verbose_name = _("在岗记录")
        verbose_name_plural = _("在岗记录")
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["staff"], condition=Q(ended_at__isnull=True), name="shift_one_open_per_staff"
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=F("started_at")),
                name="shift_ends_after_it_starts",
            ),
        ]
        indexes = [models.Index(fields=["window", "started_at"], name="shift_window_started")]

    def __str__(self) -> str:
        return f"{self.staff_id} @ {self.window_id} {self.started_at:%Y-%m-%d %H:%M}"
