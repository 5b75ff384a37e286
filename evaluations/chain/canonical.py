"""The canonical form of a rating or a ruling, and how a link's digest chains to the previous one.

A link's digest is SHA-256 over the previous link's digest (hex), a newline and the canonical form: JSON
with sorted keys, no spaces, UTF-8, of the row's columns as stored (the evaluator's name and phone in
their encrypted form, so verifying needs no key; timestamps in UTC with microseconds). SHA-256 rather
than SM3: hashlib has it, and nothing in the regulations asks for a national algorithm here.

The columns are frozen per format ``version`` (stored on each link), so adding a protected column later
means a version 2 for new links, never a different reading of old ones.
"""

import datetime as dt
import hashlib
import json
from typing import Any

GENESIS = "0" * 64

RATING_COLUMNS: dict[int, tuple[str, ...]] = {
    # RATED_FIELDS (evaluations/models/ratings.py) as of migration 0017, and the 补传 marker (0015).
    1: (
        "record_id", "target", "stage", "grade", "tags", "comment", "channel", "kind", "assess_number",
        "matter_id", "staff_id", "window_id", "department_id", "region_id", "evaluator_name",
        "evaluator_phone", "real_name", "client_id", "submitted_at", "rated_at", "entered_by_id",
        "device_serial", "late_upload",
    ),
}  # fmt: skip
RULING_COLUMNS: dict[int, tuple[str, ...]] = {
    1: ("evaluation_id", "outcome", "reason", "source", "decided_by_id", "decided_at")
}
VERSION = 1
TABLES = {"rating": "evaluations_evaluation", "ruling": "evaluations_ruling"}
COLUMNS: dict[str, dict[int, tuple[str, ...]]] = {"rating": RATING_COLUMNS, "ruling": RULING_COLUMNS}


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat(timespec="microseconds")
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


def canonical(kind: str, version: int, row: dict[str, Any]) -> str:
    """The canonical form of one row (``row`` holds ``id`` and the version's columns)."""
    fields = {column: _plain(row[column]) for column in COLUMNS[kind][version]}
    body = {"kind": kind, "version": version, "id": row["id"], **fields}
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def link_digest(previous: str, text: str) -> str:
    return hashlib.sha256(f"{previous}\n{text}".encode()).hexdigest()


def fetch_rows(cursor, kind: str, version: int, ids: list[int]) -> dict[int, dict[str, Any]]:
    """The rows of ``ids`` (only those that still exist), as stored, by id."""
    columns = ("id", *COLUMNS[kind][version])
    cursor.execute(f"SELECT {', '.join(columns)} FROM {TABLES[kind]} WHERE id = ANY(%s)", [ids])
    return {row[0]: dict(zip(columns, row, strict=True)) for row in cursor.fetchall()}
