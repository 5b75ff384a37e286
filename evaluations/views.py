from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .models import Department, Hall, ServiceMatter, Window
from .scope import visible_to


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    counts = {
        "departments": visible_to(user, Department.objects.all()).count(),
        "halls": visible_to(user, Hall.objects.all()).count(),
        "windows": visible_to(user, Window.objects.all()).count(),
        "matters": visible_to(user, ServiceMatter.objects.all()).count(),
    }
    return render(request, "evaluations/home.html", {"counts": counts})
