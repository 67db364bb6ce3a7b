"""Forms of the citizen pages: online submission.

Every mistake is reported at once, next to its field: the fields are checked one by one with
the desk's own rules (``workflow.actions.check_applicant``, ``core.identity``), so the online
page and the desk never disagree on what a valid applicant is.
"""

from __future__ import annotations

from datetime import date

from django import forms

from motcua.core.errors import DomainError
from motcua.core.text import nfc
from motcua.workflow import actions

PROBE_NAME = "Nguyễn Văn An"  # a valid name, when one other field is checked on its own

# Whatever the browser's language: a text field read as day/month/year (an <input type=date>
# shows the browser's own order, month first in an English browser).
DATE_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"]
DATE_HELP = "Viết theo thứ tự ngày/tháng/năm, ví dụ 05/09/1990."


class DayMonthYearField(forms.DateField):
    """A date typed as dd/mm/yyyy (also with "-" or "."), never in the browser's order."""

    widget = forms.TextInput

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", DATE_FORMATS)
        kwargs.setdefault("error_messages", {"invalid": f"Ngày không đúng. {DATE_HELP}"})
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.update({"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "maxlength": "10"})
        return attrs

    def prepare_value(self, value):
        return value.strftime("%d/%m/%Y") if isinstance(value, date) else value


REQUIRED = "Vui lòng điền mục này."


class OnlineApplicantForm(forms.Form):
    applicant_name = forms.CharField(
        label="Họ và tên", max_length=200, error_messages={"required": REQUIRED}
    )
    applicant_id_number = forms.CharField(
        label="Số định danh cá nhân",
        help_text="12 chữ số in trên thẻ căn cước.",
        max_length=20,
        error_messages={"required": REQUIRED},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    applicant_birth_date = DayMonthYearField(label="Ngày sinh", required=False, help_text=DATE_HELP)
    applicant_phone = forms.CharField(
        label="Điện thoại",
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    applicant_email = forms.EmailField(
        label="Thư điện tử",
        max_length=254,
        help_text="Mã xác nhận gửi về đây; không có thì để trống và ghi số điện thoại.",
        required=False,
        error_messages={"invalid": "Địa chỉ thư điện tử không đúng, ví dụ: ten@example.vn."},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    applicant_address = forms.CharField(label="Địa chỉ", max_length=300, required=False)

    def clean_applicant_name(self) -> str:
        name = nfc(self.cleaned_data["applicant_name"])
        try:  # the desk's rule for names
            actions.check_applicant(actions.ApplicantData(name=name))
        except DomainError as exc:
            raise forms.ValidationError(exc.message) from None
        return name

    def clean(self):
        values = super().clean()
        birth_date = values.get("applicant_birth_date")
        # The desk's rule for each field on its own, so each error lands next to its field.
        if birth_date is not None and not self.probe(
            "applicant_birth_date", actions.ApplicantData(name=PROBE_NAME, birth_date=birth_date)
        ):
            birth_date = None
        if values.get("applicant_id_number"):
            self.probe(
                "applicant_id_number",
                actions.ApplicantData(
                    name=PROBE_NAME, id_number=values["applicant_id_number"], birth_date=birth_date
                ),
            )
        if values.get("applicant_phone"):
            self.probe(
                "applicant_phone",
                actions.ApplicantData(name=PROBE_NAME, phone=values["applicant_phone"]),
            )
        if (
            not values.get("applicant_email")
            and not values.get("applicant_phone")
            and "applicant_email" not in self.errors
            and "applicant_phone" not in self.errors
        ):
            self.add_error(
                "applicant_email",
                "Cần thư điện tử hoặc số điện thoại để nhận mã xác nhận.",
            )
        return values

    def probe(self, field: str, applicant: actions.ApplicantData) -> bool:
        try:
            actions.check_applicant(applicant)
        except DomainError as exc:
            self.add_error(field, exc.message)
            return False
        return True

    def applicant(self) -> actions.ApplicantData:
        v = self.cleaned_data
        return actions.ApplicantData(
            name=v["applicant_name"],
            id_number=v["applicant_id_number"],
            birth_date=v["applicant_birth_date"],
            phone=v["applicant_phone"],
            email=v["applicant_email"],
            address=v["applicant_address"],
        )
