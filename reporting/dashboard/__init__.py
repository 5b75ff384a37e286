"""The managers' dashboard (/reports/): trend, grades, channels, 堵点 and overdue orders."""
