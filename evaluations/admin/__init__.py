from . import accounts, calendar, master  # noqa: F401  (registers the admin classes)
