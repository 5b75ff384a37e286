"""Tests of the window devices: registry, signed API, alerts, QR codes, pages."""
