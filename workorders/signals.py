"""``workorder_transitioned(order, action, event)``: sent inside the transaction of every state change
(dispatch, submit with the reply, approve, record_revisit, void, …) so other apps — the upstream
push — can record milestones exactly when they happen."""

from django.dispatch import Signal

workorder_transitioned = Signal()
