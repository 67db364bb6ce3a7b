"""Public catalogue API: GET /api/v1/procedures/, /api/v1/procedures/{code}/ and the fee of a
case, /api/v1/procedures/{code}/fee."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from motcua.catalog.models import Procedure
from motcua.catalog.queries import active_procedure, search_procedures
from motcua.core.fees import EXEMPTION_LABELS, MAX_COPIES, MAX_PAGES, MAX_UNITS, parse_case, quote


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


class FeeLineSerializer(serializers.Serializer):
    label = serializers.CharField(help_text="ví dụ “Phí chứng thực, trang 1–2”")
    quantity = serializers.IntegerField()
    unit_price = serializers.IntegerField(help_text="đồng; âm ở dòng giảm trừ")
    amount = serializers.IntegerField(help_text="đồng; âm ở dòng giảm trừ")


class FeeQuoteSerializer(serializers.Serializer):
    amount = serializers.IntegerField(help_text="số tiền phải nộp, đồng; 0 = miễn")
    lines = FeeLineSerializer(many=True)
    basis = serializers.CharField(help_text="căn cứ pháp lý của mức thu (và của việc miễn, giảm)")
    kind = serializers.ChoiceField(choices=["phi", "le_phi"], help_text="phí hoặc lệ phí")
    name = serializers.CharField(help_text="tên khoản thu")


# As the desk's form sends them: an empty box is the default (1, at the desk, no exemption).
WHOLE_NUMBER = r"^[0-9]{0,12}$"
FEE_PARAMETERS = [
    OpenApiParameter(
        "pages",
        OpenApiTypes.STR,
        pattern=WHOLE_NUMBER,
        description=f"số trang (0–{MAX_PAGES}); để trống: 1",
    ),
    OpenApiParameter(
        "copies",
        OpenApiTypes.STR,
        pattern=WHOLE_NUMBER,
        description=f"số bản (0–{MAX_COPIES}); để trống: 1",
    ),
    OpenApiParameter(
        "units",
        OpenApiTypes.STR,
        pattern=WHOLE_NUMBER,
        description=f"số đơn vị tính (0–{MAX_UNITS}); để trống: 1",
    ),
    OpenApiParameter(
        "channel",
        OpenApiTypes.STR,
        enum=["", "truc_tiep", "truc_tuyen"],
        description="kênh nộp; để trống: trực tiếp",
    ),
    OpenApiParameter(
        "exemption",
        OpenApiTypes.STR,
        enum=["", *EXEMPTION_LABELS],
        description="đối tượng miễn, giảm của người nộp; để trống: không",
    ),
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
    fee=extend_schema(
        summary="Số tiền phí, lệ phí của một trường hợp",
        parameters=FEE_PARAMETERS,
        responses={200: FeeQuoteSerializer},
    ),
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
        if self.action == "fee":
            return FeeQuoteSerializer
        return ProcedureDetailSerializer if self.action == "retrieve" else ProcedureSerializer

    @action(detail=True, methods=["get"], url_path="fee")
    def fee(self, request, code: str):
        """The amount of one case under the procedure's current fee rule, line by line."""
        procedure = active_procedure(code)
        if procedure is None or procedure.current_version is None:
            raise exceptions.NotFound()
        case = parse_case(request.query_params)  # FeeError: 400 {"detail", "code"}
        version = procedure.current_version
        return Response(quote(version.rule, case, version.name).as_dict())
