"""Citizen rating pages: the static window QR (/r/w/<token>/) and the signed per-case link (/r/<token>/)."""

from django.urls import path, re_path

from ..views import citizen as views

app_name = "citizen"

urlpatterns = [
    path("w/<str:token>/", views.window_rate, name="window_rate"),
    path("w/<str:token>/thanks/", views.window_thanks, name="window_thanks"),
    path("<str:token>/", views.case_rate, name="case_rate"),
    path("<str:token>/thanks/", views.case_thanks, name="case_thanks"),
    # Anything else under /r/ that ends in a slash is a mistyped or cut-off link: the Chinese 404 page.
    # (Without the slash APPEND_SLASH first redirects, so a link that lost its slash still works.)
    re_path(r"^(?:.+/)?$", views.not_found),
]
