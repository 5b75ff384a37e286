"""QR codes: the static window code, the hall's A4 print sheet and the per-case code for receipts.

No QR reader is installed, so each image is checked against the one segno makes for exactly the
expected URL (written out here, not taken from the code under test): equal bytes, equal content.
"""

import io

import pytest
import segno
from django.urls import reverse

from devices import qr
from evaluations.models import Role, User, Window
from evaluations.services.apikeys import apikey_create, apikey_revoke
from evaluations.tokens import case_token

pytestmark = pytest.mark.django_db
BASE = "https://hcp.example.gov.cn"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(autouse=True)
def public_base(settings) -> None:
    settings.PUBLIC_BASE_URL = BASE + "/"  # a trailing slash must not double


@pytest.fixture
def manager(regions, org) -> User:
    return User.objects.create_user("hall_zg", password="pw-for-tests-1", role=Role.HALL_MANAGER,
                                    region=regions["zhanggong"])  # fmt: skip


def segno_bytes(url: str, fmt: str) -> bytes:
    """What segno itself makes of ``url`` with the options the app prints with."""
    out = io.BytesIO()
    code = segno.make(url, error="m", micro=False)
    if fmt == "svg":
        code.save(out, kind="svg", scale=qr.SVG_SCALE, border=qr.BORDER, title=qr.SVG_TITLE, light="#fff")
    else:
        code.save(out, kind="png", scale=qr.PNG_SCALE, border=qr.BORDER)
    return out.getvalue()


def test_the_window_code_encodes_exactly_the_public_window_url(client, owner, org):
    window = org["zhanggong"]["window"]
    expected = f"{BASE}/r/w/{window.qr_token}/"
    client.force_login(owner)
    svg = client.get(reverse("devices:window_qr", args=[window.code, "svg"]))
    png = client.get(reverse("devices:window_qr", args=[window.code, "png"]))
    assert svg["Content-Type"] == "image/svg+xml" and svg.content == segno_bytes(expected, "svg")
    assert png["Content-Type"] == "image/png" and png.content.startswith(PNG_SIGNATURE)
    assert png.content == segno_bytes(expected, "png")
    assert svg.content != segno_bytes(f"{BASE}/r/w/someone-else/", "svg")  # the comparison can fail
    assert f'filename="{window.code}.png"' in png["Content-Disposition"]


def test_the_window_code_needs_a_login_and_the_window_in_scope(client, outsider, org):
    url = reverse("devices:window_qr", args=[org["zhanggong"]["window"].code, "svg"])
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    assert client.get(f"/devices/qr/window/{org['nankang']['window'].code}.gif").status_code == 404


def test_the_print_sheet_has_every_active_window_with_its_code_name_and_number(client, manager, org):
    hall = org["zhanggong"]["hall"]
    for number in range(2, 9):
        Window.objects.create(hall=hall, code=f"ZG-{number:02d}", name=f"第{number}综合窗口")
    Window.objects.create(hall=hall, code="ZG-99", name="已撤销窗口", active=False)
    client.force_login(manager)
    response = client.get(reverse("devices:hall_sheet", args=[hall.code]))
    html = response.content.decode()
    windows = Window.objects.filter(hall=hall, active=True)
    assert windows.count() == 8
    for window in windows:
        assert window.name in html and window.code in html
        assert qr.make(f"{BASE}/r/w/{window.qr_token}/").svg_inline(
            scale=qr.SVG_SCALE, border=qr.SHEET_BORDER, omitsize=True, light="#fff"
        ) in html  # fmt: skip
    assert "已撤销窗口" not in html
    assert html.count("<svg") == 8 and html.count("扫码评价本窗口服务") == 8
    assert html.count('class="dv-sheet"') == 2  # 6 codes on a sheet
    assert "7 号窗口" in html  # the trailing digits of ZG-07
    assert 'href="/static/css/print-sheet.css"' in html and hall.name in html  # A4, 12 mm margins


def test_the_print_sheet_is_for_managers_of_the_hall(client, outsider, colleague, org):
    url = reverse("devices:hall_sheet", args=[org["zhanggong"]["hall"].code])
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    client.force_login(colleague)
    assert client.get(url).status_code == 403


# --- the per-case code, for business systems --------------------------------------------------------


def test_a_business_system_gets_the_code_of_a_case_with_its_key(client, make_record):
    record = make_record("SN-2025-000123")
    _key, full_key = apikey_create(by=None, name="一窗受理系统")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {full_key}"}
    expected = f"{BASE}/r/{case_token(record)}/"
    svg = client.get(reverse("devices:case_qr", args=[record.serial_no, "svg"]), **auth)
    png = client.get(reverse("devices:case_qr", args=[record.serial_no, "png"]), **auth)
    assert svg.status_code == 200 and svg.content == segno_bytes(expected, "svg")
    assert png.content.startswith(PNG_SIGNATURE) and png.content == segno_bytes(expected, "png")
    assert svg["Cache-Control"] == "no-store"


@pytest.mark.parametrize("header", [None, "Bearer", "Bearer hcp_nope_nope", "Basic dXNlcjpwdw=="])
def test_a_missing_or_wrong_key_is_a_401_in_the_api_error_shape(client, make_record, header):
    record = make_record()
    extra = {"HTTP_AUTHORIZATION": header} if header else {}
    response = client.get(reverse("devices:case_qr", args=[record.serial_no, "svg"]), **extra)
    assert response.status_code == 401 and response["WWW-Authenticate"] == "Bearer"
    assert response.json()["errors"][0]["code"] == "unauthorized"


def test_a_revoked_key_is_refused(client, make_record):
    record = make_record()
    key, full_key = apikey_create(by=None, name="已停用系统")
    apikey_revoke(by=None, key=key)
    response = client.get(
        reverse("devices:case_qr", args=[record.serial_no, "svg"]), HTTP_AUTHORIZATION=f"Bearer {full_key}"
    )
    assert response.status_code == 401


def test_an_unknown_case_or_one_outside_the_keys_region_is_a_404(client, make_record, regions):
    record = make_record()
    _key, everywhere = apikey_create(by=None, name="全市系统")
    _key, nankang_only = apikey_create(by=None, name="南康区系统", region=regions["nankang"])
    unknown = client.get(
        reverse("devices:case_qr", args=["SN-NOPE", "svg"]), HTTP_AUTHORIZATION=f"Bearer {everywhere}"
    )
    assert unknown.status_code == 404
    assert unknown.json()["errors"] == [
        {"field": "serial_no", "code": "not_found", "message": "办件不存在，或不在该接口密钥的范围内。"}
    ]
    elsewhere = client.get(
        reverse("devices:case_qr", args=[record.serial_no, "png"]),
        HTTP_AUTHORIZATION=f"Bearer {nankang_only}",
    )
    assert elsewhere.status_code == 404
