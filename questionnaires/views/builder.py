"""The office's pages: the list, a new questionnaire, the builder (questions in order), publish and close.

Everything works without JavaScript: each button is a small POST form, answered by a redirect back to
the builder (or the builder again with the error next to its field, 422).
"""

from django.contrib import messages
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from evaluations.http import AuthedRequest
from evaluations.scope import visible_to

from ..access import builders_only, can_build, get_question_for_user, get_questionnaire_for_user, readers_only
from ..forms import QuestionForm, QuestionnaireForm
from ..models import Questionnaire
from ..services import (
    QuestionnaireError,
    question_add,
    question_move,
    question_remove,
    questionnaire_close,
    questionnaire_create,
    questionnaire_publish,
)
from .links import public_link


@readers_only
def questionnaire_list(request: AuthedRequest) -> HttpResponse:
    rows = visible_to(request.user, Questionnaire.objects.select_related("region")).annotate(
        answers=Count("submissions", distinct=True), question_count=Count("questions", distinct=True)
    )
    context = {"rows": rows, "can_build": can_build(request.user)}
    return render(request, "questionnaires/list.html", context)


@builders_only
def questionnaire_new(request: AuthedRequest) -> HttpResponse:
    form = QuestionnaireForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        questionnaire = questionnaire_create(
            title=data["title"],
            purpose=data["purpose"],
            intro=data["intro"],
            region=data["region"],
            by=request.user,
        )
        messages.success(request, _("问卷已创建，请添加题目。"))
        return redirect("questionnaires:detail", pk=questionnaire.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "questionnaires/new.html", {"form": form}, status=status)


def _builder(
    request: AuthedRequest, questionnaire: Questionnaire, form: QuestionForm | None = None, status: int = 200
) -> HttpResponse:
    questions = questionnaire.questions.prefetch_related("choices")
    context = {
        "questionnaire": questionnaire,
        "questions": questions,
        "form": form or QuestionForm(initial={"required": True}),
        "can_build": can_build(request.user),
        "link": public_link(questionnaire),
        "answers": questionnaire.submissions.count(),
    }
    return render(request, "questionnaires/detail.html", context, status=status)


@readers_only
def questionnaire_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    return _builder(request, get_questionnaire_for_user(request, pk))


@builders_only
@require_POST
def question_new(request: AuthedRequest, pk: int) -> HttpResponse:
    questionnaire = get_questionnaire_for_user(request, pk)
    form = QuestionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            question_add(
                questionnaire=questionnaire,
                kind=data["kind"],
                text=data["text"],
                required=data["required"],
                choices=form.choice_lines(),
                by=request.user,
            )
        except QuestionnaireError as error:
            form.add_error(error.field, error.message)
        else:
            return redirect(f"{questionnaire_url(questionnaire)}#questions")
    return _builder(request, questionnaire, form, status=422)


def questionnaire_url(questionnaire: Questionnaire) -> str:
    return reverse("questionnaires:detail", args=[questionnaire.pk])


def _step(request: AuthedRequest, shown: Questionnaire, action, **kwargs) -> HttpResponse:
    """Run one builder step on ``shown``; a refusal is a message on the builder (422), not an error page."""
    try:
        action(by=request.user, **kwargs)
    except QuestionnaireError as error:
        messages.error(request, error.message)
        shown.refresh_from_db()
        return _builder(request, shown, status=422)
    return redirect(f"{questionnaire_url(shown)}#questions")


@builders_only
@require_POST
def question_up(request: AuthedRequest, pk: int, question_pk: int) -> HttpResponse:
    question = get_question_for_user(request, pk, question_pk)
    return _step(request, question.questionnaire, question_move, question=question, up=True)


@builders_only
@require_POST
def question_down(request: AuthedRequest, pk: int, question_pk: int) -> HttpResponse:
    question = get_question_for_user(request, pk, question_pk)
    return _step(request, question.questionnaire, question_move, question=question, up=False)


@builders_only
@require_POST
def question_delete(request: AuthedRequest, pk: int, question_pk: int) -> HttpResponse:
    question = get_question_for_user(request, pk, question_pk)
    return _step(request, question.questionnaire, question_remove, question=question)


@builders_only
@require_POST
def publish(request: AuthedRequest, pk: int) -> HttpResponse:
    questionnaire = get_questionnaire_for_user(request, pk)
    response = _step(request, questionnaire, questionnaire_publish, questionnaire=questionnaire)
    if response.status_code == 302:
        messages.success(request, _("问卷已发布：把下面的链接或二维码发给办事群众。"))
    return response


@builders_only
@require_POST
def close(request: AuthedRequest, pk: int) -> HttpResponse:
    questionnaire = get_questionnaire_for_user(request, pk)
    response = _step(request, questionnaire, questionnaire_close, questionnaire=questionnaire)
    if response.status_code == 302:
        messages.success(request, _("问卷已结束，不再接受新的答卷。"))
    return response
