"""Showing a configuration change's values in Vietnamese (never the internal keys)."""

from __future__ import annotations

from datetime import date, datetime

from django import template

register = template.Library()

LABELS = {
    "name": "Tên",
    "electronic_code": "Mã định danh điện tử",
    "office_hours": "Giờ làm việc",
    "date": "Ngày",
    "is_working_day": "Loại ngày",
    "note": "Ghi chú",
    "subject": "Chủ thể",
    "issuer": "Tổ chức cấp",
    "serial": "Số hiệu",
    "fingerprint": "Dấu vân tay",
    "not_after": "Hết hạn",
    "owner": "Của",
    "revoked": "Số chứng thư bị thu hồi",
    "serials": "Số hiệu bị thu hồi",
    "created": "Thủ tục mới",
    "updated": "Thủ tục đổi phiên bản",
    "unchanged": "Thủ tục không đổi",
    "file": "Tệp",
    "sha256": "Mã băm SHA-256",
    "sections": "Phần lời văn",
}


def shown(key: str, value) -> str:
    if key == "is_working_day":
        return "ngày làm việc (làm bù)" if value else "ngày nghỉ"
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "—"
    if isinstance(value, str):
        for parse in (date.fromisoformat, datetime.fromisoformat):
            try:
                moment = parse(value)
            except ValueError:
                continue
            return f"{moment:%d/%m/%Y}"
        if key == "fingerprint" or key == "sha256":
            return value[:16] + "…"
    return str(value)


@register.filter
def change_items(values) -> list[tuple[str, str]]:
    """[(Vietnamese label, shown value)] of a before/after mapping; unknown keys left out."""
    if not isinstance(values, dict):
        return []
    return [(LABELS[key], shown(key, value)) for key, value in values.items() if key in LABELS]
