# MộtCửa — the two commands:
#   make run    run the system with demo data on the embedded SQLite database
#   make test   run the whole test suite (DATABASE_URL=postgres://… for PostgreSQL)
PORT ?= 8000
HOST ?= 127.0.0.1
VENV := .venv
MOTCUA := $(VENV)/bin/motcua
export MOTCUA_DATA_DIR ?= $(CURDIR)/data
# `make run DVCQG=fake`: the demo connected to a FAKE national portal on 127.0.0.1:8099
# (docs/portal.md), started beside the server by `motcua serve`.
ifeq ($(DVCQG),fake)
export MOTCUA_DVCQG_FAKE_PORT ?= 8099
export MOTCUA_DVCQG_URL ?= http://127.0.0.1:$(MOTCUA_DVCQG_FAKE_PORT)
export MOTCUA_DVCQG_USERNAME ?= motcua
export MOTCUA_DVCQG_PASSWORD ?= matkhau-gia
export MOTCUA_DVCQG_DSTCODE ?= FAKE
endif
# The demo's receipts are signed in the background with the demo seal (its passphrase: the demo password).
run: export MOTCUA_RECEIPT_PASSPHRASE ?= $(or $(MOTCUA_DEMO_PASSWORD),demo-motcua)
# The demo forces no second factor, so a visitor can try it without a phone (anyone may enrol on
# /tai-khoan/); a real server keeps the default, leaders, or sets all (docs/security.md §6).
run: export MOTCUA_REQUIRE_MFA ?= none

.PHONY: run test setup setup-test lint lock bench deploy-check

setup:
	@scripts/setup.sh

setup-test:
	@scripts/setup.sh --test

run: setup
	@$(MOTCUA) migrate --no-input -v 0
	@test -f "$(MOTCUA_DATA_DIR)/.demo-loaded" || ($(MOTCUA) load-demo && touch "$(MOTCUA_DATA_DIR)/.demo-loaded")
	@echo ""
	@echo "MộtCửa đang chạy tại http://$(HOST):$(PORT)/  (máy chủ web và tiến trình nền; Ctrl+C để dừng cả hai)"
	@echo "Tài khoản mẫu: chutich, phochutich, vanphong, tuphap1, tuphap2, vanhoa1, vanhoa2,"
	@echo "  diachinh1, diachinh2, taichinh, congan, quansu, tinh (tỉnh, chỉ xem), admin"
	@echo "  mật khẩu: $${MOTCUA_DEMO_PASSWORD:-demo-motcua}"
	@$(MOTCUA) serve --host $(HOST) --port $(PORT)

# The suite runs in parallel (pytest-xdist), one process per core, at most 4; each process has its
# own test database (test_<name>_gw0, …). TEST_WORKERS=0 runs it in one process.
TEST_WORKERS ?= $(shell n=$$(nproc 2>/dev/null || echo 2); [ "$$n" -gt 4 ] && n=4; echo $$n)

test: setup-test
	@$(VENV)/bin/pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

lint: setup
	@$(VENV)/bin/ruff check motcua tests bench deploy
	@$(VENV)/bin/ruff format --check motcua tests bench deploy

# Regenerate requirements.lock from pyproject.toml (name==version lines only, no index URLs).
lock:
	rm -rf .lock-venv && python3 -m venv .lock-venv
	.lock-venv/bin/pip install -q ".[dev]"
	.lock-venv/bin/pip freeze --exclude-editable | grep -v -i -E '^(motcua|-e |--)' > requirements.lock
	rm -rf .lock-venv

# The production set-up of deploy/ (gunicorn behind nginx with TLS) run here and checked
# through nginx: headers, cookies, redirects, the second factor, forwarded addresses.
deploy-check:
	@scripts/setup.sh --deploy
	@$(VENV)/bin/python deploy/check.py

bench:
	@scripts/setup.sh --bench
	@$(VENV)/bin/python bench/bench_calendar.py
