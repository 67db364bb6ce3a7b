"""Build motcua/catalog/data/procedures_demo.csv from the shared reference data (29 rows) and
the researched extra rows (procedures_extra.csv, if present). Run once when either changes:

    python3 scripts/build_demo_catalogue.py ../shared/data

Values not in the reference data (components, result, online level where the source is silent,
the province-wide receipt flag) are our reading of the law named in the row's note, marked
"chua_xac_minh" unless the reference row was verified.
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "motcua" / "catalog" / "data"
HEADER = [
    "ma_tthc",
    "ten_tthc",
    "linh_vuc",
    "cap_thuc_hien",
    "co_quan_thuc_hien",
    "thoi_han",
    "don_vi_thoi_han",
    "phi_le_phi",
    "muc_do_dvc",
    "phi_dia_gioi",
    "thanh_phan_ho_so",
    "ghi_chu_phi",
    "ket_qua",
    "do_tin_cay",
    "ghi_chu",
    "nguon",
    "he_thong_cap_ket_qua",
    "loai_phi",
    "cach_tinh_phi",
    "bac_phi_theo_trang",
    "phi_toi_da_moi_ban",
    "phi_truc_tuyen",
    "doi_tuong_mien_giam",
    "can_cu_phi",
    "ten_phi",
    "thoi_diem_thu_phi",
]
UBND = "Ủy ban nhân dân cấp xã"
# Civil-status results (Giấy khai sinh, Giấy chứng nhận kết hôn, trích lục, Giấy xác nhận tình
# trạng hôn nhân…) are printed and signed in the Ministry of Justice's shared civil-status
# software (Luật Hộ tịch 2014 Điều 5; TT 04/2020/TT-BTP), never drafted by the commune.
CIVIL_STATUS_SYSTEM = "Phần mềm đăng ký, quản lý hộ tịch điện tử dùng chung của Bộ Tư pháp"
NO_BORDER = (
    "Tiếp nhận không phụ thuộc địa giới hành chính trong tỉnh: NĐ 118/2025/NĐ-CP "
    "(TT PVHCC cấp xã nhận hồ sơ TTHC cấp xã trên toàn tỉnh)."
)

# Components and results: NĐ 23/2015/NĐ-CP (chứng thực, as amended by NĐ 280/2025/NĐ-CP),
# Luật Hộ tịch 2014 and NĐ 123/2015/NĐ-CP (hộ tịch). Short names, as a desk ticks them.
DETAILS = {
    "2.000815": (
        "Bản chính giấy tờ, văn bản làm cơ sở chứng thực bản sao;Bản sao cần chứng thực",
        "Bản sao được chứng thực từ bản chính",
    ),
    "2.000884": (
        "Giấy tờ tùy thân còn hiệu lực của người yêu cầu;Giấy tờ, văn bản sẽ ký",
        "Giấy tờ, văn bản được chứng thực chữ ký",
    ),
    "2.000908": (
        "Giấy tờ tùy thân của người yêu cầu;Giấy tờ chứng minh quyền yêu cầu cấp bản sao",
        "Bản sao từ sổ gốc",
    ),
    "2.000913": (
        "Dự thảo hợp đồng, giao dịch sửa đổi, bổ sung, hủy bỏ;Giấy tờ tùy thân của người yêu cầu",
        "Hợp đồng, giao dịch sửa đổi, bổ sung, hủy bỏ được chứng thực",
    ),
    "2.000927": (
        "Hợp đồng, giao dịch đã được chứng thực;Giấy tờ tùy thân của các bên",
        "Hợp đồng, giao dịch đã được sửa lỗi sai sót",
    ),
    "2.000942": (
        "Giấy tờ tùy thân của người yêu cầu;Giấy tờ chứng minh là bên tham gia giao dịch hoặc người có quyền yêu cầu",
        "Bản sao có chứng thực hợp đồng, giao dịch",
    ),
    "2.000992": (
        "Giấy tờ tùy thân của người dịch;Bản dịch kèm theo giấy tờ, văn bản cần dịch",
        "Bản dịch được chứng thực chữ ký người dịch",
    ),
    "2.001008": (
        "Giấy tờ tùy thân của người dịch;Bản dịch kèm theo giấy tờ, văn bản cần dịch;Bằng cử nhân ngoại ngữ hoặc tốt nghiệp đại học ở nước ngoài",
        "Bản dịch được chứng thực chữ ký người dịch",
    ),
    "2.001016": (
        "Dự thảo văn bản từ chối nhận di sản;Giấy tờ tùy thân của người yêu cầu",
        "Văn bản từ chối nhận di sản được chứng thực",
    ),
    "2.001019": (
        "Dự thảo di chúc;Giấy tờ tùy thân của người lập di chúc;Giấy tờ về tài sản (nếu có)",
        "Di chúc được chứng thực",
    ),
    "2.001035": (
        "Dự thảo hợp đồng, giao dịch;Giấy tờ tùy thân của các bên;Giấy chứng nhận quyền sở hữu, quyền sử dụng tài sản",
        "Hợp đồng, giao dịch được chứng thực",
    ),
    "2.001406": (
        "Dự thảo văn bản phân chia di sản;Giấy tờ tùy thân của người nhận di sản;Giấy chứng tử của người để lại di sản;Giấy tờ chứng minh quan hệ với người để lại di sản;Giấy chứng nhận quyền sở hữu, quyền sử dụng tài sản",
        "Văn bản phân chia di sản được chứng thực",
    ),
    "1.001193": (
        "Tờ khai đăng ký khai sinh theo mẫu;Giấy chứng sinh hoặc giấy tờ thay thế",
        "Giấy khai sinh (bản chính)",
    ),
    "1.000656": (
        "Tờ khai đăng ký khai tử theo mẫu;Giấy báo tử hoặc giấy tờ thay thế",
        "Trích lục khai tử (bản chính)",
    ),
    "1.000894": (
        "Tờ khai đăng ký kết hôn theo mẫu;Giấy xác nhận tình trạng hôn nhân (nếu đăng ký ở nơi không thường trú)",
        "Giấy chứng nhận kết hôn (bản chính)",
    ),
    "1.001022": (
        "Tờ khai đăng ký nhận cha, mẹ, con theo mẫu;Chứng cứ chứng minh quan hệ cha, mẹ, con",
        "Trích lục đăng ký nhận cha, mẹ, con",
    ),
    "1.000689": (
        "Tờ khai đăng ký khai sinh và nhận cha, mẹ, con theo mẫu;Giấy chứng sinh hoặc giấy tờ thay thế;Chứng cứ chứng minh quan hệ cha, mẹ, con",
        "Giấy khai sinh; Trích lục đăng ký nhận cha, mẹ, con",
    ),
    "1.004837": (
        "Tờ khai đăng ký giám hộ theo mẫu;Văn bản cử người giám hộ hoặc giấy tờ chứng minh điều kiện giám hộ đương nhiên",
        "Trích lục đăng ký giám hộ",
    ),
    "1.004845": (
        "Tờ khai đăng ký chấm dứt giám hộ theo mẫu;Giấy tờ chứng minh đủ điều kiện chấm dứt giám hộ",
        "Trích lục đăng ký chấm dứt giám hộ",
    ),
    "1.004859": (
        "Tờ khai theo mẫu;Giấy tờ làm căn cứ thay đổi, cải chính, bổ sung thông tin hộ tịch",
        "Trích lục thay đổi, cải chính, bổ sung thông tin hộ tịch",
    ),
    "1.004873": (
        "Tờ khai cấp Giấy xác nhận tình trạng hôn nhân theo mẫu;Giấy tờ chứng minh việc ly hôn hoặc người vợ/chồng đã chết (nếu có)",
        "Giấy xác nhận tình trạng hôn nhân",
    ),
    "1.004884": (
        "Tờ khai đăng ký lại khai sinh theo mẫu;Bản sao Giấy khai sinh hoặc giấy tờ có thông tin khai sinh (nếu có)",
        "Giấy khai sinh (bản chính)",
    ),
    "1.004772": (
        "Tờ khai đăng ký khai sinh theo mẫu;Hồ sơ, giấy tờ cá nhân có thông tin về khai sinh",
        "Giấy khai sinh (bản chính)",
    ),
    "1.004746": (
        "Tờ khai đăng ký lại kết hôn theo mẫu;Bản sao Giấy chứng nhận kết hôn đã cấp (nếu có)",
        "Giấy chứng nhận kết hôn (bản chính)",
    ),
    "1.005461": (
        "Tờ khai đăng ký lại khai tử theo mẫu;Bản sao giấy tờ liên quan đến việc khai tử (nếu có)",
        "Trích lục khai tử (bản chính)",
    ),
    "2.000635": (
        "Tờ khai cấp bản sao trích lục hộ tịch theo mẫu;Giấy tờ tùy thân của người yêu cầu",
        "Bản sao trích lục hộ tịch, bản sao Giấy khai sinh",
    ),
    "1.003583": (
        "Tờ khai đăng ký khai sinh theo mẫu;Giấy chứng sinh hoặc giấy tờ thay thế",
        "Giấy khai sinh (bản chính)",
    ),
    "1.000419": (
        "Tờ khai đăng ký khai tử theo mẫu;Giấy báo tử hoặc giấy tờ thay thế",
        "Trích lục khai tử (bản chính)",
    ),
    "1.000593": (
        "Tờ khai đăng ký kết hôn theo mẫu;Giấy xác nhận tình trạng hôn nhân (nếu cần)",
        "Giấy chứng nhận kết hôn (bản chính)",
    ),
}
# Fee rules (docs/catalogue.md "Phí, lệ phí"; sources in procedures_demo.NOTES.md).
# Chứng thực: national amounts, TT 226/2016/TT-BTC Điều 4.
TT226 = "Thông tư 226/2016/TT-BTC, Điều 4"
BY_PAGE = {
    "loai_phi": "phí",
    "cach_tinh_phi": "theo trang",
    "phi_le_phi": 2000,
    "bac_phi_theo_trang": "1-2: 2000; 3-: 1000",
    "phi_toi_da_moi_ban": 200000,
    "can_cu_phi": TT226,
    "ten_phi": "Phí chứng thực",
    # a certification is asked for and done the same day: its fee is paid at reception
    "thoi_diem_thu_phi": "khi tiếp nhận",
}


def certification(amount: int) -> dict:
    return {
        "loai_phi": "phí",
        "cach_tinh_phi": "theo hồ sơ",
        "phi_le_phi": amount,
        "can_cu_phi": TT226,
        "ten_phi": "Phí chứng thực",
        "thoi_diem_thu_phi": "khi tiếp nhận",
    }


# Hộ tịch: each province's People's Council sets the amounts (TT 85/2019/TT-BTC); the demo
# uses Hải Phòng's: NQ 12/2018/NQ-HĐND Phụ lục 04 điểm a (amounts at the commune), NQ
# 16/2023/NQ-HĐND (who is exempt, and the cases that are free), NQ 23/2026/NQ-HĐND (0 đồng
# online from 08/8/2026).
HP_AMOUNTS = "NQ 12/2018/NQ-HĐND TP Hải Phòng, Phụ lục 04 (sửa đổi bởi NQ 16/2023/NQ-HĐND)"
HP_EXEMPT = "NQ 16/2023/NQ-HĐND TP Hải Phòng"
HP_ONLINE = "NQ 23/2026/NQ-HĐND TP Hải Phòng: 0 đồng khi nộp trực tuyến"
HP_EXEMPTIONS = "; ".join(
    f"{who}: {HP_EXEMPT}"
    for who in (
        "trẻ em",
        "hộ nghèo",
        "người cao tuổi",
        "người khuyết tật",
        "người có công",
        "người dân tộc thiểu số",
    )
)
LATE = "Quá hạn: 8.000 đồng (Hải Phòng, NQ 12/2018/NQ-HĐND)."


def civil_status(amount: int, more: str = "") -> dict:
    return {
        "ghi_chu_phi": f"{amount:,} đồng/trường hợp: mức của Hải Phòng (NQ 12/2018/NQ-HĐND); "
        f"tỉnh khác theo Nghị quyết HĐND tỉnh.{more}".replace(",", "."),
        "loai_phi": "lệ phí",
        "cach_tinh_phi": "theo hồ sơ",
        "phi_le_phi": amount,
        "phi_truc_tuyen": "0%",
        "doi_tuong_mien_giam": HP_EXEMPTIONS,
        "can_cu_phi": f"{HP_AMOUNTS}; {HP_ONLINE}; TT 85/2019/TT-BTC",
        "ten_phi": "Lệ phí hộ tịch",
    }


def civil_status_free(note: str) -> dict:
    return {
        "cach_tinh_phi": "miễn",
        "phi_le_phi": 0,
        "ghi_chu_phi": note,
        "can_cu_phi": f"{HP_EXEMPT}; Luật Hộ tịch 2014, Điều 11",
    }


FEES = {
    "2.000815": BY_PAGE,
    "2.000942": BY_PAGE,
    "2.000884": certification(10000),
    "2.000992": certification(10000),
    "2.001008": certification(10000),
    "2.000913": certification(30000),
    "2.000927": certification(25000),
    "2.001016": certification(50000),
    "2.001019": certification(50000),
    "2.001035": certification(50000),
    "2.001406": certification(50000),
    "1.001193": civil_status_free(f"Miễn lệ phí khi đăng ký đúng hạn. {LATE}"),
    "1.003583": civil_status_free(f"Miễn lệ phí khi đăng ký đúng hạn. {LATE}"),
    "1.000656": civil_status_free(f"Miễn lệ phí khi đăng ký đúng hạn. {LATE}"),
    "1.000419": civil_status_free(f"Miễn lệ phí khi đăng ký đúng hạn. {LATE}"),
    "1.000894": civil_status_free("Miễn lệ phí (công dân Việt Nam cư trú trong nước)."),
    "1.000593": civil_status_free("Miễn lệ phí (công dân Việt Nam cư trú trong nước)."),
    "1.004837": civil_status_free("Miễn lệ phí."),
    "1.004845": civil_status_free("Miễn lệ phí."),
    "1.001022": civil_status(10000),
    "1.004859": civil_status(
        10000,
        " Mức 10.000 đồng là của người chưa đủ 14 tuổi và việc bổ sung hộ tịch; người từ đủ "
        "14 tuổi: chưa xác định mức ở cấp xã.",
    ),
    "1.004873": civil_status(5000),
    "1.004884": civil_status(8000),
    "1.004772": civil_status(8000),
    "1.005461": civil_status(8000),
    "1.004746": civil_status(30000),
    # a national fee (TT 281/2016/TT-BTC), per copy of the extract
    "2.000635": {
        "loai_phi": "phí",
        "cach_tinh_phi": "theo bản",
        "phi_le_phi": 8000,
        "ghi_chu_phi": "8.000 đồng/bản sao trích lục (Thông tư 281/2016/TT-BTC).",
        "can_cu_phi": "Thông tư 281/2016/TT-BTC",
        "ten_phi": "Phí cấp bản sao trích lục hộ tịch",
    },
}

# Where the reference data leaves the online level blank (hộ tịch): our reading; khai sinh and
# khai tử are offered fully online on the national portal, the others need the applicant present.
ONLINE_GUESS = {"1.001193": "toan_trinh", "1.000656": "toan_trinh", "2.000635": "toan_trinh"}


def capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def first_amount(text: str) -> int:
    if re.search(r"\b(miễn|không)\b", text.lower()) and not re.search(r"\d\.\d{3}", text):
        return 0
    match = re.search(r"(\d{1,3}(?:\.\d{3})+|\d+)\s*(?:đ|đồng)", text)
    return int(match.group(1).replace(".", "")) if match else 0


def shared_rows(shared: Path) -> list[dict]:
    sources = {
        r["code"]: r["source"]
        for r in csv.DictReader(
            (shared / "procedures-commune-2025.sources.csv").open(encoding="utf-8")
        )
    }
    rows = []
    for r in csv.DictReader((shared / "procedures-commune-2025.csv").open(encoding="utf-8")):
        if not r["processing_days"]:  # 2.001009, abolished in 11/2025
            continue
        code, verified = r["code"], r["field"] == "Chứng thực"
        components, result = DETAILS[code]
        online = r["online_level"] or ONLINE_GUESS.get(code, "mot_phan")
        notes = [NO_BORDER]
        if not r["online_level"]:
            notes.append(
                "Mức độ DVC trực tuyến: nguồn không ghi, đây là đánh giá của nhóm phát triển."
            )
        if not verified:
            notes.append(
                "Thời hạn đọc từ Luật Hộ tịch 2014, NĐ 123/2015; chưa đối chiếu quyết định "
                "công bố của tỉnh. Lệ phí do HĐND tỉnh quy định: bản mẫu dùng mức của Hải "
                "Phòng."
            )
        notes.append(
            "Thành phần hồ sơ: tóm tắt theo văn bản quy định, chưa đối chiếu quyết định công bố."
        )
        rows.append(
            {
                "ma_tthc": code,
                "ten_tthc": capitalise(re.sub(r"^Thủ tục ", "", r["name"]).strip()),
                "linh_vuc": r["field"],
                "cap_thuc_hien": "xa",
                "co_quan_thuc_hien": UBND,
                "thoi_han": r["processing_days"],
                "don_vi_thoi_han": "ngay_lam_viec",
                "phi_le_phi": first_amount(r["fee"]) if verified else 0,
                "muc_do_dvc": online,
                "phi_dia_gioi": 1,
                "thanh_phan_ho_so": components,
                "ghi_chu_phi": r["fee"],
                "ket_qua": result,
                "do_tin_cay": "xac_minh" if verified else "chua_xac_minh",
                "ghi_chu": " ".join(notes),
                "nguon": sources.get(code, ""),
            }
        )
    return rows


def main(shared: Path) -> None:
    rows = shared_rows(shared)
    extra = OUT / "procedures_extra.csv"
    if extra.exists():
        known = {r["ma_tthc"] for r in rows}
        rows += [
            r for r in csv.DictReader(extra.open(encoding="utf-8")) if r["ma_tthc"] not in known
        ]
    for row in rows:
        if row["linh_vuc"] == "Hộ tịch":
            row["he_thong_cap_ket_qua"] = CIVIL_STATUS_SYSTEM
        row.update(FEES.get(row["ma_tthc"], {}))
    with (OUT / "procedures_demo.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=HEADER, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    print(f"{len(rows)} procedures written")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data"))
