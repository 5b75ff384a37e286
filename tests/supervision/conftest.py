"""Fixtures of 监督查评: 社会监督员 in and out of 章贡区, a plan of the 章贡区 office, photos on disk."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from evaluations.models import Role, User
from supervision.models import Inspection
from supervision.services.inspections import inspection_plan, visit_file

PASSWORD = "pw-for-tests-1"


def make_user(username: str, role: str, **scope) -> User:
    return User.objects.create_user(username=username, password=PASSWORD, name=username, role=role, **scope)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Photos go to a folder of this test's own (the live server thread sees the same settings)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def monitor(regions) -> User:
    """A 社会监督员 of 赣州市 (whose scope holds 章贡区)."""
    return make_user("monitor", Role.MONITOR, region=regions["city"])


@pytest.fixture
def other_monitor(regions) -> User:
    """A 社会监督员 of 南康区: outside 章贡区."""
    return make_user("monitor_nk", Role.MONITOR, region=regions["nankang"])


@pytest.fixture
def plan(owner, monitor, regions, org) -> Inspection:
    today = timezone.localdate()
    return inspection_plan(
        by=owner,
        subject="窗口服务暗访",
        kind=Inspection.Kind.MYSTERY,
        region=regions["zhanggong"],
        starts_on=today - timedelta(days=7),
        ends_on=today + timedelta(days=7),
        inspectors=[monitor],
        halls=[org["zhanggong"]["hall"]],
    )


@pytest.fixture
def visit(plan, monitor, org):
    return visit_file(
        inspection=plan,
        by=monitor,
        visited_at=timezone.now() - timedelta(hours=1),
        mode=Inspection.Kind.MYSTERY,
        summary="上午暗访综合受理窗口。",
        window=org["zhanggong"]["window"],
    )


def image_bytes(kind: str = "JPEG", size: tuple[int, int] = (64, 48)) -> bytes:
    buffer = BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, kind)
    return buffer.getvalue()


def upload(content: bytes, name: str = "现场.jpg", content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)
