"""The citizen's page of a questionnaire, /s/<token>/: no login, no JavaScript, anonymous.

Like the rating pages (evaluations.views.citizen): every POST counts against the address and the link
(evaluations.ratelimit, 429 beyond it, nothing written), the form carries Django's CSRF token and a
one-time key (a resent form is answered, not counted twice), and a refusal is shown in Chinese next
to its question. A POST-redirect-GET ends on the thank-you page.

States: a questionnaire not yet published says so with 200 (the link is right, only early: the
rating page answers a case not yet completed the same way); a closed one with 410 Gone, as the
rating page answers an expired link (the resource existed and is withdrawn for good). A POST to
either is refused with the same page (409 before publication, 410 after the close).
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from evaluations import ratelimit
from evaluations.forms.citizen import CLIENT_ID, new_client_id

from ..forms import SurveyForm
from ..models import Questionnaire, State
from ..services import SubmissionRefused, submission_record


def _questionnaire(token: str) -> Questionnaire | None:
    return Questionnaire.objects.select_related("region").filter(token=token).first()


def _notice(request: HttpRequest, kind: str, status: int, questionnaire: Questionnaire | None = None):
    context = {"kind": kind, "questionnaire": questionnaire}
    return render(request, "questionnaires/public/notice.html", context, status=status)


def _not_open(request: HttpRequest, questionnaire: Questionnaire, *, posted: bool) -> HttpResponse:
    if questionnaire.state == State.CLOSED:
        return _notice(request, "closed", 410, questionnaire)
    return _notice(request, "not_yet", 409 if posted else 200, questionnaire)


@never_cache
@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, token: str) -> HttpResponse:
    questionnaire = _questionnaire(token)
    if questionnaire is None:
        return _notice(request, "not_found", 404)
    posted = request.method == "POST"
    if not questionnaire.is_open:
        return _not_open(request, questionnaire, posted=posted)
    form = SurveyForm(
        request.POST if posted else None, questionnaire=questionnaire, initial={"client_id": new_client_id()}
    )
    if posted:
        if ratelimit.over_limit(request, kind="survey", token=token):
            return _notice(request, "rate_limited", 429, questionnaire)
        if form.is_valid():
            client_id = form.cleaned_data["client_id"]
            try:
                submission_record(
                    questionnaire=questionnaire,
                    answers=form.answers(),
                    client_id=client_id if CLIENT_ID.match(client_id or "") else new_client_id(),
                )
            except SubmissionRefused as refused:
                if refused.state:  # closed while the citizen was filling it in
                    questionnaire.refresh_from_db()
                    return _not_open(request, questionnaire, posted=True)
                form.add_refusals(refused.errors)
            else:
                return redirect("survey:thanks", token=token)
    context = {
        "questionnaire": questionnaire,
        "form": form,
        "first_error": form.first_error() if posted else "",
    }
    return render(request, "questionnaires/public/answer.html", context, status=422 if posted else 200)


def thanks(request: HttpRequest, token: str) -> HttpResponse:
    questionnaire = _questionnaire(token)
    if questionnaire is None:
        return _notice(request, "not_found", 404)
    return render(request, "questionnaires/public/thanks.html", {"questionnaire": questionnaire})
