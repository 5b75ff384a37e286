"""The hash chain over ratings and rulings (DESIGN §9: daily hash chain with a verify command).

``ChainLink`` rows are appended by the sealing task (evaluations/services/sealing.py), never at intake:
each holds the SHA-256 of the previous link's digest and the canonical form of one rating or ruling
(evaluations/chain/canonical.py). ``DailyDigest`` keeps, per local day, the chain head at the end of
that day and how many links it added; the monthly circular prints the closing one (数据校验码). Both
tables are append-only in PostgreSQL (``pgtrigger.Protect``). ``manage.py ratings verify`` recomputes
them (evaluations/chain/verify.py).
"""

import pgtrigger
from django.db import models
from django.utils.translation import gettext_lazy as _

APPEND_ONLY = pgtrigger.Update | pgtrigger.Delete


class LinkKind(models.TextChoices):
    RATING = "rating", _("评价")
    RULING = "ruling", _("认定")


class ChainLink(models.Model):
    """One link; its id is its position in the chain."""

    kind = models.CharField(_("类型"), max_length=8, choices=LinkKind.choices)
    # No foreign key: a removed rating must leave its link behind, for verify to name it.
    ref_id = models.BigIntegerField(_("编号"))
    version = models.PositiveSmallIntegerField(_("格式版本"))
    digest = models.CharField(_("校验码"), max_length=64)
    sealed_at = models.DateTimeField(_("封存时间"), db_index=True)

    class Meta:
        verbose_name = _("校验链环节")
        verbose_name_plural = _("校验链环节")
        constraints = [models.UniqueConstraint(fields=["kind", "ref_id"], name="chain_link_once")]
        triggers = [pgtrigger.Protect(name="chain_link_append_only", operation=APPEND_ONLY)]

    def __str__(self) -> str:
        return f"#{self.pk} {self.kind} {self.ref_id}"


class DailyDigest(models.Model):
    """The chain head at the end of one local day (written once the day is over)."""

    day = models.DateField(_("日期"), unique=True)
    head = models.CharField(_("日终校验码"), max_length=64)
    last_link = models.BigIntegerField(_("日终最后环节"))  # 0: the chain was still empty
    links = models.PositiveIntegerField(_("当日封存"))
    total = models.PositiveIntegerField(_("累计封存"))
    created_at = models.DateTimeField(_("写入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("每日校验码")
        verbose_name_plural = _("每日校验码")
        ordering = ["-day"]
        triggers = [pgtrigger.Protect(name="daily_digest_append_only", operation=APPEND_ONLY)]

    def __str__(self) -> str:
        return f"{self.day} {self.head[:16]}"
