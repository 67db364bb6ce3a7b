"""The desk's fee office, "Thu phí, lệ phí" (``/thu-phi/``): what waits to be paid, the day's
payments and totals, payments to check, receipts to sign, the day's receipt summary for the
tax authority (Mẫu 01/TH-BLĐT), bank statement imports and the unit's collection settings.

Thin: every page is scoped to one unit the user may see (``check_view_unit``); every POST
runs one action of :mod:`motcua.payments.actions` through ``attempt``, and the action checks
the role (an overseer only reads). Rules and sources: docs/fees.md.
"""

from __future__ import annotations

import tempfile
from datetime import date, datetime
from pathlib import Path

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from motcua.core import lifecycle, official
from motcua.core.formatting import number_vi
from motcua.core.localtime import local_day
from motcua.core.receipts import daily_summary
from motcua.core.statements import StatementError
from motcua.documents.receipts import summary_xlsx, summary_xml
from motcua.payments import actions, queries
from motcua.payments.models import StatementImport
from motcua.payments.receipts import DEFAULT_FORM, DEFAULT_LETTERS, SERIES_LETTERS, series_for
from motcua.tabular import TableFileError, read_table
from motcua.units.access import (
    attempt,
    can_manage_unit,
    check_view_unit,
    staff_required,
    visible_units,
)
from motcua.units.models import Unit

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
STATEMENT_SUFFIXES = {".csv", ".xlsx"}
MAX_STATEMENT_BYTES = 5 * 1024 * 1024
# Who signs the waiting receipts with the unit's seal (actions.sign_waiting_receipts checks it).
SIGNING_ROLES = frozenset({lifecycle.CLERK, lifecycle.HEAD, lifecycle.DEPUTY})


# --- which unit -----------------------------------------------------------------------------


def _unit_code(request) -> str:
    return (request.GET.get("don_vi") or request.POST.get("don_vi") or "").strip()


def office_unit(request) -> Unit | None:
    """The commune the page is about: ``?don_vi=`` (checked: one the user may see), else the
    official's own; None when neither names a commune with a desk (an overseer chooses)."""
    code = _unit_code(request) or (request.user.unit_id or "")
    if not code:
        return None
    unit = Unit.objects.filter(code=code, desk__isnull=False).first()
    if unit is None:
        if _unit_code(request):
            raise Http404("Không có Bộ phận Một cửa của đơn vị này.")
        return None
    check_view_unit(request.user, unit)
    return unit


def _required_unit(request) -> Unit:
    unit = office_unit(request)
    if unit is None:
        raise Http404("Chưa chọn đơn vị.")
    return unit


def _suffix(request, unit: Unit) -> str:
    """The query string that keeps an overseer's or administrator's chosen unit."""
    return "" if request.user.unit_id == unit.code else f"?don_vi={unit.code}"


def _about(request, unit: Unit) -> dict:
    """What every page of the office shows of its unit (and the chosen unit's parameter)."""
    suffix = _suffix(request, unit)
    return {"unit": unit, "suffix": suffix, "don_vi": unit.code if suffix else ""}


def _back(name: str, request, unit: Unit):
    return redirect(reverse(name) + _suffix(request, unit))


def _choose(request):
    """An overseer's (or administrator's) list of communes to open."""
    units = visible_units(request.user).filter(desk__isnull=False).order_by("name")[:500]
    return render(request, "payments/office_choose.html", {"units": units})


DAY_FORMATS = ("%d/%m/%Y", "%Y-%m-%d")  # as typed; the ISO form of older links


def _day(text: str) -> date | None:
    """The day asked for ("02/12/2026"), today when none is given, None when it is not a
    day."""
    text = (text or "").strip()
    if not text:
        return local_day(timezone.now())
    for fmt in DAY_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _wrong_day(text: str) -> str:
    return f"“{text}” không phải một ngày: hãy ghi ngày/tháng/năm, ví dụ 02/12/2026."


def _may_sign(user, unit: Unit) -> bool:
    return user.unit_id == unit.code and bool(set(user.role_codes()) & SIGNING_ROLES)


# --- the overview ---------------------------------------------------------------------------


@staff_required
def office(request):
    """/thu-phi/: the unit's fees at a glance."""
    unit = office_unit(request)
    if unit is None:
        return _choose(request)
    today = local_day(timezone.now())
    day = _day(request.GET.get("ngay", ""))
    if day is None:
        messages.error(request, _wrong_day(request.GET["ngay"]))
        day = today
    start, end = queries.day_bounds(day)
    month_start, _ = queries.day_bounds(day.replace(day=1))
    waiting = queries.receipts_waiting(unit.pk)
    by_day = queries.collection_totals(unit.pk, start, end)
    by_month = queries.collection_totals(unit.pk, month_start, end)
    return render(
        request,
        "payments/office_overview.html",
        {
            **_about(request, unit),
            "day": day,
            "is_today": day == today,
            "today": today,
            "open_requests": queries.open_requests(unit.pk),
            "payments": queries.payments_recorded_on(unit.pk, day),
            "flagged": queries.flagged_payments(unit.pk),
            "waiting_count": waiting.count(),
            "may_sign": _may_sign(request.user, unit),
            "day_total": _sum_totals(by_day),
            "totals": [
                (f"Ngày {day:%d/%m/%Y}", by_day, _sum_totals(by_day)),
                (f"Từ {month_start:%d/%m/%Y} đến {day:%d/%m/%Y}", by_month, _sum_totals(by_month)),
            ],
        },
    )


def _sum_totals(totals: list[queries.MethodTotal]) -> dict[str, int]:
    return {
        "collected": sum(t.collected for t in totals),
        "refunded": sum(t.refunded for t in totals),
        "net": sum(t.net for t in totals),
    }


@staff_required
@require_POST
def sign_receipts(request):
    """Ký số biên lai: the clerk (or head, deputy) signs the waiting receipts with the seal."""
    unit = _required_unit(request)
    signed: list[int] = []
    passphrase = request.POST.get("passphrase", "")
    if attempt(
        request,
        lambda: signed.append(actions.sign_waiting_receipts(request.user, unit, passphrase)),
    ):
        if signed[0]:
            messages.success(request, f"Đã ký số {number_vi(signed[0])} biên lai.")
        else:
            messages.info(request, "Không có biên lai nào chờ ký số.")
    return _back("payments:office", request, unit)


@staff_required
def receipt_summary(request):
    """The day's summary of receipts for the tax authority, Mẫu 01/TH-BLĐT, as XLSX or XML."""
    unit = _required_unit(request)
    day = _day(request.GET.get("ngay", ""))
    if day is None:
        messages.error(request, _wrong_day(request.GET["ngay"]))
        return _back("payments:office", request, unit)
    fmt = request.GET.get("dinh_dang", "xlsx")
    if fmt not in ("xlsx", "xml"):
        raise Http404("Chỉ tải được tệp XLSX hoặc XML.")
    rows = daily_summary(queries.receipt_summary_rows(unit.pk, day), group_runs=True)
    name = f"tong-hop-bien-lai-{unit.code}-{day:%Y%m%d}.{fmt}"
    if fmt == "xlsx":
        response = HttpResponse(summary_xlsx(rows), content_type=XLSX)
    else:
        tax_code = actions.settings_of(unit.pk).tax_code
        response = HttpResponse(
            summary_xml(rows, tax_code, day), content_type="application/xml; charset=utf-8"
        )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --- bank statements ------------------------------------------------------------------------


class StatementForm(forms.Form):
    statement = forms.FileField(label="Tệp sao kê (CSV hoặc XLSX)")

    def clean_statement(self):
        upload = self.cleaned_data["statement"]
        if Path(upload.name).suffix.lower() not in STATEMENT_SUFFIXES:
            raise forms.ValidationError(f"Tệp “{upload.name}” không phải CSV hoặc XLSX.")
        if upload.size > MAX_STATEMENT_BYTES:
            raise forms.ValidationError("Tệp sao kê lớn quá 5 MB: hãy xuất từng kỳ ngắn hơn.")
        return upload


def _read_upload(upload) -> tuple[list[str], list[list[str]]]:
    """The uploaded table, read from a temporary file that keeps its suffix (the table
    reader goes by it); the file is gone when this returns."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"sao-ke{Path(upload.name).suffix.lower()}"
        with path.open("wb") as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
        return read_table(path)


@staff_required
def statements(request):
    """/thu-phi/sao-ke/: import a statement of the unit's account; earlier imports."""
    unit = office_unit(request)
    if unit is None:
        return _choose(request)
    may_import = actions.may_handle_fees(request.user, unit)
    form = StatementForm(request.POST or None, request.FILES or None)
    file_errors: list[str] = []
    if request.method == "POST":
        actions.check_desk_role(request.user, unit)  # an overseer: 403, before the file is read
        if form.is_valid():
            upload = form.cleaned_data["statement"]
            done: list[actions.ImportResult] = []

            def step():
                try:
                    headers, rows = _read_upload(upload)
                    done.append(
                        actions.import_statement(request.user, unit, upload.name, headers, rows)
                    )
                except StatementError as exc:
                    file_errors.extend(exc.errors)
                except TableFileError as exc:
                    file_errors.append(str(exc))

            attempt(request, step)
            if done:
                result = done[0]
                messages.success(
                    request,
                    f"Đã nhập sao kê “{upload.name}”: {len(result.matched)} khoản khớp và ghi "
                    f"thu, {len(result.flagged)} cần kiểm tra, {len(result.unmatched)} không "
                    f"khớp, {len(result.duplicates)} đã nhập trước đây.",
                )
                return redirect(
                    reverse("payments:statement", args=[result.record.pk]) + _suffix(request, unit)
                )
            if file_errors:
                messages.error(
                    request,
                    f"Tệp sao kê có {len(file_errors)} lỗi nên chưa nhập gì. "
                    "Sửa các dòng dưới đây rồi nhập lại.",
                )
    status = 400 if (file_errors or form.errors) else 200
    return render(
        request,
        "payments/office_statements.html",
        {
            **_about(request, unit),
            "form": form,
            "may_import": may_import,
            "file_errors": file_errors,
            "imports": queries.statement_imports(unit.pk),
        },
        status=status,
    )


@staff_required
def statement(request, import_id):
    """One import's four lists, with the statement's row numbers."""
    unit = _required_unit(request)
    record = get_object_or_404(
        StatementImport.objects.select_related("imported_by"), pk=import_id, unit=unit
    )
    report = queries.statement_report(record)
    return render(
        request,
        "payments/office_statement.html",
        {
            **_about(request, unit),
            "record": record,
            "lists": [
                ("matched", "Đã khớp và ghi thu", report["matched"]),
                ("flagged", "Cần kiểm tra", report["flagged"]),
                ("unmatched", "Không khớp", report["unmatched"]),
                ("duplicates", "Đã nhập trước đây", report["duplicates"]),
            ],
        },
    )


# --- settings -------------------------------------------------------------------------------


class SettingsForm(forms.Form):
    """The fields of actions.change_settings, which checks them."""

    bank_bin = forms.CharField(label="Mã BIN của ngân hàng (6 chữ số)", required=False)
    bank_name = forms.CharField(label="Tên ngân hàng", required=False)
    account_number = forms.CharField(label="Số tài khoản thu", required=False)
    account_name = forms.CharField(label="Tên tài khoản thu", required=False)
    tax_code = forms.CharField(label="Mã số thuế của đơn vị thu", required=False)
    receipt_form_symbol = forms.CharField(
        label="Ký hiệu mẫu biên lai", required=False, initial=DEFAULT_FORM
    )
    receipt_series = forms.CharField(
        label="Hai chữ cái của ký hiệu biên lai", required=False, initial=DEFAULT_LETTERS
    )
    delegation_notice = forms.CharField(
        label="Thông báo ủy nhiệm lập biên lai (nếu có)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _settings_page(request, unit: Unit, *, form=None, key: str = "", status: int = 200):
    config = actions.settings_of(unit.pk)
    year = local_day(timezone.now()).year
    if form is None:
        values = {name: getattr(config, name) for name in actions.SETTING_FIELDS}
        values["receipt_form_symbol"] = values["receipt_form_symbol"] or DEFAULT_FORM
        values["receipt_series"] = values["receipt_series"] or DEFAULT_LETTERS
        form = SettingsForm(initial=values)
    response = render(
        request,
        "payments/office_settings.html",
        {
            **_about(request, unit),
            "config": config,
            "form": form,
            "may_manage": can_manage_unit(request.user, unit),
            "series": series_for(config, year),
            "form_symbol": config.receipt_form_symbol or DEFAULT_FORM,
            "letters": " ".join(sorted(SERIES_LETTERS)),
            "key": key,
            "webhook_url": request.build_absolute_uri(reverse("api-bank-notice")),
            "has_key": bool(config.webhook_key_digest),
        },
        status=status,
    )
    if key:
        response["Cache-Control"] = "no-store"
    return response


@staff_required
def settings_page(request):
    """/thu-phi/thiet-lap/: the collection account, tax code and receipt symbols (head,
    deputy, administrator change them; the others read them)."""
    unit = office_unit(request)
    if unit is None:
        return _choose(request)
    if request.method != "POST":
        return _settings_page(request, unit)
    form = SettingsForm(request.POST)
    form.is_valid()  # every field is optional text: change_settings checks the values
    if attempt(
        request,
        lambda: actions.change_settings(request.user, unit, form.cleaned_data),
        "Đã lưu thiết lập thu phí, lệ phí.",
    ):
        return _back("payments:settings", request, unit)
    return _settings_page(request, unit, form=form, status=400)


@never_cache
@staff_required
@require_POST
def new_key(request):
    """A new key for the bank's balance-change notices, shown once on the answer page."""
    unit = _required_unit(request)
    made: list[str] = []
    attempt(request, lambda: made.append(actions.new_webhook_key(request.user, unit)))
    if not made:
        return _back("payments:settings", request, unit)
    messages.success(request, "Đã tạo khoá mới; khoá cũ (nếu có) không còn dùng được.")
    return _settings_page(request, unit, key=made[0])


class DayInput(forms.DateInput):
    """A day typed as dd/mm/yyyy (a browser's date picker shows its own locale's order)."""

    def __init__(self):
        super().__init__(
            format="%d/%m/%Y", attrs={"placeholder": "ngày/tháng/năm", "inputmode": "numeric"}
        )


class NoticeForm(forms.Form):
    """What the delegation agreement says (NĐ 254/2026 Art. 25), to fill in the notice."""

    delegate = forms.CharField(label="Tên bên nhận ủy nhiệm", required=False, max_length=200)
    delegate_tax_code = forms.CharField(label="Mã số thuế", required=False, max_length=14)
    delegate_address = forms.CharField(label="Địa chỉ", required=False, max_length=300)
    agreement = forms.CharField(
        label="Số, ngày của thỏa thuận ủy nhiệm", required=False, max_length=100
    )
    start = forms.DateField(
        label="Từ ngày", required=False, input_formats=DAY_FORMATS, widget=DayInput()
    )
    end = forms.DateField(
        label="Đến ngày", required=False, input_formats=DAY_FORMATS, widget=DayInput()
    )
    first_number = forms.IntegerField(label="Từ số", required=False, min_value=1)
    last_number = forms.IntegerField(label="Đến số", required=False, min_value=1)


@staff_required
def delegation_notice(request):
    """Thông báo ủy nhiệm lập biên lai, to post at the desk when a provider issues the
    receipts for the unit (NĐ 254/2026 Art. 4 k6, Art. 25): filled in from the agreement,
    printed; nothing is stored."""
    unit = _required_unit(request)
    config = actions.settings_of(unit.pk)
    form = NoticeForm(request.GET or None)
    values = form.cleaned_data if form.is_valid() else {}
    start = values.get("start") or local_day(timezone.now())
    return render(
        request,
        "payments/office_notice.html",
        {
            **_about(request, unit),
            "form": form,
            "v": values,
            "config": config,
            "form_symbol": config.receipt_form_symbol or DEFAULT_FORM,
            "series": series_for(config, start.year),
            "issuer": official.issuer_name(unit.name, unit.division_type),
            "issuer_lines": official.issuer_lines(unit.name, unit.division_type),
            "dated": official.place_and_date(
                unit.name, unit.division_type, local_day(timezone.now())
            ),
        },
    )
