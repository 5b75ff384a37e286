"""Placeholder: filled in by the revisits work (issue 6)."""

urlpatterns: list = []
