"""The citizen rating pages: a signed link per case (/r/<token>/) and a static QR per window (/r/w/<token>/).

Each POST view is: rate limit → parse with a form → the intake service → redirect to the thank-you
page (POST-redirect-GET), or render the form again with the refusal next to its field.
"""

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from .. import ratelimit, selectors
from ..forms.citizen import CaseRatingForm, RatingForm, WindowRatingForm, new_client_id
from ..http import client_address
from ..models import Channel, SenderKind, ServiceRecord, Stage, Target, Window
from ..refusals import Refusal
from ..services.client_keys import Sender
from ..services.intake import RefusedOne, evaluations_record_together
from ..tokens import record_for_token

FIELDS_ON_FORM = {"grade", "tags", "comment", "staff", "matter"}


@dataclass
class Entry:
    """One rating to write: the form it came from and the keyword arguments of the intake service."""

    form: RatingForm
    kwargs: dict


def _notice(
    request: HttpRequest,
    kind: str,
    status: int,
    message: str = "",
    subject: str = "",
    offer: selectors.CaseOffer | None = None,
) -> HttpResponse:
    """The one-message pages: not found, expired, already rated, too many submissions, and so on."""
    context = {"kind": kind, "message": message, "subject": subject, "offer": offer}
    return render(request, "citizen/notice.html", context, status=status)


def not_found(request: HttpRequest) -> HttpResponse:
    return _notice(request, "not_found", 404)


def _rate_limited(request: HttpRequest) -> HttpResponse:
    return _notice(request, "rate_limited", 429)


def _refusal_page(request: HttpRequest, refusal: Refusal, subject: str) -> HttpResponse:
    if refusal.code == "window_closed":
        return _notice(request, "expired", 410, subject=subject)  # the link "expires" with the window
    kind = "rated" if refusal.code == "already_rated" else "refused"
    return _notice(request, kind, refusal.status, refusal.message, subject)


def _record_all(entries: list[Entry], burst: ratelimit.Burst) -> Refusal | None:
    """Write every entry in one transaction. On a refusal nothing is written and the refusal is returned;
    one about a field the citizen filled in is put next to that field on its form."""
    try:
        results = evaluations_record_together([entry.kwargs for entry in entries])
    except RefusedOne as refused:
        burst.cancel()
        refusal, form = refused.refusal, entries[refused.index].form
        if _on_form(refusal, form):
            form.add_error(refusal.field, refusal.message)
        return refusal
    if not results[-1].created:
        burst.cancel()  # a resent submission was answered with the rating already written
    return None


def _on_form(refusal: Refusal, form: RatingForm) -> bool:
    return refusal.field in FIELDS_ON_FORM and refusal.field in form.fields


def _first_error(*forms: RatingForm | None) -> str:
    """The id of the first field to fix, for the link in the alert at the top of the page."""
    for form in (form for form in forms if form is not None):
        for name in form.fields:
            if name in form.errors:
                return f"{form.prefix}-{name}"
    return ""


# ---- the signed per-case link -----------------------------------------------------------------


@dataclass
class Block:
    """One rating block of the case page and the words above it."""

    form: RatingForm
    target: str
    heading: str
    note: str = ""


@never_cache
@require_http_methods(["GET", "POST"])
def case_rate(request: HttpRequest, token: str) -> HttpResponse:
    record = record_for_token(token)
    if record is None:
        return not_found(request)
    if request.method == "GET":
        offer = selectors.case_offer(record)
        if offer.state != selectors.OPEN:
            status = 410 if offer.state == selectors.EXPIRED else 200
            return _notice(request, offer.state, status, subject=record.matter.name, offer=offer)
    else:
        # The form as it was shown; the intake service decides (and answers a resent submission with
        # its first result), whatever has happened since.
        step = request.POST.get("step", selectors.FIRST)
        offer = selectors.case_offer(record, step=step if step in STEPS else selectors.FIRST)
        if offer.state != selectors.OPEN:
            status = 409 if offer.state == selectors.RATED else 422
            return _notice(request, offer.state, status, subject=record.matter.name, offer=offer)
    blocks = _blocks(record, offer, request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if ratelimit.over_limit(request, kind="case", token=token):
            return _rate_limited(request)
        if all([block.form.is_valid() for block in blocks]):  # every block, for all errors at once
            refusal = _rate_case(request, record, offer, blocks)
            if refusal is None:
                return redirect("citizen:case_thanks", token=token)
            if not any(_on_form(refusal, block.form) for block in blocks):
                return _refusal_page(request, refusal, record.matter.name)
    context = {
        "record": record,
        "offer": offer,
        "blocks": blocks,
        "form": blocks[0].form,
        "first_error": _first_error(*(block.form for block in blocks)),
        "action": request.path + ("?via=sms" if _channel(request) == Channel.SMS else ""),
    }
    return render(request, "citizen/case.html", context, status=422 if request.method == "POST" else 200)


STEPS = {selectors.FIRST, selectors.INTAKE, selectors.FOLLOW_UP}
PREFIXES: dict[tuple[str, str], str] = {
    (selectors.FIRST, Target.MATTER): "matter",
    (selectors.FIRST, Target.STAFF): "staff",
    (selectors.INTAKE, Target.STAFF): "intake",
    (selectors.FOLLOW_UP, Target.MATTER): "followup",
    (selectors.FOLLOW_UP, Target.STAFF): "followup_staff",
}


def _blocks(record: ServiceRecord, offer: selectors.CaseOffer, data) -> list[Block]:
    """The rating blocks of ``offer``: the first one required and carrying the submission's key."""
    blocks = []
    for index, target in enumerate(offer.targets):
        # A follow-up's first block is "followup" whichever its target (a consultation's is the clerk).
        prefix = (
            "followup" if offer.step == selectors.FOLLOW_UP and index == 0 else PREFIXES[offer.step, target]
        )
        form: RatingForm
        if index == 0:
            form = CaseRatingForm(
                data,
                target=target,
                prefix=prefix,
                initial={"client_id": new_client_id()},
                with_staff_tags=offer.staff_and_matter,
            )
        else:
            form = RatingForm(data, target=target, prefix=prefix, required=False)
        heading, note = _words(record, offer, target, first=index == 0)
        blocks.append(Block(form, target, heading, note))
    return blocks


def _words(record: ServiceRecord, offer: selectors.CaseOffer, target: str, *, first: bool) -> tuple[str, str]:
    """The heading and the note above one block."""
    name = record.staff.name if record.staff else ""
    if offer.step == selectors.INTAKE:
        return _("您对收件时窗口工作人员的服务满意吗？"), _("为您收件的工作人员：%(name)s。") % {"name": name}
    if offer.step == selectors.FOLLOW_UP:
        if target == Target.MATTER:
            return _("追加评价：办理结果"), ""
        heading = _("追加评价：工作人员") if first else _("追加评价：工作人员（选填）")
        return heading, _("为您服务的工作人员：%(name)s。") % {"name": name}
    if target == Target.STAFF and first:  # a consultation in the hall (Tianjin art. 15)
        return (
            _("您对窗口工作人员的服务满意吗？"),
            _("查询咨询类业务只对窗口人员服务进行评价。为您服务的工作人员：%(name)s。") % {"name": name},
        )
    if target == Target.STAFF:
        note = _("为您服务的工作人员：%(name)s。不评价可以不选。") % {"name": name}
        return _("对工作人员的评价（选填）"), note
    if not offer.staff_and_matter:
        return _("您对办理结果满意吗？"), ""
    bad_each = _("选择“不满意”或“非常不满意”时，请分别选择对服务人员和对服务事项的具体差评内容。")
    if record.batch_no:
        note = _(
            "本次为批量业务（共 %(count)d 件），一次评价适用于本批全部办件的工作人员（%(name)s）和办理事项。"
        ) % {"count": offer.batch_size, "name": name}
    else:
        note = _("本办件由多部门联合审批，办结时的评价同时适用于窗口工作人员（%(name)s）和办理事项。") % {
            "name": name
        }
    return _("您对本次办理满意吗？"), f"{note}{bad_each}"


def _channel(request: HttpRequest) -> str:
    return Channel.SMS if request.GET.get("via") == "sms" else Channel.QR


def _rate_case(
    request: HttpRequest, record: ServiceRecord, offer: selectors.CaseOffer, blocks: list[Block]
) -> Refusal | None:
    burst = ratelimit.burst_check(request)
    client_id = blocks[0].form.cleaned_data["client_id"]
    common = {
        "stage": offer.stage,
        "assess_number": offer.assess_number,
        "channel": _channel(request),
        "ip_address": client_address(request),
        "flag_reason": burst.reason,
    }
    # The page's client_id belongs to the case: every link to it (receipt QR, SMS) is its applicant's.
    sender = Sender.of(SenderKind.CASE_LINK, record)
    entries = []
    for index, block in enumerate(blocks):
        if index > 0 and not block.form.filled:
            continue  # an optional block left empty
        key = client_id if index == 0 or not client_id else f"{client_id}-{block.target}"
        kwargs: dict = {
            "rating": block.form.rating(client_id=key, **common),
            "record": record,
            "sender": sender,
        }
        if block.target == Target.STAFF:
            kwargs["staff"] = record.staff
        entries.append(Entry(block.form, kwargs))
    return _record_all(entries, burst)


def case_thanks(request: HttpRequest, token: str) -> HttpResponse:
    record = record_for_token(token)
    if record is None:
        return not_found(request)
    offer = selectors.case_offer(record)
    context = {
        "record": record,
        "follow_up_open": offer.state == selectors.OPEN and offer.step == selectors.FOLLOW_UP,
        "rate_link": reverse("citizen:case_rate", kwargs={"token": token}),
    }
    return render(request, "citizen/thanks.html", context)


# ---- the static window QR ---------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def window_rate(request: HttpRequest, token: str) -> HttpResponse:
    window = selectors.window_for_token(token)
    if window is None:
        return not_found(request)
    # Nobody signed in: the rating is of the window alone (evaluations.services.duty), never a guess.
    staff = selectors.staff_on_duty(window)
    form = WindowRatingForm(
        request.POST if request.method == "POST" else None,
        target=Target.STAFF,
        staff=staff,
        matters=selectors.window_matters(window),
        prefix="rating",
        initial={"client_id": new_client_id()},
    )
    if request.method == "POST":
        if ratelimit.over_limit(request, kind="window", token=token):
            return _rate_limited(request)
        if form.is_valid():
            refusal = _rate_window(request, window, form, token)
            if refusal is None:
                return redirect("citizen:window_thanks", token=token)
            if not _on_form(refusal, form):
                return _refusal_page(request, refusal, str(window))
    context = {
        "window": window,
        "staff": staff,
        "form": form,
        "first_error": _first_error(form),
        "action": request.path,
    }
    return render(request, "citizen/window.html", context, status=422 if request.method == "POST" else 200)


def _rate_window(request: HttpRequest, window: Window, form: WindowRatingForm, token: str) -> Refusal | None:
    burst = ratelimit.burst_check(request, window_token=token)
    rating = form.rating(
        stage=Stage.COMPLETION,
        channel=Channel.QR,
        client_id=form.cleaned_data["client_id"],
        ip_address=client_address(request),
        flag_reason=burst.reason,
    )
    kwargs = {
        "rating": rating,
        "window": window,
        "staff": form.cleaned_data.get("staff"),
        "matter": form.cleaned_data.get("matter"),
        # The page's client_id belongs to the window whose QR code it was opened from.
        "sender": Sender.of(SenderKind.WINDOW_QR, window),
    }
    return _record_all([Entry(form, kwargs)], burst)


def window_thanks(request: HttpRequest, token: str) -> HttpResponse:
    window = selectors.window_for_token(token)
    if window is None:
        return not_found(request)
    return render(request, "citizen/thanks.html", {"window": window})
