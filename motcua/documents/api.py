"""API v1 for files and the applicant's document store (thin: rules live in actions).

The endpoints hang on the dossier (``/api/v1/dossiers/{code}/…``), wired as actions of
``motcua.workflow.api.DossierViewSet``, which finds the dossier among those the user may see.
Errors are domain errors, answered by the API's one exception handler.
"""

from __future__ import annotations

from rest_framework import serializers, status
from rest_framework.response import Response

from motcua.core.identity import mask_citizen_id
from motcua.documents import digitisation
from motcua.documents.queries import owner_store
from motcua.dossiers.models import Dossier


class StoredFileSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    role = serializers.CharField()
    component = serializers.CharField()
    stage = serializers.CharField()
    document_type = serializers.CharField()
    document_number = serializers.CharField()
    document_date = serializers.DateField(allow_null=True)
    issuer = serializers.CharField()
    digitised = serializers.SerializerMethodField()
    reused = serializers.BooleanField()
    ocr_state = serializers.CharField()
    mime_type = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()
    uploaded_at = serializers.DateTimeField()

    def get_digitised(self, obj) -> bool:
        return digitisation.file_complete(obj)


class MetadataSerializer(serializers.Serializer):
    """Thông tin số hoá, as typed (the date as dd/mm/yyyy); checked by the action."""

    document_type = serializers.CharField(max_length=400, allow_blank=True, default="")
    document_number = serializers.CharField(max_length=120, allow_blank=True, default="")
    document_date = serializers.CharField(max_length=20, allow_blank=True, default="")
    issuer = serializers.CharField(max_length=600, allow_blank=True, default="")


def metadata_of(values: dict) -> dict:
    return {name: values.get(name, "") for name in MetadataSerializer().fields}


class StoredDocumentSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    kind = serializers.CharField()
    owner_kind = serializers.CharField()
    owner_id = serializers.SerializerMethodField()
    document_type = serializers.CharField()
    document_number = serializers.CharField()
    document_date = serializers.DateField()
    issuer = serializers.CharField()
    sha256 = serializers.CharField()
    unit = serializers.CharField(source="unit_id")
    source_dossier = serializers.CharField(source="dossier.code")
    created_at = serializers.DateTimeField()

    def get_owner_id(self, obj) -> str:
        return mask_citizen_id(obj.owner_id) if obj.owner_kind == "person" else obj.owner_id


class ReuseSerializer(serializers.Serializer):
    document = serializers.UUIDField(help_text="id của giấy tờ trong kho")
    component = serializers.CharField(max_length=600, help_text="thành phần hồ sơ dùng giấy tờ")


def store(request, dossier: Dossier) -> Response:
    """GET: the applicant's stored documents; POST {document, component}: reuse one."""
    digitisation.check_can_use_store(dossier, request.user)
    if request.method == "POST":
        form = ReuseSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        stored = digitisation.reuse_document(
            dossier.pk,
            request.user,
            form.validated_data["document"],
            form.validated_data["component"],
        )
        return Response(StoredFileSerializer(stored).data, status=status.HTTP_201_CREATED)
    return Response(StoredDocumentSerializer(owner_store(dossier), many=True).data)


def describe(request, dossier: Dossier, file_id) -> Response:
    """POST the four metadata fields of one file of the dossier."""
    form = MetadataSerializer(data=request.data)
    form.is_valid(raise_exception=True)
    stored = digitisation.describe_file(
        dossier.pk, file_id, request.user, metadata_of(form.validated_data)
    )
    return Response(StoredFileSerializer(stored).data)
