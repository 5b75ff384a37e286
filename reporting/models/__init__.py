from .circulars import Circular
from .exports import ExportJob
from .revisits import RevisitCall, RevisitReveal, RevisitSample
from .rollups import DailyRollup, DepartmentDaily, Measures, RollupState
from .upstream import UpstreamMessage

__all__ = [
    "Circular",
    "DailyRollup",
    "DepartmentDaily",
    "ExportJob",
    "Measures",
    "RevisitCall",
    "RevisitReveal",
    "RevisitSample",
    "RollupState",
    "UpstreamMessage",
]
