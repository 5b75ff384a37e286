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


class Stage(models.TextChoices):
    INTAKE = "intake", _("受理时")
    COMPLETION = "completion", _("办结时")


class Channel(models.TextChoices):
    """How a rating arrived. Each upstream profile states its own pf code for it
    (reporting/upstream/profiles, docs/upstream.md)."""

    PC = "pc", _("电脑端")
    MOBILE = "mobile", _("移动端")
    QR = "qr", _("二维码")
    DEVICE = "device", _("窗口评价器")
    KIOSK = "kiosk", _("自助终端")
    PHONE = "phone", _("电话")
    SMS = "sms", _("短信")
    PAPER = "paper", _("纸质评价表")
    DEFAULT = "default", _("系统默认")


class CaseChannel(models.TextChoices):
    """How a case was handled (办件来源)."""

    WINDOW = "window", _("窗口")
    ONLINE = "online", _("网上办理")
    MOBILE = "mobile", _("移动端")
    KIOSK = "kiosk", _("自助终端")
    HOTLINE = "hotline", _("热线")


class ApplicantType(models.TextChoices):
    PERSON = "person", _("自然人")
    LEGAL_PERSON = "legal_person", _("法人")


class EvaluationKind(models.TextChoices):
    ACTIVE = "active", _("主动评价")
    DEFAULT = "default", _("超期默认评价")
    UNEVALUATED = "unevaluated", _("超期未评")


class Validity(models.TextChoices):
    """A decision kept beside a rating; the three invalid readings follow the regions' rules."""

    VALID = "valid", _("有效")
    NOT_ADOPTED = "not_adopted", _("不予采纳")
    UNEVALUATED = "unevaluated", _("归为“未评”")
    UNTRUE = "untrue", _("不属实")
    # Not an appeal's outcome: a burst-flagged rating the office ruled 刷评 or 恶意评价 on review
    # (evaluations/services/flags.py; 51号 五(二) "排除误评和恶意差评"). It leaves every figure.
    RULED = "ruled", _("认定刷评或恶意评价")
