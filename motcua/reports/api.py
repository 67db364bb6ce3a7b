"""Reports API: the figures of a unit (or a province's communes) for a period."""

from __future__ import annotations

from datetime import date

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from motcua.accounts.access import can_view_unit
from motcua.core.statistics import VIEWS
from motcua.reports.queries import Scope, report, units_of
from motcua.units.models import Unit


def bad_request(message: str, status: int = 400) -> Response:
    return Response({"detail": message}, status=status)


@extend_schema(
    summary="Số liệu tiếp nhận, giải quyết TTHC của một đơn vị trong một kỳ",
    description=(
        "Cùng định nghĩa với trang Thống kê và lệnh `motcua report` (docs/statistics.md). "
        "Tỷ lệ là phần trăm, làm tròn một chữ số thập phân; null khi mẫu số bằng 0."
    ),
    parameters=[
        OpenApiParameter("unit", OpenApiTypes.STR, required=True, description="mã xã hoặc tỉnh"),
        OpenApiParameter("from", OpenApiTypes.DATE, required=True),
        OpenApiParameter("to", OpenApiTypes.DATE, required=True),
        OpenApiParameter("view", OpenApiTypes.STR, enum=list(VIEWS), description="mặc định cohort"),
    ],
    responses=OpenApiTypes.OBJECT,
)
@api_view(["GET"])
@permission_classes([IsAuthenticated])
def figures(request):
    params = request.query_params
    missing = [p for p in ("unit", "from", "to") if not params.get(p)]
    if missing:
        return bad_request("Thiếu tham số: " + ", ".join(missing) + ".")
    try:
        start, end = date.fromisoformat(params["from"]), date.fromisoformat(params["to"])
    except ValueError:
        return bad_request("Ngày phải có dạng YYYY-MM-DD.")
    if not (2000 <= start.year <= 2100 and 2000 <= end.year <= 2100) or end < start:
        return bad_request("Kỳ báo cáo không hợp lệ (từ năm 2000, ngày kết thúc sau ngày bắt đầu).")
    view = params.get("view", "cohort")
    if view not in VIEWS:
        return bad_request("view phải là cohort hoặc flow.")
    unit = Unit.objects.filter(code=params["unit"]).first()
    if unit is None or not can_view_unit(request.user, unit):
        return bad_request("Bạn không có quyền xem số liệu của đơn vị này.", 403)
    data = report(Scope(units_of(unit.code)), start, end, view).as_json()
    data["unit"] = unit.code
    return Response(data)
