"""Feedback API v1: ``GET/POST /api/v1/feedback/``, ``GET /api/v1/feedback/{code}/``. Each
item carries its deadlines and where its clock stands. Thin: the rules are in
``motcua.core.feedback`` and the steps in ``motcua.workflow.feedback``."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import api_view
from rest_framework.response import Response

from motcua.accounts.throttle import client_address
from motcua.core.errors import AccessError, DomainError
from motcua.core.feedback import About, Source, Status
from motcua.dossiers.queries import choice_param, flag_param
from motcua.feedback import queries
from motcua.feedback.models import Feedback
from motcua.pagination import PageNumbers
from motcua.units.access import is_admin, is_official, visible_units
from motcua.units.models import Unit
from motcua.workflow import feedback as steps


class CountdownSerializer(serializers.Serializer):
    step = serializers.CharField(help_text="handle, publish, supplement (chờ người gửi) hoặc rỗng")
    due = serializers.DateField(allow_null=True)
    working_days_left = serializers.IntegerField(allow_null=True, help_text="âm: quá hạn")
    text = serializers.CharField()
    late = serializers.BooleanField()


class DeadlinesSerializer(serializers.Serializer):
    refuse_by = serializers.DateField()
    ask_by = serializers.DateField()
    handle_by = serializers.DateField()
    publish_by = serializers.DateField(allow_null=True)


class SenderSerializer(serializers.Serializer):
    name = serializers.CharField()
    phone = serializers.CharField()
    email = serializers.CharField()
    address = serializers.CharField()


class FeedbackSerializer(serializers.Serializer):
    code = serializers.CharField()
    unit = serializers.CharField()
    source = serializers.ChoiceField(choices=[s.value for s in Source])
    about = serializers.ChoiceField(choices=[a.value for a in About])
    status = serializers.ChoiceField(choices=[s.value for s in Status])
    status_label = serializers.CharField()
    title = serializers.CharField()
    procedure = serializers.CharField(allow_null=True)
    dossier = serializers.CharField(allow_null=True)
    received_at = serializers.DateTimeField()
    answered_at = serializers.DateTimeField(allow_null=True)
    published_at = serializers.DateTimeField(allow_null=True)
    satisfied = serializers.BooleanField(allow_null=True)
    reopened = serializers.IntegerField()
    deadlines = DeadlinesSerializer()
    countdown = CountdownSerializer()


class FeedbackDetailSerializer(FeedbackSerializer):
    content = serializers.CharField()
    answer = serializers.CharField()
    sender = SenderSerializer(help_text="đầy đủ cho cán bộ của xã; che bớt cho người khác")


class FeedbackPageSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.CharField(allow_null=True)
    previous = serializers.CharField(allow_null=True)
    results = FeedbackSerializer(many=True)


class FeedbackInputSerializer(serializers.Serializer):
    content = serializers.CharField(max_length=5000, help_text="nội dung phản ánh (bắt buộc)")
    title = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)
    sender_name = serializers.CharField(max_length=200)
    sender_phone = serializers.CharField(
        max_length=20, required=False, default="", allow_blank=True
    )
    sender_email = serializers.CharField(
        max_length=254, required=False, default="", allow_blank=True
    )
    sender_address = serializers.CharField(
        max_length=300, required=False, default="", allow_blank=True
    )
    about = serializers.ChoiceField(choices=[a.value for a in About], default=About.OTHER.value)
    procedure = serializers.CharField(max_length=20, required=False, default="", allow_blank=True)
    dossier = serializers.CharField(max_length=40, required=False, default="", allow_blank=True)
    source = serializers.ChoiceField(
        choices=[Source.DESK.value, Source.EMAIL.value, Source.PORTAL.value],
        default=Source.DESK.value,
        help_text="desk: nhận tại quầy; email, portal: chuyển từ thư điện tử, Cổng DVCQG",
    )


def item_json(fb: Feedback, today) -> dict:
    c = queries.countdown(fb, today)
    return {
        "code": fb.code,
        "unit": fb.unit_id,
        "source": fb.source,
        "about": fb.about,
        "status": fb.status,
        "status_label": fb.status_label,
        "title": fb.title,
        "procedure": fb.procedure.code if fb.procedure_id else None,
        "dossier": fb.dossier.code if fb.dossier_id else None,
        "received_at": serializers.DateTimeField().to_representation(fb.received_at),
        "answered_at": _moment(fb.answered_at),
        "published_at": _moment(fb.published_at),
        "satisfied": fb.satisfied,
        "reopened": fb.reopened,
        "deadlines": {
            "refuse_by": fb.refuse_by.isoformat(),
            "ask_by": fb.ask_by.isoformat(),
            "handle_by": fb.handle_by.isoformat(),
            "publish_by": fb.publish_by.isoformat() if fb.publish_by else None,
        },
        "countdown": {
            "step": c.clock.step,
            "due": c.clock.due.isoformat() if c.clock.due else None,
            "working_days_left": c.left,
            "text": c.text,
            "late": c.late,
        },
    }


def _moment(value):
    return serializers.DateTimeField().to_representation(value) if value else None


def visible_feedback(user):
    return queries.feedback_of_units(visible_units(user).values_list("code", flat=True))


def check_staff_api(user) -> None:
    if not (is_official(user) or is_admin(user) or visible_units(user).exists()):
        raise AccessError("Chỉ cán bộ mới xem được phản ánh qua API.", "role_required")


@extend_schema(
    methods=["GET"],
    summary="Danh sách phản ánh, kiến nghị (kèm thời hạn và số ngày làm việc còn lại)",
    parameters=[
        OpenApiParameter("status", str, description="một hoặc nhiều, cách nhau bằng dấu phẩy"),
        OpenApiParameter("overdue", bool, description="chỉ những phản ánh quá hạn"),
        OpenApiParameter("page", int),
    ],
    responses=FeedbackPageSerializer,
)
@extend_schema(
    methods=["POST"],
    summary="Nhận một phản ánh, kiến nghị (cán bộ của xã)",
    request=FeedbackInputSerializer,
    responses={201: FeedbackDetailSerializer},
)
@api_view(["GET", "POST"])
def feedback_api(request):
    user = request.user
    if request.method == "POST":
        if not is_official(user):
            raise AccessError("Chỉ cán bộ của xã mới nhận phản ánh qua API.", "role_required")
        form = FeedbackInputSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        v = form.validated_data
        fb = steps.receive_feedback(
            Unit.objects.get(code=user.unit_id),
            steps.FeedbackData(
                title=v["title"],
                content=v["content"],
                sender_name=v["sender_name"],
                sender_phone=v["sender_phone"],
                sender_email=v["sender_email"],
                sender_address=v["sender_address"],
                about=v["about"],
                procedure_code=v["procedure"],
                dossier_code=v["dossier"],
            ),
            v["source"],
            official=user,
        )
        return Response(detail_json(request, fb), status=status.HTTP_201_CREATED)
    check_staff_api(user)
    params = request.query_params
    qs = visible_feedback(user).select_related("procedure", "dossier")
    today = timezone.localdate()
    if params.get("status") is not None:
        qs = qs.filter(status__in=choice_param(params, "status", Status))
    if flag_param(params, "overdue"):
        qs = queries.overdue(qs, today)
    paginator = PageNumbers()
    page = paginator.paginate_queryset(qs.order_by("-received_at", "code"), request)
    return paginator.get_paginated_response([item_json(fb, today) for fb in page])


def detail_json(request, fb: Feedback) -> dict:
    phone, email, address = steps.sender_contact(
        request.user, fb, client_address(request), "API phản ánh"
    )
    return {
        **item_json(fb, timezone.localdate()),
        "content": fb.content,
        "answer": fb.answer,
        "sender": {"name": fb.sender_name, "phone": phone, "email": email, "address": address},
    }


@extend_schema(summary="Một phản ánh, kiến nghị theo mã", responses=FeedbackDetailSerializer)
@api_view(["GET"])
def feedback_item_api(request, code: str):
    check_staff_api(request.user)
    fb = visible_feedback(request.user).select_related("procedure", "dossier").filter(code=code)
    fb = fb.first()
    if fb is None:
        raise DomainError("Không tìm thấy phản ánh.", "not_found")
    return Response(detail_json(request, fb))
