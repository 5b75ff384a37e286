"""Who may open the questionnaire pages, and the one way a questionnaire is fetched (CONVENTIONS §4).

A management office builds, publishes and closes questionnaires of its region subtree; the auditor
reads the results and the export; nobody else sees them. Citizens use the public page only.
"""

from django.http import Http404

from evaluations.access import role_required
from evaluations.http import AuthedRequest
from evaluations.models import Role, User
from evaluations.scope import visible_to

from .models import Question, Questionnaire

BUILDERS = frozenset({Role.OFFICE, Role.SYSADMIN})
READERS = BUILDERS | {Role.AUDITOR}

builders_only = role_required(BUILDERS)
readers_only = role_required(READERS)


def can_build(user: User) -> bool:
    return user.role in BUILDERS or user.is_superuser


def get_questionnaire_for_user(request: AuthedRequest, pk: int) -> Questionnaire:
    """The questionnaire, only within the user's region scope; 404 otherwise (absent or not theirs)."""
    found = visible_to(request.user, Questionnaire.objects.select_related("region", "created_by"))
    questionnaire = found.filter(pk=pk).first()
    if questionnaire is None:
        raise Http404("no such questionnaire in scope")
    return questionnaire


def get_question_for_user(request: AuthedRequest, pk: int, question_pk: int) -> Question:
    questionnaire = get_questionnaire_for_user(request, pk)
    question = questionnaire.questions.filter(pk=question_pk).first()
    if question is None:
        raise Http404("no such question in this questionnaire")
    question.questionnaire = questionnaire
    return question
