"""Forms of the desk page: calendar overrides, office hours."""

from __future__ import annotations

from django import forms


class CalendarOverrideForm(forms.Form):
    date = forms.DateField(
        label="Ngày",
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"}, format="%d/%m/%Y"),
    )
    is_working_day = forms.BooleanField(label="Là ngày làm việc (làm bù)", required=False)
    note = forms.CharField(label="Ghi chú", max_length=200, required=False)


class OfficeHoursForm(forms.Form):
    office_hours = forms.CharField(
        label="Giờ làm việc",
        max_length=120,
        help_text=(
            "Dạng HH:MM-HH:MM, các buổi cách nhau bằng dấu phẩy, ví dụ 07:30-11:30,13:00-17:00."
        ),
    )
