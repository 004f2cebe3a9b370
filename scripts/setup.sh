#!/usr/bin/env bash
# `npm run setup`: makes a fresh machine ready to build, serve and test the add-in.
# On Debian/Ubuntu it installs the system packages the tests and native modules need, when missing:
#   chromium         — the browser test drives Debian's Chromium (we never download a browser)
#   libxml2-utils    — xmllint, for offline manifest validation against Office's schemas
#   libsecret-1-dev, pkg-config — to build keytar (used by Microsoft's office-addin-debugging)
#   libreoffice-calc-nogui — the runner's tests open the xlsx files it writes in LibreOffice too
#   poppler-utils    — pdftotext, for the test that LibreOffice draws the native charts (PDF text)
#   python3-openpyxl — an independent reader of the charts the runner writes (the chart tests)
#   postgresql       — the SQL tests run the generated SQL on a throw-away PostgreSQL server (initdb in
#                      a temporary folder, Unix socket only; the Debian service is not needed)
# then installs the exact npm packages of package-lock.json (`npm ci`).
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
if [ "$(uname -s)" = "Linux" ]; then
  command -v chromium >/dev/null 2>&1 || [ -n "${IMC_CHROMIUM:-}" ] || missing+=(chromium)
  command -v xmllint >/dev/null 2>&1 || missing+=(libxml2-utils)
  command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
  pkg-config --exists libsecret-1 2>/dev/null || missing+=(libsecret-1-dev)
  command -v soffice >/dev/null 2>&1 || missing+=(libreoffice-calc-nogui)
  command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
  # The tests try the system Python (where Debian installs the package) before a python3 on PATH.
  /usr/bin/python3 -c "import openpyxl" >/dev/null 2>&1 || python3 -c "import openpyxl" >/dev/null 2>&1 || missing+=(python3-openpyxl)
  { ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && command -v psql >/dev/null 2>&1; } || [ -n "${PG_BIN:-}" ] || missing+=(postgresql)
fi

if [ "${#missing[@]}" -gt 0 ]; then
  if command -v apt-get >/dev/null 2>&1; then
    sudo=""
    if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
    echo "[setup] installing Debian packages: ${missing[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
  else
    echo "[setup] please install these packages with your system's package manager: ${missing[*]}" >&2
    exit 1
  fi
fi

echo "[setup] npm ci"
npm ci --no-audit --no-fund
echo "[setup] done"
