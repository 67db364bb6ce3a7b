"""Units API: the working-day calendar and a unit's desk (scoped to the caller)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal, InvalidOperation

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response

from motcua.core.calendar import DurationKind
from motcua.core.errors import UnitError
from motcua.core.localtime import LOCAL_TZ
from motcua.units.access import check_view_unit
from motcua.units.models import Desk, Unit
from motcua.units.queries import work_calendar_for_unit


def bad_request(message: str, code: str = "invalid_calendar") -> UnitError:
    """A wrong parameter of the due-date calculator (raised, answered as a 400)."""
    return UnitError(message, code)


@extend_schema(
    summary="Tính ngày hẹn trả kết quả",
    parameters=[
        OpenApiParameter(
            "start",
            OpenApiTypes.DATETIME,
            required=True,
            description="thời điểm tiếp nhận, giờ Việt Nam, ví dụ 2026-03-02T10:00",
        ),
        OpenApiParameter("amount", OpenApiTypes.NUMBER, required=True, description="thời hạn"),
        OpenApiParameter(
            "kind", OpenApiTypes.STR, required=True, enum=[k.value for k in DurationKind]
        ),
        OpenApiParameter("unit", OpenApiTypes.STR, description="mã đơn vị hành chính (lịch riêng)"),
    ],
    responses=inline_serializer(
        "DueDate",
        {
            "start": serializers.DateTimeField(),
            "effective_start": serializers.DateTimeField(),
            "due_at": serializers.DateTimeField(),
        },
    ),
)
@api_view(["GET"])
@permission_classes([AllowAny])
def due_date(request):
    params = request.query_params
    missing = [p for p in ("start", "amount", "kind") if not params.get(p)]
    if missing:
        raise bad_request("Thiếu tham số: " + ", ".join(missing) + ".")
    try:
        start = datetime.fromisoformat(params["start"])
    except ValueError:
        raise bad_request(
            f"“{params['start']}” không phải thời điểm hợp lệ (dạng 2026-03-02T10:00)."
        ) from None
    start = start.replace(tzinfo=LOCAL_TZ) if start.tzinfo is None else start.astimezone(LOCAL_TZ)
    try:
        amount = Decimal(params["amount"].replace(",", "."))
    except InvalidOperation:
        raise bad_request(f"Thời hạn “{params['amount']}” không phải là số.") from None
    try:
        kind = DurationKind(params["kind"])
    except ValueError:
        raise bad_request(
            "Loại thời hạn phải là working_days (ngày làm việc), working_hours (giờ làm việc) "
            "hoặc days (ngày)."
        ) from None
    unit = None
    if params.get("unit"):
        unit = Unit.objects.filter(code=params["unit"]).first()
        if unit is None:
            raise bad_request(f"Không có đơn vị hành chính mã “{params['unit']}”.", "unknown_unit")
    calendar = work_calendar_for_unit(unit)
    effective = calendar.effective_start(start)  # a CalendarError is a 400 of its own
    due = calendar.due_at(start, amount, kind)
    return Response(
        {
            "start": start.isoformat(),
            "effective_start": effective.isoformat(),
            "due_at": due.isoformat(),
        }
    )


class StaffSerializer(serializers.Serializer):
    username = serializers.CharField()
    full_name = serializers.CharField()
    title = serializers.CharField()
    roles = serializers.SerializerMethodField()
    is_police = serializers.BooleanField()
    is_military = serializers.BooleanField()

    def get_roles(self, user) -> list[str]:
        return sorted(user.role_codes())


class DeskSerializer(serializers.ModelSerializer):
    unit_code = serializers.CharField(source="unit.code")
    unit_name = serializers.CharField(source="unit.name")
    staff = serializers.SerializerMethodField()
    calendar_overrides = serializers.SerializerMethodField()

    class Meta:
        model = Desk
        fields = [
            "unit_code",
            "unit_name",
            "name",
            "electronic_code",
            "office_hours",
            "address",
            "phone",
            "hotline",
            "email",
            "calendar_overrides",
            "staff",
        ]

    def get_staff(self, desk) -> list[dict]:
        members = desk.unit.staff.filter(is_active=True).prefetch_related("staff_roles")
        return StaffSerializer(members, many=True).data

    def get_calendar_overrides(self, desk) -> list[dict]:
        return [
            {"date": o.date.isoformat(), "is_working_day": o.is_working_day, "note": o.note}
            for o in desk.calendar_overrides.all()
        ]


@extend_schema(summary="Bộ phận Một cửa của một đơn vị", responses=DeskSerializer)
@api_view(["GET"])
@permission_classes([IsAuthenticated])
def desk_detail(request, code: str):
    unit = Unit.objects.filter(code=code).select_related("province").first()
    if unit is None:
        raise UnitError("Không tìm thấy đơn vị.", "not_found")
    check_view_unit(request.user, unit)
    desk = Desk.objects.filter(unit=unit).first()
    if desk is None:
        raise UnitError("Đơn vị này chưa có Bộ phận Một cửa.", "not_found")
    return Response(DeskSerializer(desk).data)
