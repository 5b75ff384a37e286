"""Signals sent by the intake service inside its transaction (DESIGN §3: evaluations imports no other app).

- ``evaluation_recorded(evaluation)``: every new rating or timeout marker.
- ``record_completed(record)``: a case has just become completed (the devices app shows it on the
  window's evaluator so the citizen can rate it there).
- ``demo_seeded(months)``: ``seed_demo`` has loaded its data; other apps add their demo rows.
- ``bad_evaluation_recorded(evaluation)``: a new active rating of grade 1-2. A receiver that opens a
  work order returns the order's number; the intake service reports the first number it gets.
"""

from django.dispatch import Signal

evaluation_recorded = Signal()
bad_evaluation_recorded = Signal()
demo_seeded = Signal()
record_completed = Signal()
