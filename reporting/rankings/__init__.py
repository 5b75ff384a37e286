from .policy import policy_for_scope, scale_for
from .ranking import Ranking, Row, build_ranking
from .units import LEVELS, Scope

__all__ = [
    "LEVELS",
    "Ranking",
    "Row",
    "Scope",
    "build_ranking",
    "policy_for_scope",
    "scale_for",
]
