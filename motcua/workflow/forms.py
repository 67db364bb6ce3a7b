"""Desk forms: thin, the rules are in actions and core."""

from __future__ import annotations

from django import forms

from motcua.core.components import FORM_LABELS, PaperForm, is_required
from motcua.core.feedback import About
from motcua.dossiers.models import Channel, Dossier
from motcua.workflow.feedback import FeedbackData


class IntakeForm(forms.Form):
    """Tiếp nhận hồ sơ tại Bộ phận Một cửa."""

    channel = forms.ChoiceField(
        label="Kênh tiếp nhận",
        choices=Channel.choices,
        initial=Channel.DIRECT,
        widget=forms.RadioSelect,
    )
    applicant_kind = forms.ChoiceField(
        label="Chủ hồ sơ",
        choices=Dossier.ApplicantKind.choices,
        initial=Dossier.ApplicantKind.PERSON,
        widget=forms.RadioSelect,
    )
    applicant_name = forms.CharField(label="Họ và tên / tên tổ chức", max_length=200)
    applicant_id_number = forms.CharField(
        label="Số định danh cá nhân (hoặc mã số thuế)", max_length=20, required=False
    )
    born_abroad = forms.BooleanField(label="Khai sinh ở nước ngoài", required=False)
    applicant_birth_date = forms.DateField(
        label="Ngày sinh",
        required=False,
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"}, format="%d/%m/%Y"),
    )
    applicant_sex = forms.ChoiceField(
        label="Giới tính", required=False, choices=[("", "—"), ("nam", "Nam"), ("nu", "Nữ")]
    )
    applicant_phone = forms.CharField(label="Điện thoại", max_length=20, required=False)
    applicant_email = forms.EmailField(label="Thư điện tử", max_length=254, required=False)
    applicant_address = forms.CharField(label="Địa chỉ", max_length=300, required=False)
    representative = forms.CharField(
        label="Người đại diện (tổ chức)", max_length=200, required=False
    )
    components = forms.MultipleChoiceField(
        label="Thành phần hồ sơ đã nộp", required=False, widget=forms.CheckboxSelectMultiple
    )
    copies = forms.IntegerField(label="Số bộ", min_value=1, max_value=50, initial=1)
    result_delivery = forms.CharField(label="Nhận kết quả tại", max_length=120, required=False)
    received_from = forms.CharField(
        label="Nhận liên thông từ (cơ quan chuyển đến, nếu có)", max_length=300, required=False
    )
    note = forms.CharField(
        label="Nội dung cần bổ sung / lý do từ chối",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, components: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.papers = components
        self.fields["components"].choices = [(c["name"], c["name"]) for c in components]
        for index, component in enumerate(components):
            self.fields[f"form_{index}"] = forms.ChoiceField(
                label="Hình thức",
                choices=[(k.value, v) for k, v in FORM_LABELS.items()],
                initial=component.get("form") or PaperForm.COPY,
                required=False,
            )

    def paper_rows(self) -> list[dict]:
        """Each paper of the procedure: its tick box, its form, whether it is required."""
        ticked = set(self["components"].value() or [])
        return [
            {
                "index": index,
                "name": c["name"],
                "required": is_required(c),
                "condition": c.get("condition", ""),
                "checked": c["name"] in ticked,
                "form": self[f"form_{index}"],
            }
            for index, c in enumerate(self.papers)
        ]

    def chosen_forms(self) -> dict[str, str]:
        """{paper: form} of the papers ticked (cleaned data)."""
        ticked = set(self.cleaned_data["components"])
        return {
            c["name"]: self.cleaned_data.get(f"form_{i}") or c.get("form") or PaperForm.COPY
            for i, c in enumerate(self.papers)
            if c["name"] in ticked
        }


class ActionForm(forms.Form):
    note = forms.CharField(
        label="Ghi chú", required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )
    new_due_at = forms.DateTimeField(
        label="Ngày hẹn mới",
        required=False,
        # Typed as the desk writes dates, whatever the browser's language (a datetime-local
        # input would show mm/dd/yyyy in an English browser).
        input_formats=["%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.TextInput(attrs={"placeholder": "dd/mm/yyyy HH:MM"}),
    )
    collected_by = forms.CharField(label="Người nhận kết quả", required=False, max_length=200)
    transferred_to = forms.CharField(
        label="Cơ quan nhận liên thông", required=False, max_length=300
    )


class PassphraseForm(forms.Form):
    """Ký duyệt: the leader's certificate passphrase (asked at every signature, never kept)."""

    passphrase = forms.CharField(
        label="Mật khẩu chứng thư số", widget=forms.PasswordInput, max_length=200
    )
    note = forms.CharField(label="Ý kiến", required=False, max_length=2000)
    # The SHA-256 of the draft shown to the leader: what is signed is what was read.
    previewed = forms.CharField(required=False, max_length=64)


class SealForm(forms.Form):
    """Cấp số, đóng dấu số: the document's number and the seal's passphrase."""

    number = forms.CharField(label="Số văn bản", max_length=60, required=False)
    reason = forms.CharField(label="Lý do ghi số khác", max_length=300, required=False)
    passphrase = forms.CharField(
        label="Mật khẩu con dấu số của cơ quan", widget=forms.PasswordInput, max_length=200
    )


def feedback_data(post) -> FeedbackData:
    """A feedback as typed on the desk's form and on the public page (the same names)."""
    return FeedbackData(
        title=post.get("tieu_de", ""),
        content=post.get("noi_dung", ""),
        sender_name=post.get("ho_ten", ""),
        sender_phone=post.get("dien_thoai", ""),
        sender_email=post.get("thu_dien_tu", ""),
        sender_address=post.get("dia_chi", ""),
        about=post.get("ve", "") or About.OTHER,
        procedure_code=post.get("thu_tuc", ""),
        dossier_code=post.get("ma_ho_so", ""),
    )
