"""Exports of ratings and work orders to Excel or CSV, in the background when large."""
