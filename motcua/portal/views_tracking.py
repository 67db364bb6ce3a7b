"""Tra cứu hồ sơ: by dossier code + last 4 digits of the phone, or by the QR token; the
electronic result, downloaded through the token only."""

from __future__ import annotations

from django.shortcuts import render

from motcua.core.codes import DossierCodeError, parse_dossier_code
from motcua.core.errors import DossierError
from motcua.documents.files import file_response
from motcua.dossiers.models import Dossier
from motcua.dossiers.queries import rating_url, tracking_url
from motcua.payments.queries import fee_state
from motcua.payments.views import receipt_response
from motcua.portal.online import local_moment
from motcua.portal.queries import issued_result, result_for_citizen
from motcua.portal.ratelimit import blocked_until, count_failure
from motcua.portal.tracking import awaiting_code, next_step, public_steps
from motcua.units.models import Desk

LIMIT, WINDOW = 10, 600  # ten failed look-ups per ten minutes per address
# and ten wrong phone numbers per hour on one dossier code, from any number of addresses: the
# last four digits are 10,000 guesses, which rotating addresses would otherwise try in a day
CODE_LIMIT, CODE_WINDOW = 10, 3600
NOT_FOUND = "Không tìm thấy hồ sơ với mã và số điện thoại này. Vui lòng kiểm tra lại giấy hẹn."
TOKEN_NOT_FOUND = (
    "Không tìm thấy hồ sơ theo đường dẫn này. Vui lòng mở lại đúng đường dẫn trong thư, tin "
    "nhắn hoặc quét mã QR trên giấy hẹn."
)


def too_many(request, until, where: str = "từ máy này", code: str = "") -> object:
    return render(
        request,
        "portal/tracking.html",
        {
            "error": f"Đã tra cứu sai nhiều lần {where}. Vui lòng thử lại sau "
            f"{local_moment(until)}, hoặc mang giấy hẹn đến Bộ phận Một cửa để được hỗ trợ.",
            "code": code,
        },
        status=429,
    )


def show(request, dossier: Dossier, status: int = 200):
    desk = Desk.objects.filter(unit_id=dossier.unit_id).first()
    desk_name = desk.name if desk else "Bộ phận Một cửa"
    result = result_for_citizen(dossier)
    fee = fee_state(dossier)
    return render(
        request,
        "portal/tracking_result.html",
        {
            "dossier": dossier,
            "steps": public_steps(dossier),
            "next_step": next_step(dossier, desk_name, result_ready=result is not None),
            "desk_name": desk_name,
            "result": result,
            # issued but held back until the fee is paid (see result_for_citizen)
            "result_waiting": result is None and issued_result(dossier) is not None,
            "awaiting_code": awaiting_code(dossier),
            "rating_url": rating_url(dossier, "qr") if dossier.state == "returned" else "",
            "tracking_link": tracking_url(dossier),
            "fee": fee,
        },
        status=status,
    )


def receipt_download(request, token: str):
    """The signed e-receipt of the dossier behind ``token`` (the citizen's copy)."""
    until = blocked_until(request, "tracking", limit=LIMIT, window=WINDOW)
    if until is not None:
        return too_many(request, until)
    dossier = dossier_by_token(request, token)
    receipt = fee_state(dossier).receipt if dossier is not None else None
    if receipt is None or receipt.pdf is None:
        if dossier is None:
            count_failure(request, "tracking", window=WINDOW)
        raise DossierError("Hồ sơ này chưa có biên lai điện tử để tải.", "receipt_not_found")
    return receipt_response(receipt)


def tracking(request):
    error, code = "", ""
    if request.method == "POST":
        until = blocked_until(request, "tracking", limit=LIMIT, window=WINDOW)
        if until is not None:
            return too_many(request, until)
        code = request.POST.get("code", "").strip().upper()
        digits = "".join(ch for ch in request.POST.get("phone", "") if ch.isdigit())
        try:
            parse_dossier_code(code)
        except DossierCodeError as exc:
            error = str(exc)
        else:
            until = blocked_until(
                request, "tracking-code", limit=CODE_LIMIT, window=CODE_WINDOW, subject=code
            )
            if until is not None:
                return too_many(request, until, "với mã hồ sơ này", code)
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
                count_failure(request, "tracking", window=WINDOW)
                count_failure(request, "tracking-code", window=CODE_WINDOW, subject=code)
    status = 400 if error else 200
    return render(request, "portal/tracking.html", {"error": error, "code": code}, status=status)


def dossier_by_token(request, token: str) -> Dossier | None:
    return Dossier.objects.select_related("procedure_version").filter(tracking_token=token).first()


def tracking_by_token(request, token: str):
    until = blocked_until(request, "tracking", limit=LIMIT, window=WINDOW)
    if until is not None:
        return too_many(request, until)
    dossier = dossier_by_token(request, token)
    if dossier is None:
        count_failure(request, "tracking", window=WINDOW)
        return render(request, "portal/tracking.html", {"error": TOKEN_NOT_FOUND}, status=404)
    return show(request, dossier)


def result_download(request, token: str):
    """The sealed result of the dossier behind ``token`` (the only public way to it)."""
    until = blocked_until(request, "tracking", limit=LIMIT, window=WINDOW)
    if until is not None:
        return too_many(request, until)
    dossier = dossier_by_token(request, token)
    result = result_for_citizen(dossier) if dossier is not None else None
    if result is None:
        if dossier is None:
            count_failure(request, "tracking", window=WINDOW)
        raise DossierError("Hồ sơ này chưa có văn bản kết quả điện tử để tải.", "file_not_found")
    return file_response(result)
