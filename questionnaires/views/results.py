"""Results of a questionnaire (counts, percentages, bars, averages, masked text), its XLSX export and
the printable QR code of its public page."""

import re

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from devices import qr

from ..access import builders_only, get_questionnaire_for_user, readers_only
from ..selectors import questionnaire_results
from ..xlsx import results_workbook
from .links import public_link, qr_svg

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@readers_only
@require_GET
def results(request, pk: int) -> HttpResponse:
    questionnaire = get_questionnaire_for_user(request, pk)
    context = {"results": questionnaire_results(questionnaire), "questionnaire": questionnaire}
    return render(request, "questionnaires/results.html", context)


@readers_only
@require_GET
def export(request, pk: int) -> HttpResponse:
    questionnaire = get_questionnaire_for_user(request, pk)
    content = results_workbook(questionnaire_results(questionnaire, texts_per_question=0))
    response = HttpResponse(content, content_type=XLSX)
    stamp = timezone.localtime().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="questionnaire-{questionnaire.pk}-{stamp}.xlsx"'
    response["Cache-Control"] = "no-store"
    return response


@builders_only
@require_GET
def qr_sheet(request, pk: int) -> HttpResponse:
    questionnaire = get_questionnaire_for_user(request, pk)
    if not questionnaire.is_open:
        messages.error(request, _("问卷收集中才能打印二维码。"))
        return redirect("questionnaires:detail", pk=questionnaire.pk)
    context = {
        "questionnaire": questionnaire,
        "svg": qr_svg(questionnaire),
        "link": public_link(questionnaire),
    }
    return render(request, "questionnaires/qr_sheet.html", context)


@builders_only
@require_GET
def qr_image(request, pk: int, fmt: qr.Format) -> HttpResponse:
    questionnaire = get_questionnaire_for_user(request, pk)
    response = HttpResponse(qr.render(public_link(questionnaire), fmt), content_type=qr.CONTENT_TYPES[fmt])
    name = re.sub(r"[^\w.-]", "_", f"questionnaire-{questionnaire.pk}.{fmt}", flags=re.ASCII)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, max-age=300"
    return response
