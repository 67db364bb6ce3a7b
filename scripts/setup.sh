#!/usr/bin/env bash
# Install what MộtCửa needs on a fresh Debian/Ubuntu machine, skipping what is already there.
#   scripts/setup.sh          the packages to run the system (PDFs, fonts, OCR)
#   scripts/setup.sh --test   also what the tests need (Chromium, poppler, NSS tools)
#   scripts/setup.sh --bench  also what the load benchmarks need (wrk, the HTTP load client)
#   scripts/setup.sh --deploy also nginx, for the production set-up's check (make deploy-check)
# Python packages come from requirements.lock (name==version lines) into .venv.
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=0
want_bench=0
want_deploy=0
for arg in "$@"; do
  case "$arg" in
    --test) want_test=1; want_deploy=1 ;;
    --bench) want_bench=1 ;;
    --deploy) want_deploy=1 ;;
  esac
done

# fonts-liberation2, not fonts-liberation: Liberation 1.x has no ư, ơ, ạ, ế… and WeasyPrint
# would draw those letters in DejaVu, another typeface, in the middle of a word.
debs=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b fonts-dejavu-core fonts-liberation2)
# OCR of scans (optional at run time: without it files are stored, not searchable by content);
# the tests run the real ocrmypdf with Debian's Vietnamese model.
debs+=(ocrmypdf tesseract-ocr-vie)
[ "$want_test" = 1 ] && debs+=(chromium poppler-utils libnss3-tools)
# LibreOffice (without its GUI) opens the DOCX reports in the tests: a second reader, not ours.
[ "$want_test" = 1 ] && debs+=(libreoffice-writer-nogui)
[ "$want_bench" = 1 ] && debs+=(wrk)
# nginx in front, as deploy/ ships it; the tests run deploy/check.py through it.
[ "$want_deploy" = 1 ] && debs+=(nginx)

missing=()
for pkg in "${debs[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "==> Cài gói hệ thống còn thiếu: ${missing[*]}"
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -q || true
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "==> Tạo môi trường ảo .venv"
  "$python" -m venv .venv
fi
stamp=".venv/.motcua-installed"
lock_sum=$(cat requirements.lock pyproject.toml | sha256sum | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$lock_sum" ]; then
  echo "==> Cài gói Python theo requirements.lock"
  .venv/bin/python -m pip install -q --disable-pip-version-check -r requirements.lock
  .venv/bin/python -m pip install -q --disable-pip-version-check --no-deps -e .
  echo "$lock_sum" > "$stamp"
fi
