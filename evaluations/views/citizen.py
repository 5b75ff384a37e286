"""The citizen rating pages: a signed link per case (/r/<token>/) and a static QR per window (/r/w/<token>/).

Each POST view is: rate limit → parse with a form → the intake service → redirect to the thank-you
page (POST-redirect-GET), or render the form again with the refusal next to its field.
"""

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from .. import ratelimit, selectors
from ..forms.citizen import CaseRatingForm, RatingForm, WindowRatingForm, new_client_id
from ..http import client_address
from ..models import Channel, ServiceRecord, Stage, Target, Window
from ..refusals import Refusal
from ..services.intake import RefusedOne, evaluations_record_together
from ..tokens import record_for_token

FIELDS_ON_FORM = {"grade", "tags", "comment", "staff", "matter"}


@dataclass
class Entry:
    """One rating to write: the form it came from and the keyword arguments of the intake service."""

    form: RatingForm
    kwargs: dict


def _notice(
    request: HttpRequest, kind: str, status: int, message: str = "", subject: str = ""
) -> HttpResponse:
    """The one-message pages: not found, expired, already rated, too many submissions, and so on."""
    context = {"kind": kind, "message": message, "subject": subject}
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


@never_cache
@require_http_methods(["GET", "POST"])
def case_rate(request: HttpRequest, token: str) -> HttpResponse:
    record = record_for_token(token)
    if record is None:
        return not_found(request)
    if request.method == "GET" and (state := selectors.case_state(record)) != selectors.OPEN:
        # On POST the intake service decides (and answers a resent submission with its first result).
        return _notice(request, state, 410 if state == selectors.EXPIRED else 200, subject=record.matter.name)
    with_staff = selectors.staff_rateable(record)
    data = request.POST if request.method == "POST" else None
    form = CaseRatingForm(data, target=Target.MATTER, prefix="matter", initial={"client_id": new_client_id()})
    staff_form = RatingForm(data, target=Target.STAFF, prefix="staff", required=False) if with_staff else None
    if request.method == "POST":
        if ratelimit.over_limit(request, kind="case", token=token):
            return _rate_limited(request)
        if all([form.is_valid(), staff_form is None or staff_form.is_valid()]):  # both, for all errors
            refusal = _rate_case(request, record, form, staff_form)
            if refusal is None:
                return redirect("citizen:case_thanks", token=token)
            if not (_on_form(refusal, form) or (staff_form and _on_form(refusal, staff_form))):
                return _refusal_page(request, refusal, record.matter.name)
    context = {
        "record": record,
        "form": form,
        "staff_form": staff_form,
        "first_error": _first_error(form, staff_form),
        "action": request.path + ("?via=sms" if _channel(request) == Channel.SMS else ""),
    }
    return render(request, "citizen/case.html", context, status=422 if request.method == "POST" else 200)


def _channel(request: HttpRequest) -> str:
    return Channel.SMS if request.GET.get("via") == "sms" else Channel.QR


def _rate_case(
    request: HttpRequest, record: ServiceRecord, form: CaseRatingForm, staff_form: RatingForm | None
) -> Refusal | None:
    burst = ratelimit.burst_check(request)
    client_id = form.cleaned_data["client_id"]
    common = {
        "stage": Stage.COMPLETION,
        "channel": _channel(request),
        "ip_address": client_address(request),
        "flag_reason": burst.reason,
    }
    entries = [Entry(form, {"rating": form.rating(client_id=client_id, **common), "record": record})]
    if staff_form is not None and staff_form.filled:
        staff_client_id = f"{client_id}-staff" if client_id else None
        rating = staff_form.rating(client_id=staff_client_id, **common)
        entries.append(Entry(staff_form, {"rating": rating, "record": record, "staff": record.staff}))
    return _record_all(entries, burst)


def case_thanks(request: HttpRequest, token: str) -> HttpResponse:
    record = record_for_token(token)
    if record is None:
        return not_found(request)
    return render(request, "citizen/thanks.html", {"record": record})


# ---- the static window QR ---------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def window_rate(request: HttpRequest, token: str) -> HttpResponse:
    window = selectors.window_for_token(token)
    if window is None:
        return not_found(request)
    staff = selectors.staff_on_duty(window)
    if not staff:
        return _notice(request, "no_staff", 200, subject=str(window))
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
    }
    return _record_all([Entry(form, kwargs)], burst)


def window_thanks(request: HttpRequest, token: str) -> HttpResponse:
    window = selectors.window_for_token(token)
    if window is None:
        return not_found(request)
    return render(request, "citizen/thanks.html", {"window": window})
