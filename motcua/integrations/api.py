"""API for the national portal's clients: dossiers submitted on the portal posted to us
(``POST /api/v1/portal/dossiers/``, docs/api.md). Thin: the serializer maps the portal's field
names, the rules are in :mod:`motcua.integrations.inbound`, errors go to the one handler in
``motcua.api``.

Only a portal client's token (``Authorization: Bearer …``, issued by ``motcua dvcqg
add-client``) is accepted here, and that token is accepted nowhere else: the other endpoints
know the officials' session and ``Token`` schemes only.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.parsers import BaseParser
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from motcua.core.lifecycle import STATE_LABELS, State
from motcua.dossiers.models import Dossier
from motcua.dossiers.queries import tracking_url
from motcua.dvcqg.models import PortalClient
from motcua.integrations import inbound
from motcua.parsers import load_json
from motcua.workflow.actions import ApplicantData

KEYWORD = b"bearer"


class PortalClientAuthentication(BaseAuthentication):
    """``Authorization: Bearer <token>`` of a portal client: the request's ``auth`` is the
    :class:`~motcua.dvcqg.models.PortalClient`, its user anonymous (no official acts)."""

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != KEYWORD:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed()
        try:
            token = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed() from None
        client = inbound.client_for_token(token)
        if client is None:
            raise exceptions.AuthenticationFailed()
        return AnonymousUser(), client

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="motcua-cong-dvcqg"'


class PortalClientScheme(OpenApiAuthenticationExtension):
    target_class = PortalClientAuthentication
    name = "portalClient"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer"}


class IsPortalClient(BasePermission):
    def has_permission(self, request, view) -> bool:
        return isinstance(request.auth, PortalClient)


class PortalJSONParser(BaseParser):
    """JSON read from the request's stream, up to the whole-request limit
    (``MOTCUA_MAX_REQUEST_MB``, which the middleware checks before anything is read), rather
    than within Django's limit for bodies held in memory (10 MB): a dossier's files travel in
    it in base64, each up to the upload limit."""

    media_type = "application/json"

    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.MOTCUA_MAX_REQUEST_MB * 1024 * 1024
        raw = stream.read(limit + 1)
        if len(raw) > limit:
            raise exceptions.ParseError()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise exceptions.ParseError() from None
        return load_json(text)  # the API's depth limit


class PortalFileSerializer(serializers.Serializer):
    """One TaiLieuNop entry: its bytes in ``NoiDung`` (base64) or its address on the portal in
    ``DuongDanTaiTepTin`` (``DuongDan`` is read too)."""

    TenTepDinhKem = serializers.CharField(max_length=255)
    MaThanhPhanHoSo = serializers.CharField(max_length=100, required=False, allow_blank=True)
    TenThanhPhanHoSo = serializers.CharField(max_length=600, required=False, allow_blank=True)
    NoiDung = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    DuongDanTaiTepTin = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    DuongDan = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    KieuTep = serializers.CharField(max_length=100, required=False, allow_blank=True)


class PortalDossierSerializer(serializers.Serializer):
    """A dossier in DongBoHoSoMC's shape (other fields of that shape are accepted and not
    read), with ``madonvi``: the desk's agency code on the portal."""

    madonvi = serializers.CharField(max_length=60)
    MaHoSo = serializers.CharField(max_length=60)
    MaTTHC = serializers.CharField(max_length=40)
    ChuHoSo = serializers.CharField(max_length=200)
    LoaiDoiTuong = serializers.ChoiceField(choices=[("1", "công dân"), ("2", "tổ chức")])
    MaDoiTuong = serializers.CharField(max_length=20, required=False, allow_blank=True)
    Email = serializers.EmailField(max_length=254, required=False, allow_blank=True)
    SoDienThoai = serializers.CharField(max_length=20, required=False, allow_blank=True)
    NgayTiepNhan = serializers.CharField(max_length=20, required=False, allow_blank=True)
    KenhThucHien = serializers.CharField(max_length=2, required=False, allow_blank=True)
    TaiLieuNop = PortalFileSerializer(many=True, required=False)


KINDS = {"1": Dossier.ApplicantKind.PERSON, "2": Dossier.ApplicantKind.ORGANISATION}


def submission_from(v: dict) -> inbound.PortalSubmission:
    return inbound.PortalSubmission(
        agency_code=v["madonvi"],
        portal_code=v["MaHoSo"],
        procedure_code=v["MaTTHC"],
        applicant=ApplicantData(
            kind=KINDS[v["LoaiDoiTuong"]],
            name=v["ChuHoSo"],
            id_number=v.get("MaDoiTuong", ""),
            phone=v.get("SoDienThoai", ""),
            email=v.get("Email", ""),
        ),
        submitted_at=v.get("NgayTiepNhan", ""),
        channel=v.get("KenhThucHien", ""),
        files=[
            inbound.PortalFile(
                name=f["TenTepDinhKem"],
                component_code=f.get("MaThanhPhanHoSo", ""),
                component_name=f.get("TenThanhPhanHoSo", ""),
                content=f.get("NoiDung", ""),
                address=f.get("DuongDanTaiTepTin") or f.get("DuongDan", ""),
                declared_type=f.get("KieuTep", ""),
            )
            for f in v.get("TaiLieuNop", [])
        ],
    )


class SubmittedSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    code = serializers.CharField(allow_null=True, help_text="mã hồ sơ của xã: có khi tiếp nhận")
    portal_code = serializers.CharField(help_text="MaHoSo trên Cổng DVCQG")
    state = serializers.CharField()
    state_label = serializers.CharField()
    tracking_url = serializers.URLField()


def submitted_json(result: inbound.Submitted) -> dict:
    dossier = result.dossier
    return {
        "id": str(dossier.id),
        "code": dossier.code,
        "portal_code": result.portal_code,
        "state": dossier.state,
        "state_label": STATE_LABELS[State(dossier.state)],
        "tracking_url": tracking_url(dossier),
    }


class PortalDossierView(APIView):
    authentication_classes = [PortalClientAuthentication]
    permission_classes = [IsPortalClient]
    parser_classes = [PortalJSONParser]

    @extend_schema(
        summary="Hồ sơ nộp trên Cổng DVCQG gửi về xã (chờ tiếp nhận)",
        request=PortalDossierSerializer,
        responses={201: SubmittedSerializer, 200: SubmittedSerializer},
    )
    def post(self, request):
        form = PortalDossierSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        result = inbound.submit_from_portal(request.auth, submission_from(form.validated_data))
        return Response(
            submitted_json(result),
            status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK,
        )


class PortalPaymentSerializer(serializers.Serializer):
    """A payment the national payment platform reports (docs/fees.md, docs/portal.md)."""

    madonvi = serializers.CharField(max_length=60)
    MaHoSo = serializers.CharField(max_length=60)
    SoTien = serializers.IntegerField(min_value=1, max_value=10**12)
    MaGiaoDich = serializers.CharField(max_length=80)
    ThoiGianGD = serializers.CharField(max_length=20, required=False, allow_blank=True)
    ThongTinGiaoDich = serializers.CharField(max_length=500, required=False, allow_blank=True)


class PortalPaymentView(APIView):
    authentication_classes = [PortalClientAuthentication]
    permission_classes = [IsPortalClient]
    parser_classes = [PortalJSONParser]

    @extend_schema(
        summary="Khoản nộp phí, lệ phí qua Nền tảng thanh toán của Cổng DVCQG",
        request=PortalPaymentSerializer,
        responses={200: OpenApiTypes.OBJECT},
    )
    def post(self, request):
        form = PortalPaymentSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        v = form.validated_data
        result = inbound.record_portal_payment(
            request.auth,
            inbound.PortalPayment(
                agency_code=v["madonvi"],
                portal_code=v["MaHoSo"],
                amount=v["SoTien"],
                transaction=v["MaGiaoDich"],
                paid_at=v.get("ThoiGianGD", ""),
                content=v.get("ThongTinGiaoDich", ""),
            ),
        )
        return Response({"result": result})
