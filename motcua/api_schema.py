"""The API schema says every answer an operation can give, errors included.

drf-spectacular documents the success of each operation; this hook adds the errors that the one
exception handler (``motcua.api.exception_handler``), the request guards
(``motcua.middleware``) and the JSON 404 of ``/api/`` (``motcua.api.not_found``) can answer,
each with the error body ``{"detail", "code", "fields"?}``. Which ones an operation gets follows
from what it takes — a client that reads the schema knows every status it will meet (checked
by schemathesis in ``tests/test_api_schema.py``)."""

from __future__ import annotations

ERROR_SCHEMA = {
    "type": "object",
    "description": "Một lỗi: thông báo tiếng Việt cho người dùng và mã ổn định cho chương trình.",
    "required": ["detail", "code"],
    "properties": {
        "detail": {"type": "string", "description": "thông báo tiếng Việt"},
        "code": {"type": "string", "description": "mã lỗi ổn định (docs/api.md)"},
        "fields": {
            "type": "object",
            "additionalProperties": True,
            "description": "lỗi của từng trường, khi dữ liệu gửi lên chưa hợp lệ",
        },
    },
}

DESCRIPTIONS = {
    "400": "Dữ liệu gửi lên hoặc tham số không hợp lệ; không có gì thay đổi.",
    "401": "Chưa đăng nhập, hoặc mã truy cập sai hay đã hết hạn.",
    "403": "Không có quyền (vai trò, đơn vị, tài khoản chỉ xem, hoặc đăng nhập đang bị khoá).",
    "404": "Không có (hoặc không được xem) đối tượng này.",
    "409": "Không thực hiện được ở trạng thái hiện tại.",
    "413": "Dữ liệu gửi lên quá lớn.",
    "415": "Kiểu dữ liệu gửi lên không được hỗ trợ.",
}


def statuses(path: str, method: str, operation: dict) -> list[str]:
    """The error statuses of one operation, from what it takes and who may call it."""
    anonymous = {} in operation.get("security", [{}])
    body = "requestBody" in operation
    query = any(p.get("in") == "query" for p in operation.get("parameters", []))
    found = ["401"]  # a wrong or expired credential is refused on every address
    if body or query:
        found.append("400")
    if not anonymous or method == "post":  # a role, a unit, a lock-out, a bank's key
        found.append("403")
    if "{" in path or any(p.get("name") == "page" for p in operation.get("parameters", [])):
        found.append("404")  # a path's object, or a page number past the last page
    if method == "post" and not path.endswith("/auth/token/"):
        found.append("409")
    if body:
        found += ["413", "415"]
    return sorted(found)


def error_responses(result, generator, request, public):
    """drf-spectacular post-processing hook (settings ``SPECTACULAR_SETTINGS``)."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Error"] = ERROR_SCHEMA
    body = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            for status in statuses(path, method, operation):
                responses.setdefault(status, {"content": body, "description": DESCRIPTIONS[status]})
    return result
