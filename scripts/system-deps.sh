#!/usr/bin/env bash
# System packages the tests need, installed only when missing (a fresh machine has none of them).
set -euo pipefail
need=()
command -v pg_dump >/dev/null 2>&1 || need+=(postgresql-client)
# The officer's PDF report: WeasyPrint lays out with Pango, Chinese text needs a CJK font, and the
# report tests read the PDF back with poppler (pdftoppm, pdftotext).
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
fc-list :lang=zh 2>/dev/null | grep -q . || need+=(fonts-noto-cjk)
ldconfig -p 2>/dev/null | grep -q 'libpango-1.0.so' || need+=(libpango-1.0-0)
ldconfig -p 2>/dev/null | grep -q 'libpangoft2-1.0.so' || need+=(libpangoft2-1.0-0)
# WeasyPrint subsets fonts with HarfBuzz and warns (an error under our pytest settings) without it.
ldconfig -p 2>/dev/null | grep -q 'libharfbuzz-subset.so' || need+=(libharfbuzz-subset0)
# The web pages are tested in Debian's Chromium (driven by Playwright; never a downloaded browser).
test -x /usr/bin/chromium || need+=(chromium)
# docker/compose.yaml is validated with `docker-compose config` (no Docker engine runs here).
command -v docker-compose >/dev/null 2>&1 || need+=(docker-compose)
if [ "${1:-}" = "bench" ]; then
  command -v wrk >/dev/null 2>&1 || need+=(wrk)
fi
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "system-deps: missing ${need[*]}; install them (needs root)" >&2
    exit 1
  fi
  echo "system-deps: installing ${need[*]}" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
