"""Issue 14 point 5 (DESIGN §9: phone and identity masked in every list): the one masking function for
free text, proved on a corpus of what citizens and handlers actually type, and the name flags the
office is shown before a reply is published."""

import pytest

from evaluations.pii import flagged_names, highlight_names, mask_text

MASKED = [
    # mainland mobiles in every common format
    ("电话13800001111。", "电话138****1111。"),
    ("138 0000 1111", "138****1111"),
    ("138-0000-1111", "138****1111"),
    ("1380000 1111", "138****1111"),
    ("+8613800001111", "+86138****1111"),
    ("+86 138 0000 1111", "+86 138****1111"),
    ("+86-138-0000-1111", "+86-138****1111"),
    ("008613800001111", "0086138****1111"),
    ("8613800001111", "86138****1111"),
    ("(+86)13800001111", "(+86)138****1111"),
    ("１３８００００１１１１", "138****1111"),
    ("１３８－００００－１１１１", "138****1111"),
    ("＋８６　１３８ ００００ １１１１", "+86 138****1111"),
    ("13８0000111１", "138****1111"),  # mixed full- and half-width
    ("tel13800001111", "tel138****1111"),
    ("请拨打13800001111 3个工作日内答复", "请拨打138****1111 3个工作日内答复"),
    ("号码是19912345678和15012345678", "号码是199****5678和150****5678"),
    # landlines with an area code
    ("0797-8123456", "0797-***3456"),
    ("0797 8123456", "0797-***3456"),
    ("(0797)8123456", "(0797)***3456"),
    ("（010）82345678", "(010)****5678"),
    ("010-82345678转123", "010-****5678转123"),
    # ID numbers: 18 characters (X check digit), 15 digits, spaced
    ("身份证360702199001011234", "身份证360702********1234"),
    ("36070219900101123X", "360702********123X"),
    ("36070219900101123x", "360702********123X"),
    ("360702 19900101 1234", "360702********1234"),
    ("3607 0219 9001 0112 34", "360702********1234"),
    ("老身份证360702900101123", "老身份证360702*****1123"),
    # bank-card-like long digit runs
    ("卡号6222021234567891234", "卡号6222***********1234"),
    ("6222 0212 3456 7891", "6222********7891"),
    ("6222-0212-3456-7891-123", "6222***********1123"),
]

UNCHANGED = [
    "工单CP202611-000123已办结",  # our work-order numbers (workorders/services/opening.py)
    "HCP-2026-000123",
    "办件编号 20261120-0001",  # a serial number with its date
    "DEMO-202611-0001",  # the demo data's serial numbers
    "SN-H-001",
    "2026-11-20 10:30",
    "2026年11月20日",
    "收费 1380000 元",
    "¥13,800.00",
    "12345 热线",
    "138000011112",  # twelve digits: not a phone
    "订单 20261120000100",  # fourteen digits
    "",
]


@pytest.mark.parametrize(("text", "expected"), MASKED)
def test_issue14_numbers_in_free_text_are_masked(text, expected):
    assert mask_text(text) == expected


@pytest.mark.parametrize("text", UNCHANGED)
def test_issue14_order_numbers_dates_amounts_and_serials_are_not_mangled(text):
    assert mask_text(text) == text


def test_issue14_a_sixteen_digit_run_is_masked_as_a_card():
    assert mask_text("3607021990010112") == "3607********0112"


def test_issue14_an_eighteen_digit_run_without_a_birth_date_is_masked_as_a_card_not_an_id():
    assert mask_text("360702199013011234") == "3607**********1234"  # month 13


def test_issue14_several_kinds_in_one_text_each_get_their_mask():
    text = "张先生（13800001111，身份证360702199001011234）说银行卡6222021234567891234被扣款"
    assert mask_text(text) == (
        "张先生（138****1111，身份证360702********1234）说银行卡6222***********1234被扣款"
    )


def test_issue14_none_and_empty_give_an_empty_string():
    assert mask_text(None) == "" and mask_text("") == ""


NAMES = [
    ("钱七您好，已由高小红同志联系您", ["钱七", "高小红"]),
    ("王先生反映的问题已整改", ["王"]),
    ("欧阳娜娜女士：感谢监督", ["欧阳娜娜"]),
    ("经办人张三已作检讨", ["张三已"]),  # over-wide rather than missed: the office trims it
    ("工作人员：李四", ["李四"]),
    ("尊敬的市民您好，感谢您的评价", []),
    ("您反映的材料清单问题已整改，欢迎再次监督。", []),
]


@pytest.mark.parametrize(("text", "names"), NAMES)
def test_issue14_names_are_flagged_for_the_office(text, names):
    assert flagged_names(text) == names


def test_issue14_flagged_names_are_marked_and_the_rest_escaped():
    html = highlight_names("钱七您好<script>")
    assert html == '<mark class="pii-name">钱七</mark>您好&lt;script&gt;'
