from .accounts import ADMIN_ROLES, Role, User
from .apikeys import ApiKey
from .calendar import WorkCalendar
from .chain import ChainLink, DailyDigest, LinkKind
from .choices import (
    BAD_GRADES,
    ApplicantType,
    CaseChannel,
    Channel,
    EvaluationKind,
    Grade,
    Stage,
    Target,
    Validity,
)
from .client_keys import ClientKey, SenderKind
from .duty import Shift
from .feedback import Feedback
from .flags import FlagDecision, FlagReview
from .matters import ServiceMatter, Tag
from .organisations import Department, Hall, Staff, Window
from .policy import PRESETS, RULE_FIELDS, InvalidOutcome, OnTimeout, Policy, Preset
from .ratings import RATED_FIELDS, Evaluation
from .records import ServiceRecord
from .regions import Region
from .rulings import Ruling, RulingSource
from .sms import SmsMessage

__all__ = [
    "ADMIN_ROLES",
    "BAD_GRADES",
    "PRESETS",
    "RATED_FIELDS",
    "RULE_FIELDS",
    "ApiKey",
    "ApplicantType",
    "CaseChannel",
    "ChainLink",
    "Channel",
    "ClientKey",
    "DailyDigest",
    "Department",
    "Evaluation",
    "EvaluationKind",
    "Feedback",
    "FlagDecision",
    "FlagReview",
    "Grade",
    "Hall",
    "InvalidOutcome",
    "LinkKind",
    "OnTimeout",
    "Policy",
    "Preset",
    "Region",
    "Role",
    "Ruling",
    "RulingSource",
    "SenderKind",
    "ServiceMatter",
    "ServiceRecord",
    "Shift",
    "SmsMessage",
    "Staff",
    "Stage",
    "Tag",
    "Target",
    "User",
    "Validity",
    "Window",
    "WorkCalendar",
]
