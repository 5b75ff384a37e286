"""A finding's photo (issue 16 §1: "an optional photo (stored locally, size- and type-checked)"): a JPEG
or PNG of at most 5 MB, checked by reading it; anything else is refused beside the field and nothing is
saved, neither the finding nor a file. Photos are served only to staff in scope, never as public media."""

import pytest

from supervision.models import Finding
from supervision.photos import MAX_PHOTO_BYTES

from .conftest import PASSWORD, image_bytes, upload

pytestmark = pytest.mark.django_db


def _post(client, visit, org, photo):
    data = {
        "department": org["zhanggong"]["department"].pk,
        "category": "discipline",
        "severity": "serious",
        "description": "窗口工作人员离岗 20 分钟。",
        "photo": photo,
    }
    return client.post(f"/supervision/visits/{visit.pk}/findings/", data)


def _files(media_root) -> list:
    return [path for path in media_root.rglob("*") if path.is_file()] if media_root.exists() else []


def _field_error(response) -> str:
    html = response.content.decode()
    block = html[html.index('id="field-photo"') :]
    return block[: block.index("</div>")]


def test_a_jpeg_is_kept_under_media_root_with_a_name_of_our_own(client, visit, monitor, org, media_root):
    client.login(username=monitor.username, password=PASSWORD)
    response = _post(client, visit, org, upload(image_bytes("JPEG"), name="../../etc/passwd.jpg"))
    assert response.status_code == 302
    finding = Finding.objects.get()
    assert finding.photo.name.startswith("supervision/photos/") and finding.photo.name.endswith(".jpg")
    assert ".." not in finding.photo.name and "passwd" not in finding.photo.name
    assert _files(media_root) == [media_root / finding.photo.name]


def test_a_png_is_accepted_and_served_to_the_filer_and_the_office(client, visit, monitor, owner, org):
    client.login(username=monitor.username, password=PASSWORD)
    _post(client, visit, org, upload(image_bytes("PNG"), name="photo.png", content_type="image/png"))
    finding = Finding.objects.get()
    assert finding.photo.name.endswith(".png")
    for person in (monitor, owner):
        client.login(username=person.username, password=PASSWORD)
        response = client.get(f"/supervision/findings/{finding.pk}/photo")
        assert response.status_code == 200
        assert response["Content-Type"] == "image/png"
        assert b"".join(response.streaming_content) == image_bytes("PNG")


def test_the_photo_is_refused_to_another_region_and_to_visitors(
    client, visit, monitor, outsider, other_monitor, org
):
    client.login(username=monitor.username, password=PASSWORD)
    _post(client, visit, org, upload(image_bytes("JPEG")))
    finding = Finding.objects.get()
    url = f"/supervision/findings/{finding.pk}/photo"
    for person in (outsider, other_monitor):
        client.login(username=person.username, password=PASSWORD)
        assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302  # to the login page
    assert client.get(f"/media/{finding.photo.name}").status_code == 404  # no public media URL


def test_a_photo_over_5_mb_is_refused_beside_the_field_and_nothing_is_saved(
    client, visit, monitor, org, media_root
):
    client.login(username=monitor.username, password=PASSWORD)
    big = image_bytes("JPEG") + b"\0" * (MAX_PHOTO_BYTES + 1)
    response = _post(client, visit, org, upload(big))
    assert response.status_code == 400
    assert "照片不能超过 5 MB" in _field_error(response)
    assert not Finding.objects.exists()
    assert _files(media_root) == []


def test_a_file_that_is_not_an_image_is_refused_beside_the_field(client, visit, monitor, org, media_root):
    client.login(username=monitor.username, password=PASSWORD)
    response = _post(client, visit, org, upload(b"%PDF-1.4 not a photo", name="photo.jpg"))
    assert response.status_code == 400
    assert "不是可识别的图片" in _field_error(response)
    assert "窗口工作人员离岗 20 分钟。" in response.content.decode()  # the input is kept
    assert not Finding.objects.exists()
    assert _files(media_root) == []


def test_an_image_of_another_type_is_refused(client, visit, monitor, org, media_root):
    client.login(username=monitor.username, password=PASSWORD)
    response = _post(client, visit, org, upload(image_bytes("GIF"), name="photo.jpg"))
    assert response.status_code == 400
    assert "只能上传 JPEG 或 PNG 格式的照片（所选文件为 GIF）" in _field_error(response)
    assert not Finding.objects.exists()
    assert _files(media_root) == []
