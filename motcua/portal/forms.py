"""Forms of the citizen pages: online submission."""

from __future__ import annotations

from django import forms


class OnlineApplicantForm(forms.Form):
    applicant_name = forms.CharField(label="Họ và tên", max_length=200)
    applicant_id_number = forms.CharField(label="Số định danh cá nhân (12 số)", max_length=20)
    applicant_birth_date = forms.DateField(
        label="Ngày sinh", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    applicant_phone = forms.CharField(label="Điện thoại", max_length=20, required=False)
    applicant_email = forms.EmailField(label="Thư điện tử (để nhận mã xác nhận)", required=False)
    applicant_address = forms.CharField(label="Địa chỉ", max_length=300, required=False)
