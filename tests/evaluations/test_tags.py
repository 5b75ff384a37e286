import pytest

from evaluations.models import Tag

pytestmark = pytest.mark.django_db


def test_the_tianjin_annex_is_seeded_in_full():
    assert Tag.objects.filter(target="matter").count() == 36
    assert Tag.objects.filter(target="staff").count() == 13
    counts = {
        (target, grade): Tag.objects.filter(target=target, grade=grade).count()
        for target in ("matter", "staff")
        for grade in range(1, 6)
    }
    assert counts == {
        ("matter", 5): 7,
        ("matter", 4): 7,
        ("matter", 3): 7,
        ("matter", 2): 7,
        ("matter", 1): 8,
        ("staff", 5): 2,
        ("staff", 4): 2,
        ("staff", 3): 2,
        ("staff", 2): 3,
        ("staff", 1): 4,
    }


def test_tags_keep_the_annex_wording_and_order():
    first = Tag.objects.filter(target="matter", grade=5).order_by("position").first()
    assert first.text == "一窗受理一次办结"
    assert Tag.objects.get(code="S1-01").text == "态度恶劣，故意刁难"
    assert list(Tag.objects.filter(target="staff", grade=2).values_list("text", flat=True)) == [
        "态度生硬，不主动不热情，询问不能及时回答",
        "窗口人员业务不熟，办事效率较低",
        "其他",
    ]
