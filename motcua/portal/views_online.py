"""Public pages for online submission."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render

from motcua.catalog.models import Procedure, ProcedureVersion
from motcua.catalog.queries import search_procedures
from motcua.core.errors import DomainError
from motcua.core.lifecycle import State
from motcua.dossiers.models import Dossier
from motcua.dossiers.queries import tracking_url
from motcua.dvcqg.client import connector_on
from motcua.portal import holding, online, ratelimit
from motcua.portal.context import home_desk
from motcua.portal.forms import OnlineApplicantForm
from motcua.units.models import Desk
from motcua.units.queries import desk_of_unit

# Where a refusal raised while creating the draft belongs on the form.
FIELD_OF_CODE = {
    "invalid_identity": "applicant_id_number",
    "contact_required": "applicant_email",
}
QUOTA = (
    "Địa chỉ mạng này đã tải lên đủ {mb} MB hôm nay, mức tối đa cho phép; tệp chưa được "
    "nhận. Xin thử lại sau {until}, hoặc nộp hồ sơ tại Bộ phận Một cửa."
)
NOT_SENT = (
    "Chưa gửi được mã xác nhận (máy chủ thư hoặc tin nhắn đang lỗi). Hồ sơ và các tệp đã được "
    "lưu; vui lòng bấm “Gửi lại mã” sau ít phút."
)


@dataclass(frozen=True)
class Slot:
    """One component on the form: its name, whether it must be attached, what is held."""

    index: int
    name: str
    required: bool
    held: holding.HeldFile | None
    error: str


def channel_context(desk: Desk | None) -> dict:
    """The notice atop the online pages: with the national portal connected, citizens submit
    there (these pages stay for an official helping someone at the desk); without it, these
    are the commune's own online submission pages."""
    return {
        "portal_connected": connector_on(),
        "desk_name": desk.name if desk is not None else "Bộ phận Một cửa",
    }


def choose(request):
    text = request.GET.get("q", "").strip()
    results = search_procedures(text, online_only=True)[:40]
    return render(
        request,
        "portal/online_choose.html",
        {"q": text, "results": results, **channel_context(home_desk())},
    )


def submit(request, code: str):
    procedure = get_object_or_404(
        Procedure.objects.select_related("current_version"), code=code, is_active=True
    )
    version = procedure.current_version
    desk = home_desk()
    if not version.is_online or desk is None:
        messages.error(request, "Thủ tục này chưa nhận hồ sơ trực tuyến tại đây.")
        return redirect("online:choose")
    token = request.POST.get("holding", "")
    if not holding.valid_token(token):
        token = holding.new_token()
    form = OnlineApplicantForm(request.POST or None)
    kept, file_errors, status = holding.held(token), {}, 200
    if request.method == "POST":
        removed = {int(s) for s in request.POST.getlist("drop") if s.isdigit()}
        incoming = sum(upload.size for upload in request.FILES.values())
        refused_until = ratelimit.upload_refused_until(request, incoming)
        if refused_until is not None:  # nothing of this request is kept
            quota = QUOTA.format(
                mb=settings.MOTCUA_UPLOAD_QUOTA_MB_PER_DAY, until=online.local_moment(refused_until)
            )
            file_errors = {
                slot: quota
                for slot in range(len(version.components))
                if request.FILES.get(f"file-{slot}") is not None
            }
            status = 429
        else:
            kept, file_errors = online.take_files(token, version, request.FILES, removed)
            ratelimit.count_upload(request, incoming)
        # every field and every file is checked before anything is created
        if form.is_valid() and not file_errors:
            files = {
                version.components[slot]["name"]: held
                for slot, held in sorted(kept.items())
                if slot < len(version.components)
            }
            try:
                started = online.start_submission(desk, procedure.code, form.applicant(), files)
            except online.CodeLimitError as exc:
                form.add_error(None, exc.message)
                status = 429
            except DomainError as exc:
                form.add_error(FIELD_OF_CODE.get(exc.code), exc.message)
            else:
                holding.drop(token)
                try:
                    online.send_code(started.dossier, started.code)
                except OSError:
                    messages.error(request, NOT_SENT)
                return redirect("online:confirm", token=started.dossier.tracking_token)
        if status == 200:
            status = 400
    required = set(online.required_slots(version))
    slots = [
        Slot(i, c["name"], i in required, kept.get(i), file_errors.get(i, ""))
        for i, c in enumerate(version.components)
    ]
    error_count = len(form.errors) + len(file_errors) if request.method == "POST" else 0
    return render(
        request,
        "portal/online_submit.html",
        {
            "procedure": procedure,
            "version": version,
            "form": form,
            "desk": desk,
            "slots": slots,
            "holding": token,
            "error_count": error_count,
            "fully_online": version.online_level == ProcedureVersion.OnlineLevel.FULL,
            **channel_context(desk),
        },
        status=status,
    )


def confirm(request, token: str):
    dossier = get_object_or_404(
        Dossier.objects.select_related("procedure_version"), tracking_token=token, channel="online"
    )
    desk = desk_of_unit(dossier.unit_id)
    context = {"dossier": dossier, "desk": desk, "tracking_link": tracking_url(dossier)}
    if dossier.state != State.DRAFT:  # already sent: its page says where it is now
        return redirect("tracking_token", token=token)
    error, status = "", 200
    if request.method == "POST" and request.POST.get("action") == "resend":
        try:
            online.resend_code(dossier, desk)
        except online.CodeLimitError as exc:
            error, status = exc.message, 429
        except DomainError as exc:
            error, status = exc.message, 400
        except OSError:
            error, status = NOT_SENT, 503
        else:
            messages.success(request, "Đã gửi mã xác nhận mới; mã cũ không dùng được nữa.")
            return redirect("online:confirm", token=token)
    elif request.method == "POST":
        try:
            dossier = online.confirm(dossier, request.POST.get("code", ""))
        except DomainError as exc:
            error, status = exc.message, 400
        else:
            context["dossier"] = dossier
            return render(request, "portal/online_done.html", context)
    context["error"] = error
    return render(request, "portal/online_confirm.html", context, status=status)
