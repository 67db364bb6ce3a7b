"""Reports API: the figures of a unit (or a province's communes) for a period."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from motcua.core.errors import AccessError, ReportError
from motcua.core.periods import parse_period
from motcua.core.statistics import VIEWS
from motcua.reports.queries import Scope, report, units_of
from motcua.units.access import can_view_unit
from motcua.units.models import Unit


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
        raise ReportError("Thiếu tham số: " + ", ".join(missing) + ".")
    start, end = parse_period(params["from"], params["to"])
    view = params.get("view", "cohort")
    if view not in VIEWS:
        raise ReportError("view phải là cohort hoặc flow.")
    unit = Unit.objects.filter(code=params["unit"]).first()
    if unit is None or not can_view_unit(request.user, unit):
        raise AccessError("Bạn không có quyền xem số liệu của đơn vị này.", "other_unit")
    data = report(Scope(units_of(unit.code)), start, end, view).as_json()
    data["unit"] = unit.code
    return Response(data)
