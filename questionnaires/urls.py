"""Staff pages of the questionnaires under /supervision/questionnaires/."""

app_name = "questionnaires"

urlpatterns: list = []
