from .assessments import Assessment, AssessmentResult
from .forums import Forum, ForumIssue
from .inspections import Finding, Inspection, Visit
from .rectifiable import Category, Rectifiable, Severity

__all__ = [
    "Assessment",
    "AssessmentResult",
    "Category",
    "Finding",
    "Forum",
    "ForumIssue",
    "Inspection",
    "Rectifiable",
    "Severity",
    "Visit",
]
