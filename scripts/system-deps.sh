#!/usr/bin/env bash
# System packages the tests need, installed only when missing (a fresh machine has none of them).
set -euo pipefail
need=()
command -v pg_dump >/dev/null 2>&1 || need+=(postgresql-client)
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
