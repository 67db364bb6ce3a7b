"""Forms of the documents pages: certificate upload, the public verification page."""

from __future__ import annotations

from django import forms


class CertificateForm(forms.Form):
    file = forms.FileField(label="Tệp chứng thư số (.p12, .pfx)")
    passphrase = forms.CharField(
        label="Mật khẩu của tệp (chỉ dùng để kiểm tra, không lưu)",
        widget=forms.PasswordInput,
        max_length=200,
    )
    for_unit = forms.BooleanField(label="Đây là con dấu số của cơ quan", required=False)


class VerifyForm(forms.Form):
    file = forms.FileField(label="Tệp PDF cần kiểm tra", required=False)
    code = forms.CharField(label="Mã hồ sơ", required=False, max_length=40)
    token = forms.CharField(label="Mã QR trên giấy hẹn", required=False, max_length=64)
