"""Which policy a region follows: its own, else its nearest ancestor's, else the national preset.

Every rating asks this, so answers are kept in a per-process cache for a minute; a change saved in
this process clears it at once, other processes see it within a minute.
"""

import time

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Policy, Preset, Region

CACHE_SECONDS = 60.0
_cache: dict[str, tuple[float, Policy]] = {}


def policy_for_region(region: Region | None) -> Policy:
    if region is None:
        return Policy.from_preset(Preset.NATIONAL)
    hit = _cache.get(region.path)
    if hit is not None and hit[0] > time.monotonic():
        return hit[1]
    found = (
        Policy.objects.filter(region__code__in=region.ancestor_codes())
        .select_related("region")
        .order_by("-region__level")
        .first()
    ) or Policy.from_preset(Preset.NATIONAL)
    _cache[region.path] = (time.monotonic() + CACHE_SECONDS, found)
    return found


@receiver(post_save, sender=Policy)
@receiver(post_delete, sender=Policy)
def forget_policies(**kwargs) -> None:
    _cache.clear()
