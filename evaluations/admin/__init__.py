from . import accounts, apikeys, calendar, cases, master, sms  # noqa: F401  (registers the admin classes)
