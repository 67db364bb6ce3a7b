"""Tra cứu hồ sơ: by dossier code + last 4 digits of the phone, or by the QR token."""

from __future__ import annotations

from django.shortcuts import render

from motcua.core.codes import DossierCodeError, parse_dossier_code
from motcua.dossiers.models import Dossier
from motcua.portal.ratelimit import hit
from motcua.portal.tracking import next_step, public_steps
from motcua.units.models import Desk

LIMIT, WINDOW = 10, 600  # ten look-ups per ten minutes per address
NOT_FOUND = "Không tìm thấy hồ sơ với mã và số điện thoại này. Vui lòng kiểm tra lại giấy hẹn."
TOO_MANY = "Bạn đã tra cứu quá nhiều lần. Vui lòng thử lại sau 10 phút."


def show(request, dossier: Dossier, status: int = 200):
    desk = Desk.objects.filter(unit_id=dossier.unit_id).first()
    desk_name = desk.name if desk else "Bộ phận Một cửa"
    return render(
        request,
        "portal/tracking_result.html",
        {
            "dossier": dossier,
            "steps": public_steps(dossier),
            "next_step": next_step(dossier, desk_name),
            "desk_name": desk_name,
        },
        status=status,
    )


def tracking(request):
    error, code = "", ""
    if request.method == "POST":
        if not hit(request, "tracking", limit=LIMIT, window=WINDOW):
            return render(request, "portal/tracking.html", {"error": TOO_MANY}, status=429)
        code = request.POST.get("code", "").strip().upper()
        digits = "".join(ch for ch in request.POST.get("phone", "") if ch.isdigit())
        try:
            parse_dossier_code(code)
        except DossierCodeError as exc:
            error = str(exc)
        else:
            if len(digits) != 4:
                error = "Nhập đúng 4 chữ số cuối của số điện thoại đã đăng ký."
            else:
                dossier = (
                    Dossier.objects.select_related("procedure_version")
                    .filter(code=code, applicant_phone__endswith=digits)
                    .first()
                )
                if dossier and dossier.applicant_phone:
                    return show(request, dossier)
                error = NOT_FOUND
    status = 400 if error else 200
    return render(request, "portal/tracking.html", {"error": error, "code": code}, status=status)


def tracking_by_token(request, token: str):
    if not hit(request, "tracking", limit=LIMIT, window=WINDOW):
        return render(request, "portal/tracking.html", {"error": TOO_MANY}, status=429)
    dossier = (
        Dossier.objects.select_related("procedure_version").filter(tracking_token=token).first()
    )
    if dossier is None:
        return render(request, "portal/tracking.html", {"error": NOT_FOUND}, status=404)
    return show(request, dossier)
