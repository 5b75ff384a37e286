"""Rulings: every later decision on a rating's validity is a row of its own, never changed.

An appeal voided by the office (workorders/services/appeals.py) and a burst-flagged rating reviewed by
the office (evaluations/services/flags.py: 确认有效 as outcome ``valid``, 认定刷评 as ``ruled``) each
write one ``Ruling``. Qingdao art. 16 (评价数据自动生成、不可更改) and DESIGN §9: the rows are
append-only in PostgreSQL itself (``pgtrigger.Protect``: UPDATE and DELETE raise).

Why the current outcome stays a column on the rating (``Evaluation.validity``, ``validity_reason``,
``validity_changed_at``): reporting reads ``e.validity`` in raw SQL (reporting/rollups/sql.py) and
``evaluation__validity`` through the ORM in many selectors, on millions of rows; a "latest ruling"
subquery in each of them would cost a join per rating and touch every reader. So the column is kept as
a cache that only the database writes: the trigger ``ruling_sets_outcome`` below copies each new
ruling onto its rating, and a trigger on the rating (migration 0017) refuses any other change of those
three columns, so the application never issues an UPDATE on ratings. ``manage.py ratings verify``
checks that every cached outcome equals its latest ruling (evaluations/chain/verify.py).
"""

import pgtrigger
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import Validity

# Copies the new ruling onto its rating. Runs as a nested trigger (pg_trigger_depth() = 2), which is how
# the rating's own guard (migration 0017) tells it from an application UPDATE.
SETS_OUTCOME = """
    UPDATE evaluations_evaluation
    SET validity = NEW.outcome, validity_reason = NEW.reason, validity_changed_at = NEW.decided_at
    WHERE id = NEW.evaluation_id;
    RETURN NULL;
"""


class RulingSource(models.TextChoices):
    APPEAL = "appeal", _("申诉复核")
    FLAG_REVIEW = "flag_review", _("待核查评价核查")


class Ruling(models.Model):
    evaluation = models.ForeignKey(
        "evaluations.Evaluation", verbose_name=_("评价"), on_delete=models.PROTECT, related_name="rulings"
    )
    outcome = models.CharField(_("认定结果"), max_length=16, choices=Validity.choices)
    reason = models.CharField(_("认定理由"), max_length=200, blank=True)
    source = models.CharField(_("认定来源"), max_length=16, choices=RulingSource.choices)
    # Null only for decisions taken before rulings were rows (copied over by migration 0017).
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("认定人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("认定时间"), db_index=True)

    scope_region_path = "evaluation__region__path"
    scope_department = "evaluation__department"

    class Meta:
        verbose_name = _("评价认定")
        verbose_name_plural = _("评价认定")
        ordering = ["-id"]
        triggers = [
            pgtrigger.Protect(name="ruling_append_only", operation=pgtrigger.Update | pgtrigger.Delete),
            pgtrigger.Trigger(
                name="ruling_sets_outcome",
                when=pgtrigger.After,
                operation=pgtrigger.Insert,
                func=SETS_OUTCOME,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.evaluation_id} · {self.get_outcome_display()}"
