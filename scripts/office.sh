#!/usr/bin/env bash
# Set up and run the Xã Số office server on the embedded SQLite database.
#
#   scripts/office.sh --commune 8707      first run: become Phường Vĩnh Yên
#   scripts/office.sh                     later runs
#
# Environment: XASO_INSTANCE, XASO_DATABASE_URL (CONTRACT.md), XASO_HOST
# and XASO_PORT for the listening address (default 127.0.0.1:5000), and
# XASO_ADMIN_PASSWORD to create the first admin without a prompt.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/_common.sh

commune=""
while [ $# -gt 0 ]; do
  case "$1" in
    --commune) commune="${2:-}"; shift 2 ;;
    --commune=*) commune="${1#*=}"; shift ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) say "Tham số không hợp lệ: $1 (xem --help)"; exit 2 ;;
  esac
done

ensure_system_libraries
ensure_venv
flask() { .venv/bin/flask --app app "$@"; }

flask db upgrade >/dev/null 2>&1 || flask db upgrade
if [ -n "$commune" ]; then
  flask setup --commune "$commune"
elif ! flask office show >/dev/null 2>&1; then
  say "Máy này chưa được thiết lập cho xã/phường nào."
  say "Chạy lại với mã đơn vị, ví dụ: scripts/office.sh --commune 8707"
  say "Tra mã theo tên: .venv/bin/flask --app app setup --find \"vinh yen\""
  exit 2
fi

if [ -z "$(flask users list --role admin)" ]; then
  if [ -n "${XASO_ADMIN_PASSWORD:-}" ]; then
    printf '%s\n' "$XASO_ADMIN_PASSWORD" |
      flask users create "${XASO_ADMIN_USERNAME:-admin}" --role admin \
        --full-name "Quản trị hệ thống" --password-stdin
  elif [ -t 0 ]; then
    say "Chưa có tài khoản quản trị. Tạo tài khoản đầu tiên:"
    read -r -p "Tên đăng nhập [admin]: " admin_name
    flask users create "${admin_name:-admin}" --role admin --full-name "Quản trị hệ thống"
  else
    say "Chưa có tài khoản quản trị; tạo bằng lệnh:"
    say "  .venv/bin/flask --app app users create admin --role admin --password-stdin"
  fi
fi

exec .venv/bin/flask --app app serve --host "${XASO_HOST:-127.0.0.1}" --port "${XASO_PORT:-5000}"
