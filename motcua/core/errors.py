"""One error family for everything a user can cause (pure Python, no Django import).

A :class:`DomainError` carries a Vietnamese message for the person, a stable ``code`` for
programs (the API answers ``{"detail": message, "code": code}``) and a ``kind`` that decides
the HTTP status in one place (``motcua.api.exception_handler``; pages use
``motcua.units.access.report_error``):

- ``invalid``   400: the input is wrong; nothing was changed.
- ``forbidden`` 403: the user's role or unit does not allow it.
- ``not_found`` 404: no such thing among what the user may see.
- ``conflict``  409: not allowed in the current state (of a dossier, a certificate…).

Each domain raises its own subclass; the codes are listed in :data:`CODES` (with their kind)
and in ``docs/api.md``, and a test keeps the two in step. Patterned on Zulip's
``zerver/lib/exceptions.py`` and Saleor's ``order/error_codes.py``.
"""

from __future__ import annotations

from enum import StrEnum


class Kind(StrEnum):
    INVALID = "invalid"
    FORBIDDEN = "forbidden"
    NOT_FOUND = "not_found"
    CONFLICT = "conflict"


HTTP_STATUS: dict[Kind, int] = {
    Kind.INVALID: 400,
    Kind.FORBIDDEN: 403,
    Kind.NOT_FOUND: 404,
    Kind.CONFLICT: 409,
}

INV, FBD, NFD, CFL = Kind.INVALID, Kind.FORBIDDEN, Kind.NOT_FOUND, Kind.CONFLICT

# Every stable code, its kind and what it means (docs/api.md repeats this table).
CODES: dict[str, tuple[Kind, str]] = {
    # generic
    "invalid": (INV, "dữ liệu không hợp lệ"),
    "forbidden": (FBD, "không có quyền"),
    "not_found": (NFD, "không tìm thấy"),
    "conflict": (CFL, "không thực hiện được ở trạng thái hiện tại"),
    # access (units.access)
    "other_unit": (FBD, "dữ liệu của đơn vị khác"),
    "read_only": (FBD, "tài khoản chỉ được xem"),
    "role_required": (FBD, "vai trò không được làm việc này"),
    "wrong_credentials": (INV, "tên đăng nhập hoặc mật khẩu không đúng"),
    "mfa_required": (INV, "cần mã xác thực hai lớp (ứng dụng xác thực hoặc mã dự phòng)"),
    "mfa_wrong_code": (INV, "mã xác thực hai lớp không đúng"),
    "mfa_not_started": (CFL, "chưa bắt đầu thiết lập ứng dụng xác thực"),
    # lifecycle (core.lifecycle)
    "unknown_action": (INV, "không có thao tác này"),
    "not_in_this_state": (CFL, "thao tác không được phép ở trạng thái hiện tại của hồ sơ"),
    "role_not_allowed": (FBD, "vai trò không được thực hiện thao tác này"),
    "note_required": (INV, "thiếu ghi chú bắt buộc (lý do, nội dung)"),
    # identity (core.identity)
    "invalid_identity": (INV, "số định danh cá nhân hoặc mã số thuế không hợp lệ"),
    # calendar (core.calendar)
    "invalid_calendar": (INV, "ngày, giờ hoặc thời hạn không hợp lệ"),
    # report periods (core.periods)
    "invalid_period": (INV, "kỳ báo cáo không hợp lệ"),
    # dossiers and the desk's workflow
    "dossier_not_found": (NFD, "không có hồ sơ này"),
    "unknown_procedure": (INV, "không có thủ tục này trong danh mục"),
    "not_online": (INV, "thủ tục chưa cung cấp dịch vụ công trực tuyến"),
    "invalid_applicant": (INV, "thông tin người nộp hồ sơ không hợp lệ"),
    "invalid_intake": (INV, "thông tin tiếp nhận không hợp lệ"),
    "unknown_component": (INV, "thành phần không có trong danh mục của thủ tục"),
    "missing_components": (CFL, "hồ sơ còn thiếu thành phần bắt buộc"),
    "already_extended": (CFL, "hồ sơ đã được hẹn lại một lần"),
    "past_due": (CFL, "đã quá thời điểm hẹn trả"),
    "invalid_due_date": (INV, "ngày hẹn mới không hợp lệ"),
    "collector_required": (INV, "cần ghi tên người nhận kết quả bản giấy"),
    "transfer_target_required": (INV, "cần ghi cơ quan nhận hồ sơ liên thông"),
    "no_desk": (INV, "đơn vị chưa có Bộ phận Một cửa"),
    "contact_required": (INV, "cần thư điện tử hoặc số điện thoại"),
    "code_already_used": (CFL, "mã xác nhận đã dùng"),
    "code_attempts_exceeded": (FBD, "nhập sai mã xác nhận quá số lần cho phép"),
    "code_expired": (INV, "mã xác nhận đã hết hạn"),
    "code_wrong": (INV, "mã xác nhận không đúng"),
    "too_many_codes": (CFL, "đã gửi đủ số mã xác nhận cho phép trong một giờ"),
    # results, files, digitisation, signatures (documents)
    "no_draft": (CFL, "chưa có dự thảo kết quả để ký"),
    "draft_changed": (CFL, "dự thảo đã được thay sau khi lãnh đạo xem"),
    "external_result": (INV, "kết quả do hệ thống khác cấp: tải lên bản đã ký từ hệ thống đó"),
    "not_signed": (CFL, "kết quả chưa được lãnh đạo ký"),
    "not_in_review": (CFL, "chỉ làm khi hồ sơ đang được thẩm định"),
    "dossier_ended": (CFL, "hồ sơ đã kết thúc"),
    "invalid_number": (INV, "số văn bản không hợp lệ"),
    "file_refused": (INV, "tệp không được chấp nhận"),
    "file_not_found": (NFD, "không có tệp này trong hồ sơ"),
    "invalid_metadata": (INV, "thông tin số hoá không hợp lệ"),
    "metadata_locked": (CFL, "thông tin số hoá không sửa được"),
    "stored_document_not_found": (NFD, "không có giấy tờ này trong kho"),
    "already_reused": (CFL, "giấy tờ đã được dùng lại cho hồ sơ"),
    "invalid_details": (INV, "thông tin của văn bản kết quả không hợp lệ"),
    "no_certificate": (CFL, "chưa có chứng thư số"),
    "invalid_certificate": (INV, "chứng thư số không dùng được"),
    "invalid_crl": (INV, "danh sách thu hồi không hợp lệ"),
    # units, desks and calendars
    "unknown_unit": (INV, "không có đơn vị hành chính này"),
    "invalid_desk": (INV, "thông tin Bộ phận Một cửa không hợp lệ"),
    "duplicate_override": (CFL, "ngày này đã có điều chỉnh lịch"),
    "override_not_found": (NFD, "không có điều chỉnh lịch này"),
    # catalogue
    "invalid_catalogue_file": (INV, "tệp danh mục thủ tục có lỗi"),
    # fees, payments and receipts
    "invalid_fee": (INV, "cách tính hoặc số liệu phí, lệ phí không hợp lệ"),
    "invalid_collection_account": (INV, "mã BIN ngân hàng hoặc số tài khoản thu không hợp lệ"),
    "invalid_receipt": (INV, "biên lai điện tử không hợp lệ (số, ký hiệu hoặc nội dung)"),
    "invalid_statement": (INV, "sao kê ngân hàng có lỗi"),
    "invalid_bank_notice": (INV, "thông báo biến động số dư của ngân hàng không hợp lệ"),
    "invalid_payment": (INV, "khoản nộp không hợp lệ"),
    "payment_not_allowed": (CFL, "chưa thể yêu cầu nộp phí ở trạng thái hiện tại của hồ sơ"),
    "payment_request_open": (CFL, "hồ sơ đang có yêu cầu nộp phí chưa thanh toán"),
    "already_paid": (CFL, "hồ sơ đã nộp phí, lệ phí"),
    "nothing_to_pay": (CFL, "trường hợp này không phải nộp phí, lệ phí"),
    "reason_required": (INV, "cần ghi lý do"),
    "no_open_request": (CFL, "hồ sơ không có yêu cầu nộp phí đang chờ"),
    "duplicate_payment": (CFL, "giao dịch đã được ghi nhận trước đây"),
    "payment_not_found": (NFD, "không có khoản nộp này"),
    "already_refunded": (CFL, "khoản nộp đã được hoàn trả"),
    "receipt_not_found": (NFD, "không có biên lai này"),
    "receipt_cancelled": (CFL, "biên lai đã bị huỷ"),
    "fee_unpaid": (CFL, "chưa nộp phí, lệ phí nên chưa trả kết quả"),
    # reports and reconciliation
    "invalid_report": (INV, "yêu cầu báo cáo không hợp lệ"),
    "invalid_import_file": (INV, "tệp nhập có lỗi"),
    # dossiers posted by the national portal (integrations.inbound)
    "unknown_agency": (INV, "không có Bộ phận Một cửa mang mã đơn vị (madonvi) này"),
    "portal_code_conflict": (CFL, "mã hồ sơ trên Cổng DVCQG đã dùng cho một hồ sơ khác"),
    "portal_file_unavailable": (INV, "không tải được tệp từ Cổng DVCQG"),
    # satisfaction ratings (core.ratings)
    "invalid_rating": (INV, "đánh giá không hợp lệ (mức 1–5, tiêu chí 0–2)"),
    "not_returned": (CFL, "hồ sơ chưa trả kết quả nên chưa đánh giá được"),
    "rating_closed": (CFL, "đánh giá đã quá hạn sửa"),
    # feedback and petitions (core.feedback, workflow.feedback)
    "invalid_feedback": (INV, "phản ánh, kiến nghị không hợp lệ"),
    "feedback_empty": (INV, "phản ánh chưa có nội dung"),
    "invalid_sender": (INV, "thiếu họ tên hoặc cách liên hệ của người gửi"),
    "invalid_assignee": (INV, "người được giao không phải cán bộ của xã"),
    "feedback_state": (CFL, "bước xử lý không làm được ở trạng thái hiện tại của phản ánh"),
    "personal_data": (INV, "nội dung công khai còn thông tin cá nhân"),
    # the duty roster (core.roster, roster.actions)
    "invalid_shift": (INV, "ca trực không hợp lệ (người trực, quầy, ngày, buổi)"),
    # queue numbers (core.queue, queue.actions)
    "invalid_ticket": (INV, "số thứ tự không hợp lệ"),
    "queue_empty": (CFL, "không còn ai chờ, hoặc không đang phục vụ số nào"),
    # the national portal's connector (DVCQG)
    "invalid_portal_code": (INV, "mã trên Cổng DVCQG không hợp lệ hoặc đã dùng"),
}


class DomainError(Exception):
    """Something a user asked for that cannot be done, said in Vietnamese.

    ``code`` is one of :data:`CODES`; ``kind`` defaults to that code's kind.
    """

    default_code = "invalid"

    def __init__(self, message: str, code: str | None = None, kind: Kind | str | None = None):
        super().__init__(message)
        self.message = message
        self.code = code or self.default_code
        if kind is not None:
            self.kind = Kind(kind)
        else:
            self.kind = CODES.get(self.code, CODES[self.default_code])[0]

    @property
    def status(self) -> int:
        return HTTP_STATUS[self.kind]

    def as_json(self) -> dict[str, str]:
        return {"detail": self.message, "code": self.code}


class AccessError(DomainError):
    """Not allowed to see or change this (unit scoping, roles)."""

    default_code = "forbidden"


class DossierError(DomainError):
    """A request about a dossier that cannot be carried out."""


class DocumentError(DomainError):
    """A file, a result, a certificate or a signature that cannot be used."""


class UnitError(DomainError):
    """A unit, desk or calendar request that cannot be carried out."""


class CatalogError(DomainError):
    """A catalogue request that cannot be carried out."""


class ReportError(DomainError):
    """A report or reconciliation request that cannot be carried out."""

    default_code = "invalid_report"
