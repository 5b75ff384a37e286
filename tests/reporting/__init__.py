"""Tests of reporting: scoring, rankings, dashboard, circulars, revisits, exports, public pages, upstream."""
