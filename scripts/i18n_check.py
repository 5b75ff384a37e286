"""The English catalogue is complete: `make lint` runs this.

Extracts every marked string (``makemessages -l en``) into locale/en/LC_MESSAGES/django.po, then
counts the entries without an English text and the fuzzy ones, prints "N untranslated, M fuzzy" and
fails on any; and checks that the committed django.mo is the compiled django.po (``msgfmt``), so
`make run` needs no gettext. A re-extraction that changes nothing but the header's date is undone.
"""

import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale/en/LC_MESSAGES/django.po"
MO = PO.with_suffix(".mo")
IGNORE = [".venv", ".tools", "test-artifacts", "tests", "bench", "var", "docs"]
DATE = re.compile(r'^"POT-Creation-Date: .*\\n"$', re.M)


def extract() -> None:
    before = PO.read_text() if PO.exists() else ""
    args = [sys.executable, "manage.py", "makemessages", "-l", "en", "--no-obsolete", "--no-location"]
    subprocess.run([*args, *(f"--ignore={path}/*" for path in IGNORE)], cwd=ROOT, check=True)
    after = PO.read_text()
    if before and DATE.sub("", before) == DATE.sub("", after):
        PO.write_text(before)


def entries(text: str) -> list[tuple[str, str, bool]]:
    """(msgid, msgstr, fuzzy) of every entry but the header; plural forms count by their first msgstr."""
    out = []
    for block in text.split("\n\n"):
        lines = block.strip().splitlines()
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in lines)
        msgid = _field(lines, "msgid")
        msgstr = _field(lines, "msgstr") if any(line.startswith("msgstr ") for line in lines) else None
        if msgstr is None:
            msgstr = _field(lines, "msgstr[0]")
        if msgid:
            out.append((msgid, msgstr, fuzzy))
    return out


def _field(lines: list[str], name: str) -> str:
    value, inside = [], False
    for line in lines:
        if line.startswith(f"{name} "):
            inside = True
            value.append(line[len(name) + 1 :].strip().strip('"'))
        elif inside and line.startswith('"'):
            value.append(line.strip('"'))
        else:
            inside = inside and line.startswith('"')
    return "".join(value)


def compiled_matches() -> bool:
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / "django.mo"
        subprocess.run(["msgfmt", "--check-format", "-o", str(fresh), str(PO)], check=True)
        return MO.exists() and MO.read_bytes() == fresh.read_bytes()


def main() -> int:
    extract()
    rows = entries(PO.read_text())
    untranslated = [msgid for msgid, msgstr, _fuzzy in rows if not msgstr]
    fuzzy = [msgid for msgid, _msgstr, is_fuzzy in rows if is_fuzzy]
    print(f"locale/en: {len(rows)} strings, {len(untranslated)} untranslated, {len(fuzzy)} fuzzy")
    for msgid in (untranslated + fuzzy)[:20]:
        print(f"  {msgid}")
    if untranslated or fuzzy:
        return 1
    if not compiled_matches():
        print("locale/en/LC_MESSAGES/django.mo is not the compiled django.po: run `make messages`")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
