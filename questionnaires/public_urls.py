"""The citizen's page of a published questionnaire: /s/<token>/ (no login, no JavaScript)."""

app_name = "survey"

urlpatterns: list = []
