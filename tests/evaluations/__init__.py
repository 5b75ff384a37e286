"""Tests of the core app: master data, intake, citizen and desk pages, reminders, SMS, calendar, demo."""
