"""Staff pages of 监督查评 under /supervision/."""

app_name = "supervision"

urlpatterns: list = []
