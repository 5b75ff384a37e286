"""Placeholder: filled in by the dashboard work (issue 6)."""

urlpatterns: list = []
