"""Fill the English catalogue from the translation memory locale/en/translations.tsv.

``makemessages`` keeps the translations of unchanged strings, but a string whose Chinese text changed
comes back empty or fuzzy, and a catalogue rebuilt after a merge conflict loses the other side's
texts. This script gives every empty or fuzzy entry whose msgid is in the memory its remembered
English text (and drops the fuzzy flag), also when the msgid changed only in spacing or in full- vs
half-width punctuation; entries it cannot fill are listed for a translator.

    python scripts/i18n_apply.py            # fill locale/en/LC_MESSAGES/django.po from the memory
    python scripts/i18n_apply.py --export   # rewrite the memory from the translated catalogue

Memory format, one entry a line, in catalogue order: ``msgid<TAB>msgstr``; plural entries
``msgid|||msgid_plural<TAB>singular|||plural``; backslash, tab and newline escaped as \\\\, \\t, \\n.
Run ``make messages`` afterwards to recompile django.mo.
"""

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale/en/LC_MESSAGES/django.po"
TSV = ROOT / "locale/en/translations.tsv"
FIELD = re.compile(r'^(msgid|msgid_plural|msgstr(?:\[\d+\])?) "(.*)"$')
PO_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}
TSV_ESCAPES = {"n": "\n", "t": "\t", "\\": "\\"}
# A msgid that only changed in spacing or in full- vs half-width punctuation keeps its translation.
TRIVIAL = str.maketrans("，。：；（）“”‘’！？、", ",.:;()\"\"''!?,", " \t\n\u3000")


def unescape(text: str, table: dict[str, str]) -> str:
    return re.sub(r"\\(.)", lambda m: table.get(m.group(1), m.group(0)), text)


def tsv_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def po_quote(name: str, text: str) -> list[str]:
    """A field as msgmerge writes it: one line, or "" and one line per newline-terminated piece."""
    esc = text.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t")
    pieces = [piece + "\\n" for piece in esc.split("\n")[:-1]] + [esc.split("\n")[-1]]
    pieces = [piece for piece in pieces if piece]
    if len(pieces) <= 1:
        return [f'{name} "{esc.replace(chr(10), chr(92) + "n")}"']
    return [f'{name} ""'] + [f'"{piece}"' for piece in pieces]


def parse(block: list[str]) -> dict[str, str]:
    """The fields of one entry: msgid, msgid_plural, msgstr, msgstr[0], ... (comments are skipped)."""
    fields: dict[str, str] = {}
    name = None
    for line in block:
        match = FIELD.match(line)
        if match:
            name = match.group(1)
            fields[name] = unescape(match.group(2), PO_ESCAPES)
        elif name and line.startswith('"'):
            fields[name] += unescape(line[1:-1], PO_ESCAPES)
        else:
            name = None
    return fields


def key(fields: dict[str, str]) -> str:
    if "msgid_plural" in fields:
        return f"{fields['msgid']}|||{fields['msgid_plural']}"
    return fields["msgid"]


def translation(fields: dict[str, str]) -> str:
    if "msgid_plural" in fields:
        return f"{fields.get('msgstr[0]', '')}|||{fields.get('msgstr[1]', '')}"
    return fields.get("msgstr", "")


def blocks(text: str) -> list[list[str]]:
    return [block.splitlines() for block in text.strip("\n").split("\n\n")]


def is_fuzzy(block: list[str]) -> bool:
    return any(line.startswith("#,") and "fuzzy" in line for line in block)


def fill(block: list[str], fields: dict[str, str], english: str) -> list[str]:
    """The entry with its msgstr lines replaced, the fuzzy flag and the previous msgid (#|) dropped."""
    kept, name = [], None
    for line in block:
        match = FIELD.match(line)
        if match:
            name = match.group(1)
        elif not line.startswith('"'):
            name = None
        if line.startswith("#|") or (name or "").startswith("msgstr"):
            continue
        if line.startswith("#,"):
            flags = [flag.strip() for flag in line[2:].split(",") if flag.strip() != "fuzzy"]
            if not flags:
                continue
            line = "#, " + ", ".join(flags)
        kept.append(line)
    if "msgid_plural" in fields:
        singular, _, plural = english.partition("|||")
        return kept + po_quote("msgstr[0]", singular) + po_quote("msgstr[1]", plural or singular)
    return kept + po_quote("msgstr", english)


def header(block: list[str]) -> list[str]:
    """A fresh catalogue's header is fuzzy and names no language."""
    lines = [line for line in block if not (line.startswith("#,") and "fuzzy" in line)]
    return [line.replace('"Language: \\n"', '"Language: en\\n"') for line in lines]


def apply() -> int:
    memory = {}
    for line in TSV.read_text(encoding="utf-8").splitlines():
        if line.strip():
            source, _, english = line.partition("\t")
            memory[unescape(source, TSV_ESCAPES).translate(TRIVIAL)] = unescape(english, TSV_ESCAPES)
    out, filled, missing = [], 0, []
    for index, block in enumerate(blocks(PO.read_text(encoding="utf-8"))):
        fields = parse(block)
        done = all(translation(fields).split("|||")) and not is_fuzzy(block)
        if index == 0:
            out.append(header(block))
        elif not fields.get("msgid") or done:
            out.append(block)
        elif key(fields).translate(TRIVIAL) in memory:
            out.append(fill(block, fields, memory[key(fields).translate(TRIVIAL)]))
            filled += 1
        else:
            out.append(block)
            missing.append(fields["msgid"])
    PO.write_text("\n\n".join("\n".join(block) for block in out) + "\n", encoding="utf-8")
    print(f"filled {filled} entries from {TSV.name}; {len(missing)} still need a translator")
    for msgid in missing[:20]:
        print(f"  {msgid}")
    return 0


def export() -> int:
    rows = []
    for block in blocks(PO.read_text(encoding="utf-8"))[1:]:
        fields = parse(block)
        if fields.get("msgid") and all(translation(fields).split("|||")) and not is_fuzzy(block):
            rows.append(f"{tsv_escape(key(fields))}\t{tsv_escape(translation(fields))}")
    TSV.write_text("\n".join(rows) + "\n", encoding="utf-8")
    print(f"wrote {len(rows)} entries to {TSV.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(export() if "--export" in sys.argv[1:] else apply())
