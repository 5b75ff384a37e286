"""Control characters in text from outside (issue 14 point 2): one rule for APIs, forms, URLs, exports.

- NUL (U+0000) is refused everywhere: PostgreSQL cannot store it in a text column, so letting it
  through turns bad input into a 500 (``psycopg.DataError``) halfway through a request.
- Other C0 controls (U+0001-U+001F except tab, line feed, carriage return), DEL (U+007F) and the
  C1 controls (U+0080-U+009F) are never meaningful in what we store, and openpyxl refuses most of
  them when a report is exported (``IllegalCharacterError``). Per kind of field:

  * **free text** (comments, notes, names a person typed): the characters are *stripped*. A citizen
    who pasted a comment from a messaging app with a stray U+0008 meant the words, not the byte;
    refusing would lose a rating for nothing.
  * **identifiers** (serial numbers, codes, client ids, tag codes, staff numbers, periods): *refused*
    (code ``control_character``). An identifier is matched exactly against other systems' records;
    silently changing it would store a serial number the business system never sent.
"""

import re

# C0 without \t \n \r, DEL, C1. NUL is in the class too, for stripping text already stored.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Everything a path segment or identifier may never hold: all of C0 (tabs and newlines too), DEL, C1.
ANY_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
NUL = "\x00"


def has_nul(value: str) -> bool:
    return NUL in value


def has_control(value: str) -> bool:
    """True if ``value`` holds any control character, tab and newline included (identifiers)."""
    return ANY_CONTROL.search(value) is not None


def strip_controls(value: str) -> str:
    """``value`` without NUL and the other control characters; tab, line feed and CR stay."""
    return CONTROL_CHARACTERS.sub("", value)
