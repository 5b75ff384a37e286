"""Which policy a region follows: its own, else its nearest ancestor's, else the national preset."""

from .models import Policy, Preset, Region


def policy_for_region(region: Region | None) -> Policy:
    if region is not None:
        found = (
            Policy.objects.filter(region__code__in=region.ancestor_codes())
            .select_related("region")
            .order_by("-region__level")
            .first()
        )
        if found is not None:
            return found
    return Policy.from_preset(Preset.NATIONAL)
