"""Issue 14 point 2: an address with NUL or a control character is a 404, never the 500 that
PostgreSQL's refusal of NUL in a query parameter used to make (config/url_guard.py); the JSON APIs
answer for their own parameters in their error shape (DESIGN §7)."""

import pytest

pytestmark = pytest.mark.django_db

PAGES = [
    "/public/region/%00/",
    "/r/w/%00/",
    "/r/%00/",
    "/r/revisit/%00/",
    "/r/w/%01abc/",
    "/public/region/%C2%85/",
    "/public/region/36%0A/",
    "/orders/%7F/",
]


@pytest.mark.parametrize("path", PAGES)
def test_issue14_p2_a_page_address_with_a_control_character_is_404(client, regions, path):
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("query", ["?q=%00", "?status=%00", "?hall=%00", "?%00=1", "?next=a%00b"])
def test_issue14_p2_a_nul_in_the_query_string_is_404(client, regions, query):
    assert client.get(f"/public/{query}").status_code == 404
    assert client.get(f"/accounts/login/{query}").status_code == 404


def test_issue14_p2_other_control_characters_in_a_query_are_left_to_the_page(client, regions):
    assert client.get("/public/?q=a%09b").status_code == 200


def test_issue14_p2_the_page_itself_still_answers(client, regions):
    assert client.get("/public/").status_code == 200


def test_design_s7_an_unknown_api_address_with_a_nul_is_a_json_404(client, db):
    response = client.get("/api/v1/no%00where")
    assert response.status_code == 404
    assert response.json()["errors"][0]["code"] == "not_found"
