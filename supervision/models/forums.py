"""Forums with deputies and committee members (人大代表、政协委员座谈) and the issues they raised."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .rectifiable import Rectifiable


class Forum(models.Model):
    class Kind(models.TextChoices):
        DEPUTIES = "deputies", _("人大代表座谈")
        MEMBERS = "members", _("政协委员座谈")
        JOINT = "joint", _("人大代表、政协委员联合座谈")

    title = models.CharField(_("座谈会名称"), max_length=200)
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices, default=Kind.JOINT)
    region = models.ForeignKey(
        "evaluations.Region", verbose_name=_("所属区划"), on_delete=models.PROTECT, related_name="+"
    )
    held_on = models.DateField(_("座谈日期"))
    venue = models.CharField(_("地点"), max_length=200, blank=True)
    attendees = models.TextField(_("参加人员"))
    note = models.TextField(_("会议纪要"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    scope_region_path = "region__path"
    scope_department = None

    class Meta:
        verbose_name = _("座谈会")
        verbose_name_plural = _("座谈会")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return self.title


class ForumIssue(Rectifiable):
    forum = models.ForeignKey(
        Forum, verbose_name=_("座谈会"), on_delete=models.PROTECT, related_name="issues"
    )
    raised_by = models.CharField(_("提出人"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    scope_region_path = "forum__region__path"
    scope_department = None

    class Meta:
        verbose_name = _("座谈会反映问题")
        verbose_name_plural = _("座谈会反映问题")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.description[:40]

    def place_region(self):
        return self.forum.region

    def order_summary(self) -> str:
        return gettext("【监督查评·%(forum)s】%(who)s反映：%(text)s") % {
            "forum": self.forum.title,
            "who": self.raised_by or gettext("与会代表委员"),
            "text": self.description,
        }
