"""Forms of the reconciliation pages."""

from __future__ import annotations

from pathlib import Path

from django import forms

from motcua.core.periods import PeriodError, check_period

ALLOWED_SUFFIXES = {".csv", ".xlsx"}


class UploadForm(forms.Form):
    start = forms.DateField(label="Từ ngày", widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label="Đến ngày", widget=forms.DateInput(attrs={"type": "date"}))
    dossiers = forms.FileField(label="Tệp hồ sơ xuất từ Cổng DVCQG (CSV/XLSX)")
    indicators = forms.FileField(
        label="Tệp chỉ số của kỳ (CSV/XLSX, không bắt buộc)", required=False
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            try:
                check_period(start, end)
            except PeriodError as exc:
                raise forms.ValidationError(exc.message) from exc
        for name in ("dossiers", "indicators"):
            upload = data.get(name)
            if upload and Path(upload.name).suffix.lower() not in ALLOWED_SUFFIXES:
                self.add_error(name, f"Tệp “{upload.name}” không phải CSV hoặc XLSX.")
        return data
