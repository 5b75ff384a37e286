"""The Chinese names and definitions of the figures a circular shows (Tianjin art. 23-24)."""

from django.utils.translation import gettext as _


def rate_labels() -> list[tuple[str, str]]:
    """(key in Figures.as_dict(), label) of every figure a circular shows, in order."""
    return [
        ("quality", _("服务质量（平均分）")),
        ("active_rate", _("主动评价率")),
        ("good_rate", _("好评率")),
        ("bad_rate", _("差评率")),
        ("unevaluated_rate", _("未评率")),
        ("rectification_rate", _("差评整改率")),
        ("on_time_rate", _("按期整改率")),
        ("revisit_satisfaction", _("整改回访满意率")),
        ("realname_revisit_rate", _("实名差评回访率")),
    ]


def rate_definitions() -> dict[str, str]:
    """How each figure is computed: numerator / denominator."""
    return {
        "quality": _("评价得分之和 / 评价数"),
        "active_rate": _("主动评价办件数 / 办件数（主动评价 + 超期默认 + 未评）"),
        "good_rate": _("“满意”“非常满意”数 / 评价数"),
        "bad_rate": _("“不满意”“非常不满意”数 / 评价数"),
        "unevaluated_rate": _("未评办件数 / 办件数（主动评价 + 超期默认 + 未评）"),
        "rectification_rate": _("已整改差评数 / 有效差评数"),
        "on_time_rate": _("按期整改差评数 / 有效差评数"),
        "revisit_satisfaction": _("回访“满意”数 / 已整改差评数"),
        "realname_revisit_rate": _("已回访实名差评数 / 实名差评数"),
    }


def weight_labels() -> list[tuple[str, str]]:
    """(key in the policy's weights, label) of the composite score's parts."""
    return [
        ("quality", _("政务服务质量")),
        ("active", _("主动评价率")),
        ("rectification", _("差评整改率")),
        ("revisit", _("差评整改回访满意率")),
    ]
