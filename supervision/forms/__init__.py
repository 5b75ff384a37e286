from .inspections import FindingForm, InspectionForm, RectifyForm, VisitForm
from .records import AssessmentForm, ForumForm, ForumIssueForm, ImportForm

__all__ = [
    "AssessmentForm",
    "FindingForm",
    "ForumForm",
    "ForumIssueForm",
    "ImportForm",
    "InspectionForm",
    "RectifyForm",
    "VisitForm",
]
