"""Upstream data exchange with the provincial / national 好差评 platform (docs/upstream.md).

profiles — one module per platform (generic, zhejiang, shandong): fields, codes, envelope, answers
mapping  — our model in the national field vocabulary (the generic profile, the import's columns)
outbox   — signal receivers that write UpstreamMessage rows in the sender's transaction
client   — the generic profile's signed HTTP POST of a batch
indicators — national indicator codes per tag and profile (admin, import)
push     — claiming and sending due rows, backoff, dead letters, manual retry
importer — historical ratings and cases from an XLSX / CSV export in the national field names
import_orders — an imported bad review's closed work order with the predecessor's history
"""
