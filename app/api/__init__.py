"""The JSON API under /api/v1 and its OpenAPI document, built from the code.

Each endpoint is declared with `endpoint(...)`, which registers the Flask
route and records its request and answer models; `openapi.json` is made
from those records and the models' own JSON Schemas.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from flask import Blueprint, current_app, jsonify, request
from pydantic import BaseModel
from pydantic.json_schema import models_json_schema
from werkzeug.exceptions import RequestEntityTooLarge as PayloadTooLarge

from app.core.errors import ValidationFailed
from app.core.text import has_surrogates

api_bp = Blueprint("api", __name__, url_prefix="/api/v1")


@dataclass
class Operation:
    path: str
    method: str
    summary: str
    permission: str | None
    body: type[BaseModel] | None
    answer: type[BaseModel] | None
    answer_list: bool
    status: int
    content_type: str = "application/json"
    query: dict[str, str] = field(default_factory=dict)


OPERATIONS: list[Operation] = []


def endpoint(
    path: str,
    method: str = "GET",
    *,
    summary: str,
    body: type[BaseModel] | None = None,
    answer: type[BaseModel] | None = None,
    answer_list: bool = False,
    status: int = 200,
    content_type: str = "application/json",
    query: dict[str, str] | None = None,
) -> Callable:
    """Register an API view and describe it for the OpenAPI document."""

    def decorator(view: Callable) -> Callable:
        api_bp.add_url_rule(path, view_func=view, methods=[method])
        OPERATIONS.append(
            Operation(
                path=path,
                method=method.lower(),
                summary=summary,
                permission=getattr(view, "permission", None),
                body=body,
                answer=answer,
                answer_list=answer_list,
                status=status,
                content_type=content_type,
                query=query or {},
            )
        )
        return view

    return decorator


def json_body() -> object:
    """Return the request's JSON body, or refuse it in Vietnamese."""
    if (request.content_length or 0) > current_app.config["MAX_JSON_BYTES"]:
        raise PayloadTooLarge()
    if not request.is_json:
        raise ValidationFailed(
            "Nội dung phải là JSON (Content-Type: application/json)."
        )
    try:
        data = request.get_json(silent=True)
    except RecursionError:
        # The json module raises this, not ValueError, on deep nesting.
        data = None
    if data is None:
        raise ValidationFailed(
            "Nội dung JSON không đọc được; vui lòng kiểm tra cú pháp."
        )
    if _holds_surrogates(data):
        raise ValidationFailed(
            "Nội dung JSON có ký tự Unicode không hợp lệ (nửa cặp UTF-16)."
        )
    return data


def _holds_surrogates(value, depth: int = 0) -> bool:
    # "\ud83d" alone parses as JSON but cannot be stored or sent as UTF-8.
    if isinstance(value, str):
        return has_surrogates(value)
    if depth > 50:
        return False
    if isinstance(value, dict):
        return any(
            _holds_surrogates(key, depth + 1) or _holds_surrogates(item, depth + 1)
            for key, item in value.items()
        )
    if isinstance(value, list):
        return any(_holds_surrogates(item, depth + 1) for item in value)
    return False


def page_number(raw: str | None) -> int:
    """Parse the `page` query parameter."""
    if raw in (None, ""):
        return 1
    if not raw.isdigit() or not 1 <= int(raw) <= 100_000:
        raise ValidationFailed(
            "Số trang không hợp lệ.", {"page": "Số trang phải là số nguyên dương."}
        )
    return int(raw)


def build_openapi() -> dict:
    """Assemble the OpenAPI 3.1 document from the registered endpoints."""
    models = {m for op in OPERATIONS for m in (op.body, op.answer) if m is not None}
    refs, schema = models_json_schema(
        [(m, "validation") for m in sorted(models, key=lambda m: m.__name__)],
        ref_template="#/components/schemas/{model}",
    )
    components = dict(schema.get("$defs", {}))
    components["Error"] = ERROR_SCHEMA

    paths: dict[str, dict] = {}
    for op in OPERATIONS:
        openapi_path = op.path.replace("<", "{").replace(">", "}")
        openapi_path = openapi_path.replace("{path:", "{").replace("{int:", "{")
        item = paths.setdefault(openapi_path, {})
        item[op.method] = _describe(op, refs)

    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Xã Số API",
            "version": "1",
            "description": "JSON API of a Xã Số commune office or province hub.",
        },
        "servers": [{"url": "/api/v1"}],
        "components": {
            "schemas": components,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
        "security": [{"bearer": []}],
        "paths": paths,
    }


ERROR_SCHEMA = {
    "type": "object",
    "properties": {
        "error": {
            "type": "object",
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "fields": {
                    "type": "object",
                    "additionalProperties": {"type": "string"},
                },
            },
            "required": ["code", "message"],
        }
    },
    "required": ["error"],
}


def _describe(op: Operation, refs: dict) -> dict:
    parameters = [
        {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
        for name in _path_names(op.path)
    ] + [
        {
            "name": name,
            "in": "query",
            "required": False,
            "schema": {"type": "string"},
            "description": text,
        }
        for name, text in op.query.items()
    ]
    error = {
        "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
        }
    }
    responses: dict[str, dict] = {
        "401": {"description": "Thiếu hoặc sai mã truy cập", **error},
        "403": {"description": "Không có quyền", **error},
        "422": {"description": "Dữ liệu không hợp lệ", **error},
    }
    if op.answer is not None:
        schema = refs[(op.answer, "validation")]
        if op.answer_list:
            schema = {"type": "array", "items": schema}
        responses[str(op.status)] = {
            "description": "Thành công",
            "content": {op.content_type: {"schema": schema}},
        }
    else:
        responses[str(op.status)] = {
            "description": "Thành công",
            "content": {
                op.content_type: {"schema": {"type": "string", "format": "binary"}}
            },
        }
    described = {
        "summary": op.summary,
        "parameters": parameters,
        "responses": responses,
    }
    if op.permission:
        described["x-permission"] = op.permission
    if op.body is not None:
        described["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": refs[(op.body, "validation")]}},
        }
    return described


def _path_names(path: str) -> list[str]:
    names = []
    for part in path.split("/"):
        if part.startswith("<") and part.endswith(">"):
            names.append(part[1:-1].split(":")[-1])
        elif "<" in part:
            names.append(part[part.index("<") + 1 : part.index(">")].split(":")[-1])
    return names


@api_bp.get("/openapi.json")
def openapi_document():
    """Serve the generated OpenAPI document."""
    document = current_app.extensions.get("xaso_openapi")
    if document is None:
        document = build_openapi()
        current_app.extensions["xaso_openapi"] = document
    return jsonify(document)


# Importing the feature modules registers their endpoints on the blueprint.
from app.api import dossiers as _dossiers  # noqa: E402, F401
from app.api import feedback as _feedback  # noqa: E402, F401
from app.api import feedback_statistics as _feedback_statistics  # noqa: E402, F401
