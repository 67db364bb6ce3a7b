"""The FAKE bank: its notifications reach a loopback server in SePay's format, and its
statements read back through the statement import."""

from __future__ import annotations

import json
import threading
from datetime import date, datetime
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from motcua.core.bankhook import authorised, parse_notice
from motcua.core.statements import StatementLine, parse_statement, parse_statement_table
from motcua.payments import fake_bank
from motcua.payments.fake_bank import FakeTransfer, make_notice, send_notice, statement_csv
from motcua.tabular import read_table

KEY = "demo-key-123"


@pytest.fixture
def receiver():
    """A loopback HTTP server that keeps what it receives and answers like our endpoint."""
    received: list[tuple[str | None, bytes]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append((self.headers.get("Authorization"), body))
            ok = authorised(self.headers.get("Authorization"), KEY)
            answer = json.dumps({"success": ok}).encode()
            self.send_response(200 if ok else 401)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args):  # keep the test output quiet
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/notice", received
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_a_notice_arrives_authorised_and_parses_to_the_credit(receiver):
    url, received = receiver
    notice = make_notice(
        12_000,
        "MC 000.00.05.H56-261201-0003",
        at=datetime(2025, 3, 1, 9, 30, 5),
        reference="FAKE.0000000042",
        notice_id=42,
    )
    assert send_notice(url, KEY, notice) == (200, '{"success": true}')
    [(header, body)] = received
    assert header == "Apikey demo-key-123"
    credit = parse_notice(body)
    assert (credit.notice_id, credit.gateway, credit.amount, credit.reference) == (
        "42",
        "FakeBank",
        12_000,
        "FAKE.0000000042",
    )
    assert credit.booked_at == datetime(2025, 3, 1, 9, 30, 5)
    assert credit.content == "MC 000.00.05.H56-261201-0003"


def test_a_wrong_key_gets_the_servers_refusal(receiver):
    url, _received = receiver
    status, text = send_notice(url, "wrong", make_notice(1_000, "x"))
    assert (status, text) == (401, '{"success": false}')


def test_money_out_arrives_and_is_ignored(receiver):
    url, received = receiver
    send_notice(url, KEY, make_notice(5_000, "rut tien", transfer_type="out"))
    assert parse_notice(received[0][1]) is None


def test_the_command_line_sends_a_notice(receiver, capsys):
    url, received = receiver
    code = fake_bank.main(["--url", url, "--key", KEY, "--amount", "20000", "--content", "HS 1"])
    assert code == 0
    assert parse_notice(received[0][1]).amount == 20_000
    assert capsys.readouterr().out.startswith("FAKE bank: 200")


def test_only_http_urls_are_posted_to():
    with pytest.raises(ValueError, match="FAKE bank"):
        send_notice("file:///etc/passwd", KEY, make_notice(1, "x"))


TRANSFERS = [
    FakeTransfer(12_000, "MC 000.00.05.H56-261201-0003", datetime(2025, 3, 1, 8, 15, 2)),
    FakeTransfer(-50_000, "Phi dich vu", datetime(2025, 3, 1, 9, 0)),
    FakeTransfer(1_234_000, "chuyen tien, hoc phi", datetime(2025, 3, 2, 10, 0), "FT25061XYZ"),
]


def test_a_statement_reads_back_through_the_import(tmp_path):
    path = tmp_path / "saoke.csv"
    path.write_bytes(statement_csv(TRANSFERS, opening_balance=100_000))
    headers, rows = read_table(path)
    assert headers == [
        "Ngày giao dịch",
        "Số tham chiếu",
        "Số tiền ghi nợ",
        "Số tiền ghi có",
        "Số dư",
        "Mô tả",
    ]
    assert rows[1] == ["01/03/2025 09:00:00", "FAKE.000002", "50.000", "", "62.000", "Phi dich vu"]
    records = [dict(zip(headers, row, strict=True)) for row in rows]
    assert parse_statement(records) == [
        StatementLine(2, date(2025, 3, 1), 12_000, "MC 000.00.05.H56-261201-0003", "FAKE.000001"),
        StatementLine(4, date(2025, 3, 2), 1_234_000, "chuyen tien, hoc phi", "FT25061XYZ"),
    ]


def test_a_statement_with_title_rows_reads_back_with_the_files_row_numbers(tmp_path):
    path = tmp_path / "saoke.csv"
    path.write_bytes(statement_csv(TRANSFERS, title_rows=True))
    headers, rows = read_table(path)
    lines = parse_statement_table(headers, rows)
    assert [(x.row, x.amount) for x in lines] == [(5, 12_000), (7, 1_234_000)]
