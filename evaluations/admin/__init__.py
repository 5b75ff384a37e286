from . import accounts, apikeys, calendar, master, sms  # noqa: F401  (registers the admin classes)
