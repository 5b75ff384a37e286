from .circulars import Circular
from .exports import ExportJob
from .revisits import RevisitCall, RevisitReveal, RevisitSample
from .rollups import DailyRollup, DepartmentDaily, DepartmentMonthly, Measures, RollupState
from .upstream import UpstreamMessage

__all__ = [
    "Circular",
    "DailyRollup",
    "DepartmentDaily",
    "DepartmentMonthly",
    "ExportJob",
    "Measures",
    "RevisitCall",
    "RevisitReveal",
    "RevisitSample",
    "RollupState",
    "UpstreamMessage",
]
