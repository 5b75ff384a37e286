import pytest
from django.core.exceptions import ValidationError

from evaluations.models import Department, Region, Role, User
from evaluations.validators import validate_uscc

from ..helpers import make_uscc

pytestmark = pytest.mark.django_db


def test_a_region_knows_its_ancestors_and_subtree(regions):
    village = regions["village"]
    assert village.ancestor_codes() == [
        "360000000000",
        "360700000000",
        "360702000000",
        "360702001000",
        "360702001001",
    ]
    assert set(regions["zhanggong"].subtree().values_list("name", flat=True)) == {
        "章贡区",
        "解放街道",
        "厚德路社区",
    }


def test_moving_a_region_moves_its_whole_subtree(regions):
    town = regions["town"]
    town.parent = regions["nankang"]
    town.save()
    village = Region.objects.get(pk=regions["village"].pk)
    assert village.path == "/360000000000/360700000000/360703000000/360702001000/360702001001/"
    assert regions["nankang"].subtree().filter(pk=village.pk).exists()


@pytest.mark.parametrize(
    ("code", "level", "parent_key", "field", "message"),
    [
        ("36070200100", 4, "zhanggong", "code", "区划代码应为 12 位数字。"),
        ("360702001009", 4, "zhanggong", "code", "乡镇（街道）级区划代码第 10 位起应为 0。"),
        ("360703002000", 4, "zhanggong", "code", "区划代码应以上级区划代码 360702 开头。"),
        ("360702002000", 4, "city", "parent", "上级区划应为县级。"),
        ("360702002000", 4, None, "parent", "请选择上级区划。"),
    ],
)
def test_a_region_explains_what_is_wrong(regions, code, level, parent_key, field, message):
    region = Region(code=code, name="测试", level=level, parent=regions.get(parent_key))
    with pytest.raises(ValidationError) as caught:
        region.full_clean()
    assert message in caught.value.message_dict[field]


def test_the_unified_social_credit_code_is_checked():
    validate_uscc(make_uscc("360700000000", 1))
    with pytest.raises(ValidationError, match="校验位不正确"):
        validate_uscc(
            make_uscc("360700000000", 1)[:17] + "0" if make_uscc("360700000000", 1)[17] != "0" else "1"
        )
    with pytest.raises(ValidationError, match="18 位"):
        validate_uscc("11360700MB000000I1")


def test_a_department_with_a_bad_code_is_refused(regions):
    department = Department(name="测试局", code="123", region=regions["city"])
    with pytest.raises(ValidationError) as caught:
        department.full_clean()
    assert "code" in caught.value.message_dict


def test_a_role_needs_its_scope(regions, org):
    with pytest.raises(ValidationError, match="请为该角色设置管辖区划或所属部门"):
        User(username="a", role=Role.HOTLINE).clean()
    with pytest.raises(ValidationError, match="须设置所属部门"):
        User(username="b", role=Role.DEPARTMENT, region=regions["city"]).clean()
    with pytest.raises(ValidationError, match="须设置管辖区划"):
        User(username="c", role=Role.OFFICE, department=org["zhanggong"]["department"]).clean()
    User(username="d", role=Role.SYSADMIN).clean()


def test_the_role_decides_admin_access(regions):
    clerk = User.objects.create_user(
        username="clerk", password="x", role=Role.WINDOW_STAFF, region=regions["city"]
    )
    office = User.objects.create_user(
        username="office", password="x", role=Role.OFFICE, region=regions["city"]
    )
    admin = User.objects.create_user(username="admin", password="x", role=Role.SYSADMIN)
    assert not clerk.is_staff
    assert office.is_staff and not office.is_superuser
    assert admin.is_staff and admin.is_superuser
    assert office.has_perm("evaluations.change_department")
    assert not office.has_perm("evaluations.change_user")
    assert not clerk.has_perm("evaluations.view_department")
