"""``GET /api/v1/tags`` (issue 12, point 8): integrators read the tags they send back by code in
``POST /api/v1/evaluations`` (DESIGN §7, the records API: same keys, same error shape, in the OpenAPI
schema at /api/docs). The tags are the Tianjin annex table (seeded by migration 0002)."""

import pytest

from evaluations.models import Tag
from evaluations.services.apikeys import apikey_create, apikey_revoke

pytestmark = pytest.mark.django_db

PATH = "/api/v1/tags"


def get(client, key: str | None):
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    return client.get(PATH, headers=headers)


def test_design_s7_tags_lists_every_tag_with_code_grade_target_and_text(client, regions):
    Tag.objects.filter(code="M5-01").update(active=False)
    key = apikey_create(by=None, name="网上办事大厅", region=regions["zhanggong"])[
        1
    ]  # any key, limited or not
    response = get(client, key)
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    body = response.json()
    assert len(body) == Tag.objects.count() == 49
    assert set(body[0]) == {"code", "grade", "target", "text", "active"}
    by_code = {row["code"]: row for row in body}
    for tag in Tag.objects.all():
        assert by_code[tag.code] == {
            "code": tag.code,
            "grade": tag.grade,
            "target": tag.target,
            "text": tag.text,
            "active": tag.active,
        }
    assert by_code["M5-01"]["active"] is False  # listed, so old ratings can still be read
    # In the annex's order: the matter's tags first, from 非常满意 down, then the staff's.
    assert [row["target"] for row in body] == sorted(
        (row["target"] for row in body), key=["matter", "staff"].index
    )
    matter_grades = [row["grade"] for row in body if row["target"] == "matter"]
    assert matter_grades == sorted(matter_grades, reverse=True)


def test_design_s7_tags_need_a_valid_key_like_every_v1_operation(client):
    missing = get(client, None)
    assert missing.status_code == 401 and missing.json()["errors"][0]["code"] == "unauthorized"
    assert missing["WWW-Authenticate"] == "Bearer"
    assert get(client, "not-a-key").status_code == 401
    api_key, full_key = apikey_create(by=None, name="旧系统")
    apikey_revoke(by=None, key=api_key)
    assert get(client, full_key).status_code == 401


def test_design_s7_tags_are_in_the_openapi_schema_and_the_docs_page(client):
    schema = client.get("/api/openapi.json").json()
    operation = schema["paths"][PATH]["get"]
    assert operation["security"] == [{"ApiKeyAuth": []}]
    assert set(operation["responses"]) == {"200", "401"}
    items = operation["responses"]["200"]["content"]["application/json"]["schema"]["items"]
    tag_out = schema["components"]["schemas"][items["$ref"].rsplit("/", 1)[-1]]
    assert set(tag_out["required"]) >= {"code", "grade", "target", "text"}
    assert tag_out["properties"]["target"]["enum"] == ["matter", "staff"]
    html = client.get("/api/docs").content.decode()
    assert PATH in html and "评价标签" in html
