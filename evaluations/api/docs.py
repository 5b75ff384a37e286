"""``/api/docs``: the OpenAPI schema as a plain server-rendered page, no JavaScript, no CDN.

django-ninja ships Swagger UI and Redoc with their assets, but serves those local assets only when
``ninja`` is in INSTALLED_APPS; otherwise its page loads them from a CDN, which a government
intranet cannot reach. This page needs neither: it lists each operation with its parameters, body
fields and responses, read from the same schema that ``/api/openapi.json`` serves.
"""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.urls import reverse
from ninja import NinjaAPI
from ninja.openapi.docs import DocsBase

METHODS = ("get", "post", "put", "patch", "delete")

PAGE = """{% load static %}<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }} · 接口文档</title>
<link rel="stylesheet" href="{% static 'css/api-docs.css' %}"></head><body>
<h1>{{ title }} <small>{{ version }}</small></h1>
<div>{{ description|linebreaks }}</div>
<p>机器可读的 OpenAPI 描述：<a href="{{ schema_url }}"><code>{{ schema_url }}</code></a></p>
{% for op in operations %}
<h2 id="{{ op.id }}"><span class="m">{{ op.method }}</span> <code>{{ op.path }}</code></h2>
<p><strong>{{ op.summary }}</strong></p>{% if op.description %}<p>{{ op.description }}</p>{% endif %}
{% if op.fields %}<table><tr><th>字段</th><th>类型</th><th>必填</th><th>说明</th></tr>
{% for f in op.fields %}<tr><td><code>{{ f.name }}</code></td><td>{{ f.type }}</td>
<td>{% if f.required %}是{% endif %}</td><td>{{ f.description }}</td></tr>{% endfor %}</table>{% endif %}
<p>响应：{% for code, text in op.responses %}<code>{{ code }}</code> {{ text }}{% if not forloop.last %}；
{% endif %}{% endfor %}</p>
{% endfor %}
</body></html>"""


class PlainDocs(DocsBase):
    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        schema = api.get_openapi_schema(path_params=kwargs)
        context = {
            "title": schema["info"]["title"],
            "version": schema["info"]["version"],
            "description": schema["info"].get("description", ""),
            "schema_url": reverse(f"{api.urls_namespace}:openapi-json", kwargs=kwargs),
            "operations": list(_operations(schema)),
        }
        return HttpResponse(engines["django"].from_string(PAGE).render(context, request))


def _operations(schema: dict) -> Any:
    components = schema.get("components", {}).get("schemas", {})
    for path, item in schema.get("paths", {}).items():
        for method in METHODS:
            op = item.get(method)
            if op is None:
                continue
            fields = [
                {"name": p["name"], "type": _type(p.get("schema", {}), components), "required": True}
                for p in op.get("parameters", [])
            ]
            body = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
            if body:
                fields += _fields(body, components, "")
            yield {
                "id": op.get("operationId", ""),
                "method": method.upper(),
                "path": path,
                "summary": op.get("summary", ""),
                "description": op.get("description", ""),
                "fields": fields,
                "responses": sorted(
                    (int(code), r.get("description", "")) for code, r in op.get("responses", {}).items()
                ),
            }


def _resolve(node: dict, components: dict) -> dict:
    while "$ref" in node:
        node = components.get(node["$ref"].rsplit("/", 1)[-1], {})
    if "allOf" in node:  # merge the parts of a combined object
        merged: dict = {"properties": {}, "required": []}
        for part in node["allOf"]:
            part = _resolve(part, components)
            merged["properties"].update(part.get("properties", {}))
            merged["required"] += part.get("required", [])
        return merged
    return node


def _fields(node: dict, components: dict, prefix: str) -> list[dict]:
    node = _resolve(node, components)
    if node.get("type") == "array":
        return _fields(node.get("items", {}), components, prefix)
    required = set(node.get("required", []))
    out: list[dict] = []
    for name, prop in node.get("properties", {}).items():
        full = f"{prefix}{name}"
        resolved = _resolve(_non_null(prop), components)
        out.append(
            {
                "name": full,
                "type": _type(prop, components),
                "required": name in required,
                "description": prop.get("description", resolved.get("description", "")),
            }
        )
        if "properties" in resolved:
            out += _fields(resolved, components, f"{full}.")
    return out


def _non_null(node: dict) -> dict:
    options = [option for option in node.get("anyOf", []) if option.get("type") != "null"]
    return options[0] if len(options) == 1 else node


def _type(node: dict, components: dict) -> str:
    node = _resolve(_non_null(node), components)
    if "enum" in node:
        return " | ".join(str(value) for value in node["enum"])
    if node.get("type") == "array":
        return f"{_type(node.get('items', {}), components)}[]"
    if "properties" in node:
        return "object"
    kind = node.get("type", "")
    extra = node.get("format", "")
    if "maxLength" in node:
        extra = f"≤{node['maxLength']}"
    if "minimum" in node and "maximum" in node:
        extra = f"{node['minimum']}–{node['maximum']}"
    return f"{kind} ({extra})" if extra else kind
