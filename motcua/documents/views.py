"""Pages for a dossier's files (download, digitisation, the applicant's store), certificates,
and the public verification page (Xác thực văn bản). The result steps are the workflow's."""

from __future__ import annotations

import hashlib

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from motcua.accounts.models import Role
from motcua.core.errors import AccessError, DomainError
from motcua.documents import digitisation, signing
from motcua.documents.certificates import register_certificate, trust_roots
from motcua.documents.files import FileRefused, check_upload, file_response
from motcua.documents.forms import CertificateForm, VerifyForm
from motcua.documents.models import SigningCertificate, StoredFile
from motcua.dossiers.models import Dossier
from motcua.dossiers.queries import access_dossier
from motcua.units.access import attempt, staff_required


@xframe_options_sameorigin  # the leader reads the draft in a frame of the dossier page
@staff_required
def download(request, pk, file_id):
    """A dossier's file, only for those who may see the dossier; shown in a frame of our own
    pages (the draft the leader signs), never in another site's (X_FRAME_OPTIONS = DENY)."""
    dossier = access_dossier(request.user, pk)
    stored = get_object_or_404(StoredFile, pk=file_id, dossier=dossier)
    return file_response(stored)


@staff_required
def certificates(request):
    """Chứng thư số: a leader's own, and (head of desk, administrator) the unit's seal."""
    user = request.user
    may_seal = user.has_role(Role.HEAD, Role.ADMIN)
    if not user.has_role(Role.LEADER, Role.HEAD, Role.ADMIN, Role.CLERK):
        raise AccessError(
            "Chỉ lãnh đạo, trưởng bộ phận, văn thư và quản trị dùng chứng thư số.",
            "role_required",
        )
    form = CertificateForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        for_unit = form.cleaned_data["for_unit"]
        if for_unit and not may_seal:
            raise AccessError(
                "Chỉ trưởng bộ phận hoặc quản trị tải con dấu số của cơ quan.", "role_required"
            )
        if not for_unit and not user.has_role(Role.LEADER):
            messages.error(request, "Chỉ lãnh đạo ký duyệt mới cần chứng thư số cá nhân.")
            return redirect("documents:certificates")
        upload = form.cleaned_data["file"]
        if upload.size > 100_000:
            messages.error(request, "Tệp chứng thư số quá lớn (tối đa 100 KB).")
            return redirect("documents:certificates")
        saved = []
        attempt(
            request,
            lambda: saved.append(
                register_certificate(
                    unit=user.unit,
                    user=None if for_unit else user,
                    data=upload.read(),
                    passphrase=form.cleaned_data["passphrase"],
                    by=user,
                )
            ),
        )
        if saved:
            messages.success(request, f"Đã lưu chứng thư số của {saved[0].subject}.")
        return redirect("documents:certificates")
    mine = SigningCertificate.objects.filter(unit=user.unit, user=user, active=True).first()
    seal = SigningCertificate.objects.filter(unit=user.unit, user=None, active=True).first()
    return render(
        request,
        "documents/certificates.html",
        {"form": form, "mine": mine, "seal": seal, "may_seal": may_seal},
    )


def verify(request):
    """Xác thực văn bản (public): the signatures of a PDF, and whether it is the one issued."""
    form = VerifyForm(request.POST or None, request.FILES or None)
    reports, issued, error, checked = [], None, "", False
    if request.method == "POST" and form.is_valid():
        pdf = None
        upload = form.cleaned_data["file"]
        code, token = form.cleaned_data["code"].strip(), form.cleaned_data["token"].strip()
        try:
            if upload is not None:
                data, mime = check_upload(upload)
                if mime != "application/pdf":
                    raise FileRefused("Chỉ kiểm tra được tệp PDF.")
                pdf = data
            elif code and token:
                dossier = Dossier.objects.filter(code=code, tracking_token=token).first()
                sealed = (
                    StoredFile.objects.filter(dossier=dossier, stage__in=StoredFile.ISSUED)
                    .order_by("-uploaded_at")
                    .first()
                    if dossier
                    else None
                )
                if sealed is None:
                    raise FileRefused("Không tìm thấy văn bản kết quả đã ban hành cho hồ sơ này.")
                pdf = sealed.content.read()
            else:
                raise FileRefused("Hãy chọn tệp PDF, hoặc nhập mã hồ sơ và mã QR.")
            reports = signing.verify_pdf(pdf, trust_roots())
            digest = hashlib.sha256(pdf).hexdigest()
            issued = (
                StoredFile.objects.filter(sha256=digest, stage__in=StoredFile.ISSUED)
                .select_related("dossier", "unit")
                .first()
            )
            checked = True
        except DomainError as exc:
            error = exc.message
    return render(
        request,
        "documents/verify.html",
        {"form": form, "reports": reports, "issued": issued, "error": error, "checked": checked},
    )


# --- digitisation and the applicant's store ---------------------------------------------------

METADATA_FIELDS = ("document_type", "document_number", "document_date", "issuer")


def posted_metadata(request) -> dict:
    return {name: request.POST.get(name, "")[:600] for name in METADATA_FIELDS}


def run_step(request, pk, step, done: str):
    """Run a digitisation action, report its outcome as a message, go back to the dossier."""
    attempt(request, step, done)
    return redirect(f"{reverse('dossiers:detail', args=[pk])}#so-hoa")


@staff_required
@require_POST
def attach_component(request, pk):
    """Số hoá một thành phần: the scan, and its metadata if typed."""
    dossier = access_dossier(request.user, pk)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, "Hãy chọn tệp quét (PDF hoặc ảnh chụp) của thành phần hồ sơ.")
        return redirect(f"{reverse('dossiers:detail', args=[pk])}#so-hoa")
    return run_step(
        request,
        pk,
        lambda: digitisation.attach_component(
            dossier.pk,
            request.user,
            request.POST.get("component", ""),
            upload,
            metadata=posted_metadata(request),
        ),
        "Đã lưu tệp số hoá của thành phần hồ sơ.",
    )


@staff_required
@require_POST
def describe_file(request, pk, file_id):
    """Nhập thông tin số hoá của một tệp."""
    dossier = access_dossier(request.user, pk)
    return run_step(
        request,
        pk,
        lambda: digitisation.describe_file(
            dossier.pk, file_id, request.user, posted_metadata(request)
        ),
        "Đã lưu thông tin số hoá của giấy tờ.",
    )


@staff_required
@require_POST
def reuse_document(request, pk, document_id):
    """Dùng lại một giấy tờ từ kho dữ liệu của người nộp."""
    dossier = access_dossier(request.user, pk)
    return run_step(
        request,
        pk,
        lambda: digitisation.reuse_document(
            dossier.pk, request.user, document_id, request.POST.get("component", "")
        ),
        "Đã dùng lại giấy tờ từ kho dữ liệu của người nộp; không cần quét lại.",
    )


@staff_required
def download_searchable(request, pk, file_id):
    """The OCRed copy of a scan (text can be selected and searched)."""
    dossier = access_dossier(request.user, pk)
    stored = get_object_or_404(StoredFile, pk=file_id, dossier=dossier)
    if not stored.searchable:
        raise Http404("Tệp chưa có bản nhận dạng chữ.")
    return FileResponse(
        stored.searchable.open("rb"),
        content_type="application/pdf",
        filename=f"{stored.id}-tim-kiem.pdf",
    )
