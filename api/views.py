"""The readable API documentation (rendered on the server from the OpenAPI description, no
script from outside) and the JSON 404 for unknown API paths."""

import json

from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from api.api import api
from api.downloads import FORMATS
from api.models import OpenDataSettings
from api.resources import RESOURCES


def _operations(schema: dict) -> list[dict]:
    operations = []
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            operations.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "anchor": operation.get("operationId", path),
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "tag": (operation.get("tags") or [""])[0],
                    "parameters": [_parameter(p) for p in operation.get("parameters", [])],
                    "responses": [
                        {
                            "status": status,
                            "description": body.get("description", ""),
                            "schema": _schema_name(body),
                        }
                        for status, body in operation.get("responses", {}).items()
                    ],
                }
            )
    return operations


def _parameter(parameter: dict) -> dict:
    schema = parameter.get("schema", {})
    items = schema.get("items", {})
    kind = schema.get("type") or "/".join(s.get("type", "") for s in schema.get("anyOf", []))
    if kind == "array":
        kind = f"{items.get('type', 'string')}（可重复）"
    limits = []
    for key, label in (("minimum", "≥"), ("maximum", "≤"), ("maxLength", "最长")):
        if key in schema:
            limits.append(f"{label} {schema[key]}")
    enum = schema.get("enum") or items.get("enum") or []
    return {
        "name": parameter["name"],
        "where": {"query": "查询参数", "path": "路径参数"}.get(parameter["in"], parameter["in"]),
        "required": parameter.get("required", False),
        "kind": kind,
        "limits": "，".join(limits),
        "description": parameter.get("description") or schema.get("description", ""),
        "values": enum[:30],
        "more_values": max(0, len(enum) - 30),
        "default": schema.get("default"),
    }


def _schema_name(response: dict) -> str:
    content = response.get("content", {}).get("application/json", {})
    ref = content.get("schema", {}).get("$ref", "")
    return ref.rsplit("/", 1)[-1]


def _models(schema: dict) -> list[dict]:
    models = []
    for name, body in sorted(schema.get("components", {}).get("schemas", {}).items()):
        fields = []
        for field, spec in body.get("properties", {}).items():
            fields.append(
                {
                    "name": field,
                    "type": _type_label(spec),
                    "required": field in body.get("required", []),
                    "description": spec.get("description", ""),
                }
            )
        models.append({"name": name, "description": body.get("description", ""), "fields": fields})
    return models


def _type_label(spec: dict) -> str:
    if "$ref" in spec:
        return spec["$ref"].rsplit("/", 1)[-1]
    if "anyOf" in spec:
        return " | ".join(_type_label(s) for s in spec["anyOf"])
    if spec.get("type") == "array":
        return f"[{_type_label(spec.get('items', {}))}]"
    if spec.get("type") == "object" and "additionalProperties" in spec:
        return f"{{名称: {_type_label(spec['additionalProperties'])}}}"
    kind = spec.get("type", "any")
    return f"{kind} ({spec['format']})" if "format" in spec else kind


def _intro(description: str) -> dict:
    """The API description's first paragraph and its bullet points (written as Markdown)."""
    lines = [line.strip() for line in description.splitlines() if line.strip()]
    return {
        "lead": " ".join(line for line in lines if not line.startswith("* ")),
        "points": [line[2:].replace("`", "") for line in lines if line.startswith("* ")],
    }


@require_GET
def docs(request):
    schema = api.get_openapi_schema()
    operations = _operations(schema)
    groups: dict[str, list] = {}
    for operation in operations:
        groups.setdefault(operation["tag"], []).append(operation)
    return render(
        request,
        "api/docs.html",
        {
            "info": schema["info"],
            "intro": _intro(schema["info"].get("description", "")),
            "groups": list(groups.items()),
            "models": _models(schema),
            "downloads": [
                {
                    "title": resource.dataset.title,
                    "links": [
                        (
                            fmt.upper(),
                            f"{reverse(f'api-v1:download-{resource.dataset.name}')}?format={fmt}",
                        )
                        for fmt in FORMATS
                    ],
                }
                for resource in RESOURCES
                if hasattr(resource, "dataset")
            ],
            "open_data": OpenDataSettings.for_request(request),
            "example": json.dumps(
                {"error": "没有这个选项：no-such-category", "parameter": "waste"},
                ensure_ascii=False,
            ),
        },
    )


def not_found(request):
    return JsonResponse({"error": "没有这个接口"}, status=404)
