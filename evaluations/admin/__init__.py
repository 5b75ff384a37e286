from . import accounts, apikeys, calendar, cases, master, policy, rulings, sms  # noqa: F401  (registers the admin classes)
