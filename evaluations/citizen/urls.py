"""Citizen rating pages: the static window QR (/r/w/<token>/) and the signed per-case link (/r/<token>/)."""

urlpatterns: list = []
