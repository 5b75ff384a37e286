from .periods import Period, PeriodError
from .policy import scale_for
from .ranking import Ranking, Row, build_ranking
from .units import LEVELS, Scope

__all__ = ["LEVELS", "Period", "PeriodError", "Ranking", "Row", "Scope", "build_ranking", "scale_for"]
