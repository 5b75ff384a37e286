"""The citizen's page of a published questionnaire: /s/<token>/ (no login, no JavaScript)."""

from django.urls import path

from .views import public

app_name = "survey"

urlpatterns = [
    path("<str:token>/", public.answer, name="answer"),
    path("<str:token>/thanks/", public.thanks, name="thanks"),
]
