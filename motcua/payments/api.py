"""Fee API (thin: the rules are in :mod:`motcua.payments.actions`; errors go to the one handler
in ``motcua.api``): a dossier's payment request and where its fee stands, cash at the desk,
and the bank's balance-change notices (docs/api.md, docs/fees.md)."""

from __future__ import annotations

import hashlib

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.decorators import (
    api_view,
    authentication_classes,
    parser_classes,
    permission_classes,
)
from rest_framework.parsers import BaseParser, FormParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response

from motcua.core.bankhook import authorised, parse_notice
from motcua.core.fees import parse_case
from motcua.dossiers.queries import access_dossier
from motcua.parsers import JSONParser
from motcua.payments import actions
from motcua.payments.models import PaymentSettings
from motcua.payments.queries import fee_state, payment_json

PAYMENT = inline_serializer(
    "Payment",
    {
        "amount": serializers.IntegerField(help_text="đồng"),
        "status": serializers.ChoiceField(["none", "open", "paid", "cancelled"]),
        "lines": serializers.ListField(child=serializers.DictField()),
        "basis": serializers.CharField(),
        "message": serializers.CharField(help_text="nội dung chuyển khoản"),
        "vietqr": serializers.CharField(help_text="chuỗi VietQR (EMVCo), rỗng khi không có"),
        "requested_at": serializers.DateTimeField(allow_null=True),
        "paid_at": serializers.DateTimeField(allow_null=True),
        "paid_via": serializers.CharField(),
        "receipt": serializers.DictField(allow_null=True),
        "flagged": serializers.ListField(child=serializers.DictField()),
    },
)


class CaseSerializer(serializers.Serializer):
    """The case's boxes as text (a number is taken as its digits); checked by ``parse_case``."""

    pages = serializers.CharField(
        required=False, allow_blank=True, max_length=20, help_text="số trang (mặc định 1)"
    )
    copies = serializers.CharField(
        required=False, allow_blank=True, max_length=20, help_text="số bản (mặc định 1)"
    )
    units = serializers.CharField(
        required=False, allow_blank=True, max_length=20, help_text="số lượng đơn vị tính"
    )
    channel = serializers.CharField(
        required=False, allow_blank=True, max_length=20, help_text="truc_tiep hoặc truc_tuyen"
    )
    exemption = serializers.CharField(
        required=False, allow_blank=True, max_length=40, help_text="mã đối tượng miễn, giảm"
    )


def receipt_url(receipt) -> str:
    return reverse("payments:receipt_pdf", args=[receipt.pk])


def answer(request, dossier, code=status.HTTP_200_OK) -> Response:
    data = payment_json(dossier, fee_state(dossier), receipt_url)
    for item in (data["receipt"],):
        if item and item["url"]:
            item["url"] = request.build_absolute_uri(item["url"])
    return Response(data, status=code)


# a few fields, no file: JSON or a plain form (a multipart body has nothing these could use)
FIELDS_ONLY = [JSONParser, FormParser]


def json_object(request):
    """The body's fields (a JSON object or a form); any other JSON (a list, a number) is a 400."""
    if not hasattr(request.data, "get"):
        raise actions.PaymentError("Dữ liệu gửi lên phải là một đối tượng JSON.")
    return request.data


@extend_schema(summary="Phí, lệ phí của hồ sơ: yêu cầu, mã VietQR, biên lai", responses=PAYMENT)
@api_view(["GET"])
@permission_classes([IsAuthenticated])
def payment(request, code: str):
    return answer(request, access_dossier(request.user, code=code))


@extend_schema(
    summary="Yêu cầu nộp phí, lệ phí (số tiền tính theo quy định của thủ tục)",
    request=CaseSerializer,
    responses={201: PAYMENT},
)
@api_view(["POST"])
@permission_classes([IsAuthenticated])
@parser_classes(FIELDS_ONLY)
def payment_request(request, code: str):
    dossier = access_dossier(request.user, code=code)
    form = CaseSerializer(data=json_object(request))
    form.is_valid(raise_exception=True)  # a list or an object in a box: 400
    actions.request_payment(request.user, dossier.pk, parse_case(form.validated_data))
    return answer(request, access_dossier(request.user, code=code), status.HTTP_201_CREATED)


@extend_schema(
    summary="Thu tiền mặt tại Bộ phận Một cửa (lập biên lai điện tử)",
    request=inline_serializer(
        "Cash", {"tendered": serializers.IntegerField(required=False, help_text="tiền khách đưa")}
    ),
    responses=PAYMENT,
)
@api_view(["POST"])
@permission_classes([IsAuthenticated])
@parser_classes(FIELDS_ONLY)
def cash(request, code: str):
    dossier = access_dossier(request.user, code=code)
    tendered = json_object(request).get("tendered")
    if tendered in ("", None):
        tendered = None
    elif isinstance(tendered, bool) or not str(tendered).isdigit():
        raise actions.PaymentError("Số tiền khách đưa phải là số nguyên (đồng).")
    actions.record_cash(request.user, dossier.pk, None if tendered is None else int(tendered))
    return answer(request, access_dossier(request.user, code=code))


class RawJSON(BaseParser):
    """The notice's bytes as they came: parsed (and refused in Vietnamese) by the core."""

    media_type = "application/json"

    def parse(self, stream, media_type=None, parser_context=None):
        return stream.read(64 * 1024 + 1)


@extend_schema(
    summary="Thông báo biến động số dư của ngân hàng (định dạng SePay)",
    description="Xác thực bằng tiêu đề `Authorization: Apikey <khoá của đơn vị>`.",
    request=OpenApiTypes.OBJECT,
    responses={200: OpenApiTypes.OBJECT},
)
@api_view(["POST"])
@authentication_classes([])
@permission_classes([AllowAny])
@parser_classes([RawJSON])
def bank_notice(request):
    credit = parse_notice(request.data if isinstance(request.data, bytes) else b"")
    if credit is None:  # money going out: nothing to do
        return Response({"success": True})
    config = PaymentSettings.objects.filter(account_number=credit.account_number).first()
    if config is None or not _key_matches(request.headers.get("Authorization", ""), config):
        return Response(
            {"detail": "Khoá xác thực không đúng.", "code": "forbidden"},
            status=status.HTTP_403_FORBIDDEN,
        )
    outcome = actions.credit_from_bank(config.unit_id, credit)
    return Response({"success": True, "result": outcome})


def _key_matches(header: str, config: PaymentSettings) -> bool:
    """The header's key (``Apikey <key>``) is the unit's (its digest compared in constant
    time; a unit without a key accepts none)."""
    parts = header.split(None, 1)
    if len(parts) != 2 or parts[0].lower() != "apikey":
        return False
    given = hashlib.sha256(parts[1].strip().encode()).hexdigest()
    return authorised(f"Apikey {given}", config.webhook_key_digest)
