"""Public catalogue API: GET /api/v1/procedures/ and /api/v1/procedures/{code}/."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.permissions import AllowAny

from motcua.catalog.models import Procedure
from motcua.catalog.queries import search_procedures


class ComponentSerializer(serializers.Serializer):
    name = serializers.CharField()
    mandatory = serializers.BooleanField(help_text="phải nộp để được tiếp nhận")
    conditional = serializers.BooleanField(
        default=False, help_text="chỉ nộp trong trường hợp nêu ở condition"
    )
    condition = serializers.CharField(default="", help_text="ví dụ “nếu có”")
    form = serializers.CharField(
        default="", help_text="original, copy, certified_copy, presented hoặc rỗng"
    )
    count = serializers.IntegerField()


class ProcessStepSerializer(serializers.Serializer):
    step = serializers.CharField()
    role = serializers.CharField()
    share = serializers.IntegerField(help_text="phần trăm tổng thời hạn")


class ProcedureSerializer(serializers.ModelSerializer):
    field = serializers.CharField(source="field.name")
    field_slug = serializers.CharField(source="field.slug")
    version = serializers.IntegerField(source="current_version.number")
    level = serializers.CharField(source="current_version.level")
    agency = serializers.CharField(source="current_version.agency")
    duration = serializers.DecimalField(
        source="current_version.duration", max_digits=7, decimal_places=2, coerce_to_string=False
    )
    duration_unit = serializers.CharField(source="current_version.duration_unit")
    duration_display = serializers.CharField(source="current_version.duration_display")
    fee = serializers.IntegerField(source="current_version.fee", help_text="đồng; 0 = miễn")
    fee_note = serializers.CharField(source="current_version.fee_note")
    online_level = serializers.CharField(source="current_version.online_level")
    cross_border = serializers.BooleanField(source="current_version.cross_border")

    class Meta:
        model = Procedure
        fields = [
            "code",
            "name",
            "field",
            "field_slug",
            "version",
            "level",
            "agency",
            "duration",
            "duration_unit",
            "duration_display",
            "fee",
            "fee_note",
            "online_level",
            "cross_border",
        ]


class ProcedureDetailSerializer(ProcedureSerializer):
    components = ComponentSerializer(source="current_version.components", many=True)
    process = ProcessStepSerializer(source="current_version.process", many=True)
    result = serializers.CharField(source="current_version.result")
    legal_basis = serializers.CharField(source="current_version.legal_basis")
    verified = serializers.BooleanField(source="current_version.verified")
    notes = serializers.CharField(source="current_version.notes")

    class Meta(ProcedureSerializer.Meta):
        fields = [
            *ProcedureSerializer.Meta.fields,
            "components",
            "process",
            "result",
            "legal_basis",
            "verified",
            "notes",
        ]


@extend_schema_view(
    list=extend_schema(
        summary="Danh mục thủ tục hành chính",
        parameters=[
            OpenApiParameter("q", OpenApiTypes.STR, description="tìm theo mã/tên, không dấu"),
            OpenApiParameter(
                "field", OpenApiTypes.STR, description="lĩnh vực (slug), ví dụ ho-tich"
            ),
        ],
    ),
    retrieve=extend_schema(summary="Một thủ tục hành chính theo mã"),
)
class ProcedureViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [AllowAny]
    lookup_field = "code"
    lookup_value_regex = r"[0-9.]+"

    def get_queryset(self):
        return search_procedures(
            self.request.query_params.get("q", ""), self.request.query_params.get("field", "")
        )

    def get_serializer_class(self):
        return ProcedureDetailSerializer if self.action == "retrieve" else ProcedureSerializer
