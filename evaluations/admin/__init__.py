from . import accounts, apikeys, calendar, cases, master, policy, sms  # noqa: F401  (registers the admin classes)
