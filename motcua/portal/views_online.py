"""Public pages for online submission."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render

from motcua.catalog.models import Procedure
from motcua.catalog.queries import search_procedures
from motcua.core.errors import DomainError
from motcua.dossiers.models import Dossier
from motcua.portal import online
from motcua.portal.context import home_desk
from motcua.portal.forms import OnlineApplicantForm
from motcua.portal.ratelimit import hit
from motcua.workflow import actions


def choose(request):
    text = request.GET.get("q", "").strip()
    results = search_procedures(text, online_only=True)[:40]
    return render(request, "portal/online_choose.html", {"q": text, "results": results})


def submit(request, code: str):
    procedure = get_object_or_404(
        Procedure.objects.select_related("current_version"), code=code, is_active=True
    )
    version = procedure.current_version
    desk = home_desk()
    form = OnlineApplicantForm(request.POST or None)
    if not version.is_online or desk is None:
        messages.error(request, "Thủ tục này chưa nhận hồ sơ trực tuyến tại đây.")
        return redirect("online:choose")
    if request.method == "POST" and form.is_valid():
        if not hit(request, "online-submit", limit=10, window=3600):
            form.add_error(None, "Bạn đã nộp quá nhiều hồ sơ trong một giờ; vui lòng thử lại sau.")
        else:
            files = {
                c["name"]: request.FILES[f"file-{i}"]
                for i, c in enumerate(version.components)
                if f"file-{i}" in request.FILES
            }
            v = form.cleaned_data
            applicant = actions.ApplicantData(
                name=v["applicant_name"],
                id_number=v["applicant_id_number"],
                birth_date=v["applicant_birth_date"],
                phone=v["applicant_phone"],
                email=v["applicant_email"],
                address=v["applicant_address"],
            )
            try:
                dossier, code_ = online.start_submission(desk, procedure.code, applicant, files)
                online.send_code(dossier, code_)
            except DomainError as exc:
                form.add_error(None, exc.message)
            except OSError:
                form.add_error(
                    None,
                    "Không gửi được mã xác nhận; vui lòng kiểm tra thư điện tử "
                    "hoặc số điện thoại và thử lại.",
                )
            else:
                return redirect("online:confirm", token=dossier.tracking_token)
    return render(
        request,
        "portal/online_submit.html",
        {"procedure": procedure, "version": version, "form": form, "desk": desk},
    )


def confirm(request, token: str):
    dossier = get_object_or_404(Dossier, tracking_token=token, channel="online")
    error = ""
    if request.method == "POST":
        try:
            dossier = online.confirm(dossier, request.POST.get("code", ""))
        except DomainError as exc:
            error = exc.message
        else:
            return render(request, "portal/online_done.html", {"dossier": dossier})
    return render(
        request,
        "portal/online_confirm.html",
        {"dossier": dossier, "error": error},
        status=400 if error else 200,
    )
