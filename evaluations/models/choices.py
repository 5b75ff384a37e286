"""Vocabularies shared by evaluations and the apps that build on it (DESIGN §5, §7)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Grade(models.IntegerChoices):
    """The national platform's order: 1 is the worst, 5 the best; 1-2 are 差评."""

    VERY_DISSATISFIED = 1, _("非常不满意")
    DISSATISFIED = 2, _("不满意")
    BASIC = 3, _("基本满意")
    SATISFIED = 4, _("满意")
    VERY_SATISFIED = 5, _("非常满意")


BAD_GRADES = frozenset({Grade.VERY_DISSATISFIED, Grade.DISSATISFIED})


class Target(models.TextChoices):
    MATTER = "matter", _("服务事项")
    STAFF = "staff", _("服务人员")
