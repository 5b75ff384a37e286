"""The evaluator screen: the page a window's evaluator pad (or a browser on the counter) runs.

It carries no data of its own. Its script (static/js/evaluator.js) keeps the device's serial and
secret in the pad's own storage, signs every call to the device API exactly as evaluator firmware
does (devices/auth.py) and shows what the API answers: the window, the clerk on duty (name, staff
number, department, no photograph: Tianjin art. 10(1)), the case waiting for a rating, and the five
grades. A clerk signs in and out on it with their staff number.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from evaluations.models import Tag


@require_GET
def evaluator(request: HttpRequest) -> HttpResponse:
    tags = Tag.objects.filter(active=True).order_by("target", "-grade", "position")
    api = reverse("devices-api:heartbeat").rsplit("/", 1)[0]  # /api/devices/v1, no trailing slash
    return render(
        request,
        "devices/evaluator.html",
        {"tags": list(tags.values("code", "text", "grade", "target")), "api": api},
    )
