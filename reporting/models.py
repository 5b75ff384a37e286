"""The app's models, each defined in its feature package; imported here so Django registers them."""

from .circulars.models import Circular, CircularOffice, CircularState, TypicalCase
from .exports.models import ExportJob
from .revisits.models import RevisitCall, RevisitReveal, RevisitSample
from .rollups.models import DailyRollup, DepartmentDaily, DepartmentMonthly, Measures, RollupState
from .upstream.models import TagIndicator, UpstreamMessage

__all__ = [
    "Circular",
    "CircularOffice",
    "CircularState",
    "DailyRollup",
    "DepartmentDaily",
    "DepartmentMonthly",
    "ExportJob",
    "Measures",
    "RevisitCall",
    "RevisitReveal",
    "RevisitSample",
    "RollupState",
    "TagIndicator",
    "TypicalCase",
    "UpstreamMessage",
]
