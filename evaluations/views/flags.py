"""The review queue of burst-flagged ratings, /reviews/flags/ (issue 12, point 3).

Each flagged rating in the user's scope, with why it was flagged, its neighbours (same window or same
address within a minute) and when it counts without a review; the office confirms it or rules it
刷评/恶意评价 with a reason; a second tab lists the decisions taken. Plain forms, no JavaScript.

It lives in evaluations, not reporting: the decision is a write on evaluations' own rows (the rating's
validity and its FlagReview) through evaluations.services.flags, and evaluations imports no other app;
reporting only reads the outcome (its held and ruled counts).
"""

from dataclasses import dataclass
from datetime import datetime

from django.contrib import messages
from django.core.paginator import Page, Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import flags
from ..access import role_required
from ..forms.flags import FlagDecisionForm
from ..http import AuthedRequest
from ..models import Evaluation, FlagDecision
from ..pii import mask_text
from ..roles import FLAG_READERS, FLAG_REVIEWERS
from ..scope import visible_to
from ..services.flags import FlagReviewRefused, flag_review_decide

PAGE_SIZE = 20


@dataclass
class Item:
    evaluation: Evaluation
    counts_from: datetime
    held: bool
    neighbours: list[flags.Neighbour]
    form: FlagDecisionForm
    comment: str
    address: str


def _items(request: AuthedRequest, page: Page, bound: FlagDecisionForm | None) -> list[Item]:
    rows = list(page.object_list)
    moments = flags.counts_from(rows)
    near = flags.neighbours(request.user, rows)
    now = timezone.now()
    items = []
    for row in rows:
        form = bound if bound is not None and bound.prefix == f"flag-{row.pk}" else None
        items.append(
            Item(
                evaluation=row,
                counts_from=moments[row.pk],
                held=now < moments[row.pk],
                neighbours=near[row.pk],
                form=form or FlagDecisionForm(evaluation_id=row.pk),
                comment=mask_text(row.comment),
                address=flags.masked_address(row.ip_address),
            )
        )
    return items


def _render(
    request: AuthedRequest,
    *,
    page_number: str | None,
    bound: FlagDecisionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    tab = "decided" if request.GET.get("tab") == "decided" and bound is None else "pending"
    pending, decided = flags.queue(user), flags.decisions(user)
    context: dict = {
        "tab": tab,
        "pending_count": pending.count(),
        "decided_count": decided.count(),
        "can_decide": user.role in FLAG_REVIEWERS or user.is_superuser,
        "decisions": FlagDecision,
    }
    if tab == "pending":
        page = Paginator(pending, PAGE_SIZE).get_page(page_number)
        context.update(page=page, items=_items(request, page, bound))
    else:
        context["page"] = Paginator(decided, PAGE_SIZE).get_page(page_number)
    return render(request, "evaluations/flags.html", context, status=status)


@role_required(FLAG_READERS)
def flag_queue(request: AuthedRequest) -> HttpResponse:
    return _render(request, page_number=request.GET.get("page"))


@role_required(FLAG_REVIEWERS)
@require_POST
def flag_decide(request: AuthedRequest, pk: int) -> HttpResponse:
    evaluation = get_object_or_404(visible_to(request.user, Evaluation.objects.filter(flagged=True)), pk=pk)
    form = FlagDecisionForm(request.POST, evaluation_id=evaluation.pk)
    page_number = request.POST.get("page")
    if form.is_valid():
        try:
            review = flag_review_decide(
                evaluation=evaluation,
                decision=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except FlagReviewRefused as refused:
            if not refused.field:
                messages.error(request, refused.message)
                return redirect(reverse("reviews:flags"))
            form.add_error(refused.field, refused.message)
        else:
            if review.decision == FlagDecision.RULED and review.ended:
                text = _(
                    "已认定为刷评或恶意评价：该评价不再计入任何统计，它引起的差评工单 %(numbers)s 已撤销，"
                    "核查记录已保存。"
                ) % {"numbers": "、".join(review.ended)}
            elif review.decision == FlagDecision.RULED:
                text = _("已认定为刷评或恶意评价：该评价不再计入任何统计，核查记录已保存。")
            else:
                text = _("已确认有效：该评价计入统计。")
            messages.success(request, text)
            suffix = f"?page={page_number}" if page_number and page_number.isdigit() else ""
            return redirect(reverse("reviews:flags") + suffix)
    return _render(request, page_number=page_number, bound=form, status=422)
