"""The office's review of a burst-flagged rating (evaluations/ratelimit.py): one decision, never changed.

A flagged rating is held out of the figures until the office decides or ``Policy.flag_hold_days``
working days pass (evaluations/flags.py). The office either confirms it (确认有效: it counts) or rules it
刷评 or 恶意评价 with a reason (the rating's validity becomes ``ruled``: it leaves every figure). The
decision rows are append-only, enforced by a trigger (migration 0013), as the ratings are (0005).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class FlagDecision(models.TextChoices):
    CONFIRMED = "confirmed", _("确认有效")
    RULED = "ruled", _("认定刷评或恶意评价")


class FlagReview(models.Model):
    evaluation = models.OneToOneField(
        "evaluations.Evaluation", verbose_name=_("评价"), on_delete=models.PROTECT, related_name="flag_review"
    )
    decision = models.CharField(_("核查结论"), max_length=16, choices=FlagDecision.choices)
    reason = models.CharField(_("理由"), max_length=200, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("核查人"), on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("核查时间"), db_index=True)

    scope_region_path = "evaluation__region__path"
    scope_department = "evaluation__department"
    # Not stored: what a ruling ended elsewhere as it was decided (the numbers of the work orders it
    # withdrew, services.flags), for the reviewer's confirmation.
    ended: tuple[str, ...] = ()

    class Meta:
        verbose_name = _("待核查评价的核查结论")
        verbose_name_plural = _("待核查评价的核查结论")
        ordering = ["-decided_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(decision=FlagDecision.CONFIRMED) | ~Q(reason=""),
                name="flag_review_ruling_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.evaluation_id} · {self.get_decision_display()}"
