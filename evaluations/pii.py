"""Personal data in free text: the one masking function for every comment, reply, note and
rectification text shown to anyone (pages, admin, exports, public pages), and the name heuristic that
flags spans for the office to remove before a reply is published.

Numbers are found in a normalised copy of the text (full-width digits and signs, dashes and the
ideographic space mapped one to one onto ASCII, so offsets stay the same), then the spans are
rewritten in the original. Priority when spans overlap: ID numbers, bank-card-like runs, mobiles,
landlines. Masks keep enough to recognise the number: 138****1111, 360702********1234,
6222*********1234, 0797-****3456.

Not matched on purpose: runs of fewer than 15 digits that are neither a mobile nor a landline with an
area code (order numbers CP202611-000123, serials 20261120-0001, dates, amounts), landlines written
without their area code (eight digits alone are too often something else), and 16-19 digit runs
broken by a letter.
"""

import re
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

_FULL_WIDTH = {chr(0xFF10 + n): str(n) for n in range(10)} | {
    "＋": "+", "－": "-", "（": "(", "）": ")", "\u3000": " ", "‐": "-", "‑": "-", "–": "-", "—": "-",
    "−": "-", "ｘ": "x", "Ｘ": "X",
}  # fmt: skip
_TABLE = str.maketrans(_FULL_WIDTH)

_SEP = r"[ \-]?"  # at most one space or hyphen between two digits
# Not inside a longer number or code: no digit or Latin letter just before (a separator between counts).
_START = r"(?<![0-9A-Za-z])(?<![0-9][ \-])"
_END = r"(?![0-9A-Za-z])(?![ \-][0-9])"

_ID18 = re.compile(_START + r"([1-8](?:" + _SEP + r"\d){16}" + _SEP + r"[\dXx])" + _END)
_ID15 = re.compile(_START + r"([1-8](?:" + _SEP + r"\d){14})" + _END)
_CARD = re.compile(_START + r"(\d(?:" + _SEP + r"\d){15,18})" + _END)
# Phones come after the longer numbers have taken their spans, so only digits bound them: "tel138…",
# "拨打138… 3个工作日内" are phones all the same.
_MOBILE = re.compile(
    r"(?<![0-9+])((?:\+|00)?86[ \-]?|\(\+?86\)[ \-]?)?(1[3-9](?:" + _SEP + r"\d){9})(?![0-9])"
)
_LANDLINE = re.compile(r"(?<![0-9])(\(0\d{2,3}\)|0\d{2,3})[ \-]?([2-9](?:" + _SEP + r"\d){6,7})(?![0-9])")


def _digits(text: str) -> str:
    return re.sub(r"[^0-9Xx]", "", text)


def _plausible_birth(digits: str, *, short: bool) -> bool:
    """ID numbers carry the birth date: YYYYMMDD at 7-14 (18 digits), YYMMDD at 7-12 (15 digits)."""
    if short:
        month, day = int(digits[8:10]), int(digits[10:12])
    else:
        year, month, day = int(digits[6:10]), int(digits[10:12]), int(digits[12:14])
        if not 1900 <= year <= 2099:
            return False
    return 1 <= month <= 12 and 1 <= day <= 31


@dataclass(frozen=True)
class Found:
    start: int
    end: int
    kind: str  # id, card, mobile, landline
    masked: str


def _mask_id(digits: str) -> str:
    return f"{digits[:6]}{'*' * (len(digits) - 10)}{digits[-4:]}"


def _mask_run(digits: str) -> str:
    return f"{digits[:4]}{'*' * (len(digits) - 8)}{digits[-4:]}"


def find_numbers(text: str) -> list[Found]:
    """The personal numbers in ``text``, in order, without overlaps."""
    plain = (text or "").translate(_TABLE)
    found: list[Found] = []

    def free(start: int, end: int) -> bool:
        return all(end <= f.start or start >= f.end for f in found)

    def add(start: int, end: int, kind: str, masked: str) -> None:
        if free(start, end):
            found.append(Found(start, end, kind, masked))

    for pattern, short in ((_ID18, False), (_ID15, True)):
        for m in pattern.finditer(plain):
            digits = _digits(m.group(1)).upper()
            if _plausible_birth(digits, short=short):
                add(m.start(1), m.end(1), "id", _mask_id(digits))
    for m in _CARD.finditer(plain):
        add(m.start(1), m.end(1), "card", _mask_run(_digits(m.group(1))))
    for m in _MOBILE.finditer(plain):
        digits = _digits(m.group(2))
        add(m.start(), m.end(), "mobile", f"{m.group(1) or ''}{digits[:3]}****{digits[-4:]}")
    for m in _LANDLINE.finditer(plain):
        local = _digits(m.group(2))
        area = m.group(1) if m.group(1).startswith("(") else m.group(1) + "-"
        add(m.start(), m.end(), "landline", f"{area}{'*' * (len(local) - 4)}{local[-4:]}")
    return sorted(found, key=lambda f: f.start)


def mask_text(text: str | None) -> str:
    """``text`` with every phone, ID and bank-card number masked; everything else as written."""
    text = text or ""
    out, at = [], 0
    for f in find_numbers(text):
        out += [text[at : f.start], f.masked]
        at = f.end
    out.append(text[at:])
    return "".join(out)


# --- names -------------------------------------------------------------------------------------

# Common surnames: compound ones first, then single characters (a hint list, not a census).
COMPOUND_SURNAMES = ("欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "慕容", "令狐", "司徒", "夏侯")
SINGLE_SURNAMES = (
    "王李张刘陈杨黄赵周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
    "常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季"
    "裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农卓古吉缪简车项连芦麦褚娄窦戚"
    "岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩佘池查麻苑迟邝"
    "钭揭|)"
)
_SURNAME = "(?:" + "|".join(COMPOUND_SURNAMES) + "|[" + SINGLE_SURNAMES + "])"
_HAN = r"[\u4e00-\u9fff]"
# 钱七您好, 高小红同志, 王先生; 经办人张三, 工作人员：李四.
_TITLED = re.compile("(" + _SURNAME + _HAN + "{0,2}?)(?=同志|先生|女士|小姐|老师|师傅|阿姨|大爷|您好|你好)")
_ROLE = re.compile(
    r"(?:经办人|工作人员|联系人|负责人|窗口人员|承办人|办事员|科长|主任|处长|局长)[：: ]?"
    "(" + _SURNAME + _HAN + "{1,2})"
)


def flag_names(text: str) -> list[tuple[int, int]]:
    """Spans that look like a person's name, for the office to check: a hint, never a guarantee."""
    spans: set[tuple[int, int]] = set()
    for pattern in (_TITLED, _ROLE):
        spans.update(m.span(1) for m in pattern.finditer(text or "") if m.end(1) > m.start(1))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def flagged_names(text: str) -> list[str]:
    return [text[start:end] for start, end in flag_names(text)]


def highlight_names(text: str) -> SafeString:
    """``text`` escaped, with each flagged span in <mark>."""
    out, at = [], 0
    for start, end in flag_names(text):
        out += [escape(text[at:start]), f'<mark class="pii-name">{escape(text[start:end])}</mark>']
        at = end
    out.append(escape(text[at:]))
    return mark_safe("".join(out))
