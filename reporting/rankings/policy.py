"""The scoring scale that applies to a scope: its region's policy (inherited), the national one for all."""

from evaluations.models import Region
from evaluations.policies import policy_for_region

from ..scoring import Scale
from .units import Scope


def scale_for(scope: Scope) -> Scale:
    code = [part for part in (scope.region_path or "").split("/") if part]
    region = Region.objects.filter(code=code[-1]).first() if code else None
    return Scale.from_policy(policy_for_region(region))
