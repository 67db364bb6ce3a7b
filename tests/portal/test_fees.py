"""Fees said for citizens: the rule and the amount, never where the compiler read them."""

import pytest

from motcua.portal.fees import ASK, citizen_fee


@pytest.mark.parametrize(
    "fee, note, expected",
    [
        (0, "Không thu (DVCQG: mức thu 0).", "Miễn phí"),
        (0, "", "Miễn phí"),
        (0, "Phí, lệ phí: 0 (trang TTHC Quảng Thọ, Huế)", "Miễn phí"),
        (0, "Phí: Không; Lệ phí: Không", "Miễn phí"),
        (50000, "", "50.000 đồng"),
        (50000, "50.000 đồng/ giao dịch", "50.000 đồng/ giao dịch."),
        (
            0,
            "Miễn lệ phí nếu đăng ký đúng hạn (Luật Hộ tịch art.11); quá hạn: theo Nghị quyết "
            "HĐND tỉnh",
            "Miễn lệ phí nếu đăng ký đúng hạn (Điều 11 Luật Hộ tịch); quá hạn: theo Nghị quyết "
            "HĐND tỉnh.",
        ),
        (
            0,
            "Phí cấp bản sao trích lục: theo Thông tư Bộ Tài chính (8.000 đ/bản sao trích lục – "
            "verify)",
            "Phí cấp bản sao trích lục: theo Thông tư Bộ Tài chính (8.000 đ/bản sao trích lục).",
        ),
        (0, "Chưa đọc được mức phí", ASK),
        (0, "Không thấy mức phí công bố trong các trang đã đọc (ô Phí, lệ phí để trống)", ASK),
        (
            0,
            "Lệ phí do HĐND tỉnh quy định (TT 85/2019/TT-BTC); QĐ 2831/QĐ-UBND Hải Phòng ghi "
            "'Không quy định'. DVCQG nêu mức tham khảo 150.000 đồng.",
            "Lệ phí do HĐND tỉnh quy định (TT 85/2019/TT-BTC).",
        ),
        (
            2000,
            "2.000 đồng/trang; từ trang thứ 3 trở lên thu 1.000 đồng/trang. Trang là căn cứ",
            "2.000 đồng/trang; từ trang thứ 3 trở lên thu 1.000 đồng/trang. Trang là căn cứ.",
        ),
        (75000, "miễn cho hộ nghèo", "75.000 đồng. Miễn cho hộ nghèo."),
    ],
)
def test_citizen_fee(fee, note, expected):
    assert citizen_fee(fee, note) == expected
