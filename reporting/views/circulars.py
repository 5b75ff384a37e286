"""Placeholder: filled in by the circulars work (issue 6)."""

urlpatterns: list = []
