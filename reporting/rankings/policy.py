"""The scoring scale that applies to a scope: its region's policy (inherited).

For the whole system (a system administrator, an unrestricted API key) it is the policy of the one
top-level region when there is only one (a provincial deployment), else the national preset.
"""

from evaluations.models import Policy, Region
from evaluations.policies import policy_for_region

from ..scoring import Scale
from .units import Scope


def policy_for_scope(scope: Scope) -> Policy:
    code = [part for part in (scope.region_path or "").split("/") if part]
    if code:
        region = Region.objects.filter(code=code[-1]).first()
    else:
        tops = list(Region.objects.filter(parent__isnull=True)[:2])
        region = tops[0] if len(tops) == 1 else None
    return policy_for_region(region)


def scale_for(scope: Scope) -> Scale:
    return Scale.from_policy(policy_for_scope(scope))
