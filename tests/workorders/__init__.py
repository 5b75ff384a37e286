"""Tests of the bad-review work orders: lifecycle, deadlines, appeals, escalation, inbox."""
