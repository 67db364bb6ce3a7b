"""Dossier API v1 (thin: serializers map fields; rules live in actions and core; errors go to
the one exception handler in ``motcua.api``)."""

from __future__ import annotations

import copy
import uuid
from datetime import datetime

from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_serializer,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action as drf_action
from rest_framework.decorators import api_view
from rest_framework.response import Response

from motcua.accounts.throttle import client_address
from motcua.core.errors import AccessError, DocumentError, DossierError
from motcua.core.fees import CASE_KEYS, parse_case
from motcua.core.identity import mask_citizen_id
from motcua.core.lifecycle import STATE_LABELS, TRANSITIONS, State
from motcua.core.ratings import CHANGE_DAYS, CRITERIA
from motcua.core.ratings import Channel as RatingChannel
from motcua.documents import api as documents_api
from motcua.documents.api import StoredFileSerializer
from motcua.documents.digitisation import attach_component
from motcua.documents.files import STORED_TYPES, file_response
from motcua.documents.results import latest_result
from motcua.dossiers.models import Channel, Dossier, DossierEvent, PersonalDataAccess, Rating
from motcua.dossiers.privacy import contact_data, has_contact_data, may_contact, record_access
from motcua.dossiers.queries import access_dossier, filter_dossiers, visible_dossiers
from motcua.dossiers.ratings import rate_dossier
from motcua.pagination import keyset_page
from motcua.payments.actions import request_at_reception
from motcua.units.access import is_official
from motcua.units.models import Desk
from motcua.units.queries import desk_of_unit
from motcua.workflow import actions
from motcua.workflow.queries import TABS, WorkFilters, next_step, tab_counts, worklist


class DossierSerializer(serializers.ModelSerializer):
    procedure = serializers.CharField(source="procedure.code")
    procedure_name = serializers.CharField(source="procedure_version.name")
    procedure_version = serializers.IntegerField(source="procedure_version.number")
    unit = serializers.CharField(source="unit_id")
    state_label = serializers.CharField()
    applicant_id_number = serializers.SerializerMethodField()
    resolved_at = serializers.DateTimeField(source="ended_at", allow_null=True)
    timeliness = serializers.SerializerMethodField()
    assigned_to = serializers.CharField(
        source="assigned_to.username", default=None, allow_null=True
    )

    class Meta:
        model = Dossier
        fields = [
            "id",
            "code",
            "unit",
            "procedure",
            "procedure_name",
            "procedure_version",
            "channel",
            "state",
            "state_label",
            "applicant_kind",
            "applicant_name",
            "applicant_id_number",
            "applicant_phone",
            "applicant_email",
            "applicant_address",
            "submitted_components",
            "received_at",
            "due_at",
            "original_due_at",
            "resolved_at",
            "returned_at",
            "timeliness",
            "supplement_requests",
            "paper_location",
            "assigned_to",
            "transferred_to",
            "received_from",
            "components_digitised",
            "result_digitised",
        ]

    def get_applicant_id_number(self, obj) -> str:
        return mask_citizen_id(obj.applicant_id_number) if obj.applicant_id_number else ""

    def get_timeliness(self, obj) -> str | None:
        return obj.timeliness or None


# The columns dossier_json reads: lists fetch these and no others.
DOSSIER_COLUMNS = (
    "id",
    "code",
    "unit_id",
    "procedure__code",
    "procedure_version__name",
    "procedure_version__number",
    "channel",
    "state",
    "applicant_kind",
    "applicant_name",
    "applicant_id_number",
    "applicant_phone",
    "applicant_email",
    "applicant_address",
    "submitted_components",
    "received_at",
    "due_at",
    "original_due_at",
    "ended_at",
    "returned_at",
    "timeliness",
    "supplement_requests",
    "paper_location",
    "assigned_to__username",
    "transferred_to",
    "received_from",
    "components_digitised",
    "result_digitised",
)


def iso(moment) -> str | None:
    """A moment as the API writes it: ISO 8601 in local time (as DRF's DateTimeField)."""
    return timezone.localtime(moment).isoformat() if moment is not None else None


def dossier_json(d: Dossier, contact: bool = True) -> dict:
    """The API's view of a dossier, field for field what :class:`DossierSerializer` declares
    (the schema) — written out because the serializer costs 1.4 ms a dossier, this 30 µs
    (a test keeps the two equal). ``contact``: the caller may see the applicant's phone,
    e-mail and address in full (``privacy.may_contact``); masked if not."""
    phone, email, address = contact_data(d, contact)
    return {
        "id": str(d.id),
        "code": d.code,
        "unit": d.unit_id,
        "procedure": d.procedure.code,
        "procedure_name": d.procedure_version.name,
        "procedure_version": d.procedure_version.number,
        "channel": d.channel,
        "state": d.state,
        "state_label": STATE_LABELS[State(d.state)],
        "applicant_kind": d.applicant_kind,
        "applicant_name": d.applicant_name,
        "applicant_id_number": mask_citizen_id(d.applicant_id_number)
        if d.applicant_id_number
        else "",
        "applicant_phone": phone,
        "applicant_email": email,
        "applicant_address": address,
        "submitted_components": d.submitted_components,
        "received_at": iso(d.received_at),
        "due_at": iso(d.due_at),
        "original_due_at": iso(d.original_due_at),
        "resolved_at": iso(d.ended_at),
        "returned_at": iso(d.returned_at),
        "timeliness": d.timeliness or None,
        "supplement_requests": d.supplement_requests,
        "paper_location": d.paper_location,
        "assigned_to": d.assigned_to.username if d.assigned_to_id else None,
        "transferred_to": d.transferred_to,
        "received_from": d.received_from,
        "components_digitised": d.components_digitised,
        "result_digitised": d.result_digitised,
    }


def column_length(name: str) -> int:
    """The longest value a dossier's column holds: the API refuses longer (400), not the
    database (PostgreSQL would fail, SQLite would store megabytes)."""
    return Dossier._meta.get_field(name).max_length


# An official's note on a move (a reason, what to complete) and a paper's name: long enough for
# any real one, short enough that no request stores megabytes (issue 13, M6).
NOTE_MAX_LENGTH = 4000
COMPONENT_MAX_LENGTH = 600


class IntakeSerializer(serializers.Serializer):
    """Tiếp nhận hồ sơ qua API."""

    procedure = serializers.CharField(max_length=40, help_text="mã TTHC, ví dụ 1.001193")
    channel = serializers.ChoiceField(choices=Channel.choices)
    applicant_kind = serializers.ChoiceField(
        choices=Dossier.ApplicantKind.choices, default=Dossier.ApplicantKind.PERSON
    )
    applicant_name = serializers.CharField(max_length=column_length("applicant_name"))
    applicant_id_number = serializers.CharField(
        max_length=column_length("applicant_id_number"),
        required=False,
        allow_blank=True,
        default="",
    )
    applicant_birth_date = serializers.DateField(required=False, allow_null=True, default=None)
    applicant_sex = serializers.ChoiceField(choices=["", "nam", "nu"], required=False, default="")
    applicant_phone = serializers.CharField(
        max_length=column_length("applicant_phone"), required=False, allow_blank=True, default=""
    )
    applicant_email = serializers.EmailField(
        max_length=column_length("applicant_email"), required=False, allow_blank=True, default=""
    )
    applicant_address = serializers.CharField(
        max_length=column_length("applicant_address"), required=False, allow_blank=True, default=""
    )
    components = serializers.ListField(
        child=serializers.CharField(max_length=COMPONENT_MAX_LENGTH), max_length=100, default=list
    )
    forms = serializers.DictField(
        child=serializers.ChoiceField(choices=["original", "copy", "certified_copy", "presented"]),
        default=dict,
        help_text="hình thức từng giấy tờ đã nộp: {tên giấy tờ: original | copy | "
        "certified_copy | presented}",
    )
    copies = serializers.IntegerField(default=1, min_value=1, max_value=50)
    unit = serializers.CharField(
        max_length=10, required=False, help_text="mã xã; mặc định là xã của bạn"
    )
    draft = serializers.BooleanField(default=False, help_text="chỉ lưu nháp, chưa tiếp nhận")
    fee = serializers.DictField(
        child=serializers.CharField(allow_blank=True),
        default=dict,
        help_text="khi thủ tục thu phí lúc tiếp nhận: {pages, copies, units, exemption} để "
        "tính số tiền; yêu cầu nộp phí được lập cùng lúc (docs/fees.md)",
    )

    def get_fields(self):
        # The intake's hot path: each declared field copied shallowly (then bound to this
        # serializer alone) instead of DRF's deep copy, which built every field anew and was
        # two thirds of the validation's time. The fields keep no state between requests.
        return {name: copy.copy(f) for name, f in self._declared_fields.items()}


class ActionSerializer(serializers.Serializer):
    """A move's input, each text bounded like the column or the note it becomes."""

    note = serializers.CharField(
        max_length=NOTE_MAX_LENGTH, required=False, allow_blank=True, default=""
    )
    new_due_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    components = serializers.ListField(
        child=serializers.CharField(max_length=COMPONENT_MAX_LENGTH),
        max_length=100,
        required=False,
        default=None,
    )
    collected_by = serializers.CharField(
        max_length=column_length("paper_collected_by"), required=False, allow_blank=True, default=""
    )
    electronic = serializers.BooleanField(required=False, default=True)
    transferred_to = serializers.CharField(
        max_length=column_length("transferred_to"), required=False, allow_blank=True, default=""
    )


class EventSerializer(serializers.ModelSerializer):
    class Meta:
        model = DossierEvent
        fields = [
            "seq",
            "action",
            "from_state",
            "to_state",
            "actor_name",
            "actor_role",
            "at",
            "note",
            "data",
            "hash",
        ]


class RatingInputSerializer(serializers.Serializer):
    level = serializers.IntegerField(
        min_value=1, max_value=5, help_text="5 rất hài lòng … 1 rất không hài lòng"
    )
    criteria = serializers.DictField(
        child=serializers.IntegerField(min_value=0, max_value=2),
        required=False,
        default=dict,
        help_text="điểm 0/1/2 của các tiêu chí: " + ", ".join(CRITERIA),
    )
    channel = serializers.ChoiceField(
        choices=[RatingChannel.OFFICIAL.value, RatingChannel.DESK.value],
        default=RatingChannel.OFFICIAL.value,
    )


class RatingSerializer(serializers.ModelSerializer):
    dossier = serializers.CharField(source="dossier.code")
    level_label = serializers.CharField()
    official = serializers.CharField(source="official.username", allow_null=True, default=None)

    class Meta:
        model = Rating
        fields = [
            "id",
            "dossier",
            "channel",
            "level",
            "level_label",
            "criteria",
            "entered_by",
            "official",
            "created_at",
            "updated_at",
        ]


class FileUploadSerializer(documents_api.MetadataSerializer):
    """A component's scan, with its metadata if known (then it is digitised at once)."""

    component = serializers.CharField(max_length=600)
    file = serializers.FileField()


LIST_ORDER = (("created_at", True), ("id", True))


def file_uuid(file_id: str) -> uuid.UUID:
    """A file's id from the path (36 characters of hex digits and dashes, not always a UUID)."""
    try:
        return uuid.UUID(file_id)
    except ValueError:
        raise DocumentError("Không có tệp này trong hồ sơ.", "file_not_found") from None


@extend_schema_serializer(many=False)  # one page object, not a list of them
class DossierPageSerializer(serializers.Serializer):
    """A keyset page: ``next`` is the address of the following page (null on the last)."""

    next = serializers.URLField(allow_null=True)
    results = DossierSerializer(many=True)


@extend_schema_view(
    list=extend_schema(
        summary="Danh sách hồ sơ của đơn vị (mới nhất trước, phân trang theo cursor)",
        responses=DossierPageSerializer,
        parameters=[
            OpenApiParameter("cursor", str, description="từ liên kết next của trang trước"),
            OpenApiParameter("page_size", int, description="1 đến 200, mặc định 50"),
            OpenApiParameter("state", str),
            OpenApiParameter("procedure", str),
            OpenApiParameter("channel", str),
            OpenApiParameter("received_from", str),
            OpenApiParameter("received_to", str),
            OpenApiParameter("due_from", str),
            OpenApiParameter("due_to", str),
            OpenApiParameter("overdue", bool),
        ],
    ),
    retrieve=extend_schema(summary="Một hồ sơ theo mã"),
)
class DossierViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = DossierSerializer
    # the list pages by cursor (keyset_page), the events, files and store are whole lists:
    # no page numbers anywhere, and none in the schema
    pagination_class = None
    lookup_field = "code"
    lookup_value_regex = r"[A-Za-z0-9.]+-\d{6}-\d{4,}"

    def get_queryset(self):
        qs = visible_dossiers(self.request.user)
        return filter_dossiers(qs, self.request.query_params).order_by("-received_at", "code")

    def list(self, request):
        """Keyset pages, newest first; no count (it would scan a province)."""
        qs = filter_dossiers(visible_dossiers(request.user), request.query_params)
        shown = [0]

        def row(d: Dossier) -> dict:
            contact = may_contact(request.user, d)
            shown[0] += contact and has_contact_data(d)
            return dossier_json(d, contact)

        page = keyset_page(
            request,
            qs.select_related(None)
            .select_related("procedure", "procedure_version", "assigned_to")
            .only(*DOSSIER_COLUMNS, "applicant_birth_date", "created_at"),
            LIST_ORDER,
            (datetime.fromisoformat, uuid.UUID),
            row,
        )
        if shown[0]:
            record_access(
                request.user,
                PersonalDataAccess.What.LIST,
                address=client_address(request),
                detail=f"API danh sách hồ sơ, {shown[0]} hồ sơ",
            )
        return Response(page)

    def retrieve(self, request, code=None):
        dossier = access_dossier(request.user, code=code)
        contact = may_contact(request.user, dossier)
        if contact and has_contact_data(dossier):  # as the dossier's page: only what was seen
            record_access(
                request.user,
                PersonalDataAccess.What.CONTACT,
                dossier=dossier,
                address=client_address(request),
                detail="API hồ sơ",
            )
        return Response(dossier_json(dossier, contact))

    @extend_schema(
        summary="Tiếp nhận hồ sơ", request=IntakeSerializer, responses={201: DossierSerializer}
    )
    def create(self, request):
        if not is_official(request.user):
            raise AccessError("Chỉ cán bộ xã mới tiếp nhận hồ sơ qua API.", "role_required")
        form = IntakeSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        v = form.validated_data
        unit_code = v.get("unit") or request.user.unit_id
        try:
            desk = desk_of_unit(unit_code)
        except Desk.DoesNotExist:
            raise DossierError("Đơn vị này chưa có Bộ phận Một cửa.", "no_desk") from None
        intake = actions.IntakeData(
            procedure_code=v["procedure"],
            channel=v["channel"],
            applicant=actions.applicant_from(v),
            components=v["components"],
            copies=v["copies"],
            forms=v["forms"],
        )
        fee_case = {k: str(v["fee"].get(k, "")) for k in CASE_KEYS}
        parse_case(fee_case)  # a wrong fee box is refused before anything is received
        if v["draft"]:
            dossier = actions.create_draft(request.user, desk, intake)
        else:
            dossier = actions.receive_dossier(request.user, desk, intake)
            request_at_reception(request.user, dossier, fee_case)
        return Response(dossier_json(dossier), status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Thực hiện một bước xử lý", request=ActionSerializer, responses=DossierSerializer
    )
    @drf_action(detail=True, methods=["post"], url_path=r"actions/(?P<name>[a-z_]+)")
    def perform_action(self, request, code=None, name=None):
        dossier = access_dossier(request.user, code=code)
        form = ActionSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        dossier = actions.perform(
            dossier.pk, request.user, name, actions.ActionInput(**form.validated_data)
        )
        return Response(dossier_json(dossier))

    # routed by motcua.urls at …/result.pdf (no trailing slash), not by the router
    @extend_schema(
        summary="Văn bản kết quả (PDF, bản mới nhất: đã ban hành nếu có)",
        responses={(200, "application/pdf"): OpenApiTypes.BINARY},
    )
    def result_pdf(self, request, code=None):
        stored = latest_result(access_dossier(request.user, code=code))
        if stored is None:
            raise DossierError("Hồ sơ chưa có văn bản kết quả.", "file_not_found")
        return file_response(stored)

    @extend_schema(
        methods=["GET"],
        summary="Tệp của hồ sơ",
        responses=StoredFileSerializer(many=True),
    )
    @extend_schema(
        methods=["POST"],
        summary="Số hoá một thành phần: tải lên bản quét (multipart)",
        request={"multipart/form-data": FileUploadSerializer},
        responses={201: StoredFileSerializer},
    )
    @drf_action(detail=True, methods=["get", "post"])
    def files(self, request, code=None):
        dossier = access_dossier(request.user, code=code)
        if request.method == "POST":
            form = FileUploadSerializer(data=request.data)
            form.is_valid(raise_exception=True)
            stored = attach_component(
                dossier.pk,
                request.user,
                form.validated_data["component"],
                form.validated_data["file"],
                metadata=documents_api.metadata_of(form.validated_data),
            )
            return Response(StoredFileSerializer(stored).data, status=status.HTTP_201_CREATED)
        return Response(StoredFileSerializer(dossier.files.order_by("uploaded_at"), many=True).data)

    @extend_schema(
        summary="Tải một tệp của hồ sơ",
        responses={(200, mime): OpenApiTypes.BINARY for mime in STORED_TYPES},
    )
    @drf_action(detail=True, methods=["get"], url_path=r"files/(?P<file_id>[0-9a-f-]{36})")
    def file(self, request, code=None, file_id=None):
        dossier = access_dossier(request.user, code=code)
        return file_response(get_object_or_404(dossier.files, pk=file_uuid(file_id)))

    @extend_schema(
        summary="Nhập thông tin số hoá của một tệp (loại, số, ngày dd/mm/yyyy, cơ quan ban hành)",
        request=documents_api.MetadataSerializer,
        responses=StoredFileSerializer,
    )
    @drf_action(
        detail=True, methods=["post"], url_path=r"files/(?P<file_id>[0-9a-f-]{36})/metadata"
    )
    def describe_file(self, request, code=None, file_id=None):
        dossier = access_dossier(request.user, code=code)
        return documents_api.describe(request, dossier, file_uuid(file_id))

    @extend_schema(
        methods=["GET"],
        summary="Kho dữ liệu của người nộp",
        responses=documents_api.StoredDocumentSerializer(many=True),
    )
    @extend_schema(
        methods=["POST"],
        summary="Dùng lại một giấy tờ của kho cho một thành phần",
        request=documents_api.ReuseSerializer,
        responses={201: StoredFileSerializer},
    )
    @drf_action(detail=True, methods=["get", "post"])
    def store(self, request, code=None):
        dossier = access_dossier(request.user, code=code)
        return documents_api.store(request, dossier)

    @extend_schema(
        summary="Ghi đánh giá mức độ hài lòng của người dân (hồ sơ đã trả kết quả)",
        description="Kênh `official`: cán bộ ghi thay người dân; `desk`: máy tính bảng tại quầy. "
        "Mỗi hồ sơ một đánh giá mỗi kênh; gửi lại trong "
        f"{CHANGE_DAYS} ngày là sửa (200), sau đó 409 `rating_closed`.",
        request=RatingInputSerializer,
        responses={201: RatingSerializer, 200: RatingSerializer},
    )
    @drf_action(detail=True, methods=["post"])
    def ratings(self, request, code=None):
        dossier = access_dossier(request.user, code=code)
        form = RatingInputSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        v = form.validated_data
        rating = rate_dossier(
            dossier.pk,
            v["channel"],
            v["level"],
            v["criteria"],
            official=request.user,
            address=client_address(request),
        )
        return Response(
            RatingSerializer(rating).data,
            status=status.HTTP_201_CREATED if rating.is_new else status.HTTP_200_OK,
        )

    @extend_schema(summary="Nhật ký xử lý của hồ sơ", responses=EventSerializer(many=True))
    @drf_action(detail=True, methods=["get"])
    def events(self, request, code=None):
        dossier = access_dossier(request.user, code=code)
        return Response(EventSerializer(dossier.events.order_by("seq"), many=True).data)


# --- the worklist ------------------------------------------------------------------------


class NextActionSerializer(serializers.Serializer):
    action = serializers.CharField()
    label = serializers.CharField()
    roles = serializers.ListField(child=serializers.CharField())
    yours = serializers.BooleanField(help_text="bạn có được làm bước này không")


class WorkItemSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    code = serializers.CharField(allow_null=True)
    procedure_name = serializers.CharField()
    applicant_name = serializers.CharField()
    state = serializers.CharField()
    state_label = serializers.CharField()
    channel = serializers.CharField()
    due_at = serializers.DateTimeField(allow_null=True)
    submitted_at = serializers.DateTimeField(allow_null=True)
    overdue = serializers.BooleanField()
    due_today = serializers.BooleanField()
    next_action = NextActionSerializer(allow_null=True)


class WorklistSerializer(serializers.Serializer):
    tab = serializers.CharField()
    counts = serializers.DictField(child=serializers.IntegerField())
    next = serializers.URLField(allow_null=True)
    results = WorkItemSerializer(many=True)


def work_item(d, roles: frozenset[str]) -> dict:
    step = next_step(d.state)
    return {
        "id": str(d.id),
        "code": d.code,
        "procedure_name": d.procedure_version.name,
        "applicant_name": d.applicant_name,
        "state": d.state,
        "state_label": STATE_LABELS[State(d.state)],
        "channel": d.channel,
        "due_at": iso(d.due_at),
        "submitted_at": iso(d.submitted_at),
        "overdue": d.urgency == 0,
        "due_today": d.urgency == 1,
        "next_action": {
            "action": step[0].value,
            "label": TRANSITIONS[step[0]].label,
            "roles": sorted(step[1]),
            "yours": bool(roles & step[1]),
        }
        if step
        else None,
    }


WORK_ORDER = (("urgency", False), ("sort_at", False), ("id", False))


@extend_schema(
    summary="Việc của tôi: hồ sơ mà bước tiếp theo là của bạn (và các nhóm khác)",
    parameters=[
        OpenApiParameter("tab", str, enum=list(TABS), description="mặc định mine"),
        OpenApiParameter("q", str, description="mã hồ sơ, họ tên không dấu, 4 số cuối CCCD/ĐT"),
        OpenApiParameter("field", int, description="mã lĩnh vực"),
        OpenApiParameter("procedure", str, description="mã thủ tục"),
        OpenApiParameter("state", str),
        OpenApiParameter("channel", str),
        OpenApiParameter("cursor", str),
        OpenApiParameter("page_size", int),
    ],
    responses=WorklistSerializer,
)
@api_view(["GET"])
def worklist_api(request):
    """The worklist of the caller (an official of a commune), most urgent first."""
    if not is_official(request.user):
        raise AccessError("Chỉ cán bộ xã có danh sách việc cần làm.", "role_required")
    params = request.query_params
    tab = params.get("tab", "mine")
    if tab not in TABS:
        raise DossierError("tab phải là một trong: " + ", ".join(TABS) + ".")
    state, channel = params.get("state", ""), params.get("channel", "")
    field = params.get("field")
    if state and state not in State._value2member_map_:
        raise DossierError("state không hợp lệ.")
    if channel and channel not in Channel.values:
        raise DossierError("channel không hợp lệ.")
    if field is not None and not (field.isascii() and field.isdigit() and len(field) < 10):
        raise DossierError("field phải là mã số của lĩnh vực.")
    filters = WorkFilters(
        text=params.get("q", "")[:100],
        field=int(field) if field is not None else None,
        procedure=params.get("procedure", "")[:20],
        state=state,
        channel=channel,
    )
    roles = request.user.role_codes()
    page = keyset_page(
        request,
        worklist(request.user, tab, filters, now=timezone.now()),
        WORK_ORDER,
        (int, datetime.fromisoformat, uuid.UUID),
        lambda d: work_item(d, roles),
    )
    return Response({"tab": tab, "counts": tab_counts(request.user, filters), **page})
