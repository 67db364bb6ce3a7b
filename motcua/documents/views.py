"""Pages for results and signatures: the dossier's result steps, files, certificates, and the
public verification page (Xác thực văn bản)."""

from __future__ import annotations

import hashlib

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from motcua.accounts.models import Role
from motcua.documents import actions as results
from motcua.documents import signing
from motcua.documents.files import FileRefused, check_upload
from motcua.documents.models import SigningCertificate, StoredFile
from motcua.dossiers.actions import DossierError
from motcua.dossiers.models import Dossier
from motcua.dossiers.views import get_visible
from motcua.units.views import staff_required


class PassphraseForm(forms.Form):
    passphrase = forms.CharField(
        label="Mật khẩu chứng thư số", widget=forms.PasswordInput, max_length=200
    )
    note = forms.CharField(label="Ý kiến", required=False, max_length=2000)


class SealForm(forms.Form):
    number = forms.CharField(label="Số văn bản", max_length=60)
    passphrase = forms.CharField(
        label="Mật khẩu con dấu số của cơ quan", widget=forms.PasswordInput, max_length=200
    )


class CertificateForm(forms.Form):
    file = forms.FileField(label="Tệp chứng thư số (.p12, .pfx)")
    passphrase = forms.CharField(
        label="Mật khẩu của tệp (chỉ dùng để kiểm tra, không lưu)",
        widget=forms.PasswordInput,
        max_length=200,
    )
    for_unit = forms.BooleanField(label="Đây là con dấu số của cơ quan", required=False)


def report_errors(request, form: forms.Form) -> None:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


@staff_required
@require_POST
def draft_result(request, pk):
    """Lập dự thảo kết quả: from the template, or an uploaded PDF/photo."""
    dossier = get_visible(request, pk)
    upload = request.FILES.get("file") if request.POST.get("upload") else None
    if request.POST.get("upload") and upload is None:
        messages.error(request, "Hãy chọn tệp dự thảo (PDF hoặc ảnh chụp) trước khi tải lên.")
        return redirect("dossiers:detail", pk=pk)
    try:
        details = {name: value[:600] for name, value in request.POST.items()}
        results.attach_result(dossier.pk, request.user, upload=upload, details=details)
    except DossierError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Đã lập dự thảo kết quả.")
    return redirect("dossiers:detail", pk=pk)


def signing_step(request, pk, form_class, step, done: str):
    """Validate the form, run ``step(dossier_id, user, cleaned_data)``, report, go back."""
    dossier = get_visible(request, pk)
    form = form_class(request.POST)
    if not form.is_valid():
        report_errors(request, form)
        return redirect("dossiers:detail", pk=pk)
    try:
        step(dossier.pk, request.user, form.cleaned_data)
    except DossierError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done)
    return redirect("dossiers:detail", pk=pk)


@staff_required
@require_POST
def sign_result(request, pk):
    """Ký duyệt: the leader signs the draft with their certificate and approves."""
    return signing_step(
        request,
        pk,
        PassphraseForm,
        lambda dossier_id, user, v: results.sign_and_approve(
            dossier_id, user, v["passphrase"], v["note"]
        ),
        "Đã ký số và phê duyệt kết quả.",
    )


@staff_required
@require_POST
def seal_result(request, pk):
    """Cấp số, đóng dấu số và ban hành."""
    return signing_step(
        request,
        pk,
        SealForm,
        lambda dossier_id, user, v: results.seal_and_issue(
            dossier_id, user, v["passphrase"], v["number"]
        ),
        "Đã cấp số, đóng dấu số và ban hành kết quả.",
    )


def file_response(stored: StoredFile) -> FileResponse:
    name = stored.original_name if stored.original_name.endswith(".pdf") else f"{stored.id}.pdf"
    if stored.stage == StoredFile.Stage.SEALED and stored.dossier.code:
        name = f"ket-qua-{stored.dossier.code}.pdf"
    return FileResponse(
        stored.content.open("rb"),
        content_type=stored.mime_type,
        as_attachment=False,
        filename=name,
    )


@staff_required
def download(request, pk, file_id):
    """A dossier's file, only for those who may see the dossier."""
    dossier = get_visible(request, pk)
    stored = get_object_or_404(StoredFile, pk=file_id, dossier=dossier)
    return file_response(stored)


@staff_required
def certificates(request):
    """Chứng thư số: a leader's own, and (head of desk, administrator) the unit's seal."""
    user = request.user
    may_seal = user.has_role(Role.HEAD, Role.ADMIN)
    if not user.has_role(Role.LEADER, Role.HEAD, Role.ADMIN, Role.CLERK):
        raise PermissionDenied(
            "Chỉ lãnh đạo, trưởng bộ phận, văn thư và quản trị dùng chứng thư số."
        )
    form = CertificateForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        for_unit = form.cleaned_data["for_unit"]
        if for_unit and not may_seal:
            raise PermissionDenied("Chỉ trưởng bộ phận hoặc quản trị tải con dấu số của cơ quan.")
        if not for_unit and not user.has_role(Role.LEADER):
            messages.error(request, "Chỉ lãnh đạo ký duyệt mới cần chứng thư số cá nhân.")
            return redirect("documents:certificates")
        upload = form.cleaned_data["file"]
        if upload.size > 100_000:
            messages.error(request, "Tệp chứng thư số quá lớn (tối đa 100 KB).")
            return redirect("documents:certificates")
        try:
            record = results.register_certificate(
                unit=user.unit,
                user=None if for_unit else user,
                data=upload.read(),
                passphrase=form.cleaned_data["passphrase"],
            )
        except DossierError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"Đã lưu chứng thư số của {record.subject}.")
        return redirect("documents:certificates")
    mine = SigningCertificate.objects.filter(unit=user.unit, user=user, active=True).first()
    seal = SigningCertificate.objects.filter(unit=user.unit, user=None, active=True).first()
    return render(
        request,
        "documents/certificates.html",
        {"form": form, "mine": mine, "seal": seal, "may_seal": may_seal},
    )


class VerifyForm(forms.Form):
    file = forms.FileField(label="Tệp PDF cần kiểm tra", required=False)
    code = forms.CharField(label="Mã hồ sơ", required=False, max_length=40)
    token = forms.CharField(label="Mã QR trên giấy hẹn", required=False, max_length=64)


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
                    StoredFile.objects.filter(dossier=dossier, stage=StoredFile.Stage.SEALED)
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
            reports = signing.verify_pdf(pdf, results.trust_roots())
            digest = hashlib.sha256(pdf).hexdigest()
            issued = (
                StoredFile.objects.filter(sha256=digest, stage=StoredFile.Stage.SEALED)
                .select_related("dossier", "unit")
                .first()
            )
            checked = True
        except (FileRefused, signing.SigningError) as exc:
            error = str(exc)
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
    try:
        step()
    except DossierError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done)
    return redirect(f"{reverse('dossiers:detail', args=[pk])}#so-hoa")


@staff_required
@require_POST
def attach_component(request, pk):
    """Số hoá một thành phần: the scan, and its metadata if typed."""
    dossier = get_visible(request, pk)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, "Hãy chọn tệp quét (PDF hoặc ảnh chụp) của thành phần hồ sơ.")
        return redirect(f"{reverse('dossiers:detail', args=[pk])}#so-hoa")
    return run_step(
        request,
        pk,
        lambda: results.attach_component(
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
    dossier = get_visible(request, pk)
    return run_step(
        request,
        pk,
        lambda: results.describe_file(dossier.pk, file_id, request.user, posted_metadata(request)),
        "Đã lưu thông tin số hoá của giấy tờ.",
    )


@staff_required
@require_POST
def reuse_document(request, pk, document_id):
    """Dùng lại một giấy tờ từ kho dữ liệu của người nộp."""
    dossier = get_visible(request, pk)
    return run_step(
        request,
        pk,
        lambda: results.reuse_document(
            dossier.pk, request.user, document_id, request.POST.get("component", "")
        ),
        "Đã dùng lại giấy tờ từ kho dữ liệu của người nộp; không cần quét lại.",
    )


@staff_required
def download_searchable(request, pk, file_id):
    """The OCRed copy of a scan (text can be selected and searched)."""
    dossier = get_visible(request, pk)
    stored = get_object_or_404(StoredFile, pk=file_id, dossier=dossier)
    if not stored.searchable:
        raise Http404("Tệp chưa có bản nhận dạng chữ.")
    return FileResponse(
        stored.searchable.open("rb"),
        content_type="application/pdf",
        filename=f"{stored.id}-tim-kiem.pdf",
    )


def result_for_api(dossier: Dossier) -> StoredFile:
    stored = results.latest_result(dossier)
    if stored is None:
        raise Http404("Hồ sơ chưa có văn bản kết quả.")
    return stored
