"""Switching a region's regulation, and what its rules are (DESIGN §5).

A region adopts a preset whole: every rule of it (``PRESETS``). It may then override single rules;
an override is simply a rule whose value differs from the preset's, so it is never stale. Setting a
preset again drops the overrides unless they are kept (the admin's 恢复为预设 uses ``Policy.restore_rules``).
Sub-regions without a policy of their own follow their nearest ancestor's (``policy_for_region``).
"""

from django.contrib.admin.models import ADDITION, CHANGE
from django.db import transaction
from django.utils.translation import gettext as _

from ..audit import audit
from ..models import PRESETS, Policy, Preset, Region, User
from ..policies import policy_for_region


class UnknownPreset(ValueError):
    pass


def policy_set(
    *, region: Region, preset: str, keep_overrides: bool = False, by: User | None = None
) -> Policy:
    """Give ``region`` a policy of its own that follows ``preset`` in every rule.

    With ``keep_overrides`` the rules this region had overridden keep their values; otherwise they
    take the preset's too. Quiet hours and urgent-notice settings are local operations, not rules
    of a regulation, and stay as they are.
    """
    if preset not in PRESETS:
        raise UnknownPreset(preset)
    with transaction.atomic():
        policy = Policy.objects.select_for_update().filter(region=region).first()
        created = policy is None
        if policy is None:
            policy = Policy(region=region)
        kept = policy.overrides() if keep_overrides else []
        policy.apply_preset(preset, keep=kept)
        policy.full_clean()
        policy.save()
        message = _("依据设为%(preset)s") % {"preset": Preset(preset).label}
        if kept:
            message += _("，保留覆盖项：%(fields)s") % {"fields": "、".join(kept)}
        audit(by, policy, ADDITION if created else CHANGE, message)
    return policy


def policy_rules(region: Region) -> dict:
    """The rules ``region`` applies, with where they come from, in the shape ``policy show`` prints."""
    policy = policy_for_region(region)
    source = policy.region if policy.pk else None
    points = policy.grade_points
    return {
        "region": region.code,
        "preset": policy.preset,
        # The region whose policy applies when it is not the region's own; null for its own policy,
        # and null (with preset "national") when no region above it has one either.
        "inherited_from": source.code if source is not None and source.pk != region.pk else None,
        "rating_window_days": policy.window_days,
        "on_timeout": policy.on_timeout,
        "reminder_after_hours": policy.reminder_hours,
        "bad_needs_reason": policy.bad_needs_reason,
        "appeal_window_days": policy.appeal_days,
        "appeal_review_days": policy.appeal_review_days,
        "invalid_outcome": policy.invalid_outcome,
        "max_extensions": policy.max_extensions,
        "categories": {
            category: {
                "contact_days": policy.contact_days(category),
                "finish_days": policy.finish_days(category),
            }
            for category in ("simple", "general", "complex")
        },
        "points": {str(grade): points[grade] for grade in (5, 4, 3, 2, 1)},
        # Percent of the composite score (Tianjin art. 23); they add up to 100.
        "weights": {
            "quality": policy.weight_quality,
            "active_rate": policy.weight_active,
            "rectification_rate": policy.weight_rectification,
            "revisit_satisfaction": policy.weight_revisit,
        },
        "ranking": {
            "min_sample": policy.min_sample,
            "low_rank_bottom": policy.low_rank_bottom,
            "low_rank_periods": policy.low_rank_periods,
            "revisit_sample_percent": float(policy.revisit_sample_percent),
        },
        "overrides": policy.overrides(),
    }
