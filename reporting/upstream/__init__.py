"""Upstream data exchange with the provincial / national 好差评 platform (docs/upstream.md).

mapping  — our model in the national field vocabulary (the one place)
outbox   — signal receivers that write UpstreamMessage rows in the sender's transaction
client   — the signed HTTP POST of a batch
push     — claiming and sending due rows, backoff, dead letters, manual retry
importer — historical ratings and cases from an XLSX / CSV export in the national field names
"""
