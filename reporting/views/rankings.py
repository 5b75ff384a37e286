"""Placeholder: filled in by the rankings work (issue 6)."""

urlpatterns: list = []
