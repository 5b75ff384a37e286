"""Placeholder: filled in by the exports work (issue 6)."""

urlpatterns: list = []
