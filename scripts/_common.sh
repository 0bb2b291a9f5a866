# Shared by scripts/office.sh and scripts/test.sh: system libraries and the
# project's virtual environment. Sourced, not run.

say() { printf '%s\n' "$*" >&2; }

# WeasyPrint draws text with Pango; HarfBuzz's subsetter keeps PDFs small
# and fast (a one-page form in about 0.06 s instead of 0.2 s).
ensure_system_libraries() {
  local missing=()
  ldconfig -p 2>/dev/null | grep -q 'libpango-1.0.so.0' || missing+=(libpango-1.0-0)
  ldconfig -p 2>/dev/null | grep -q 'libpangoft2-1.0.so.0' || missing+=(libpangoft2-1.0-0)
  ldconfig -p 2>/dev/null | grep -q 'libharfbuzz-subset.so.0' || missing+=(libharfbuzz-subset0)
  [ ${#missing[@]} -eq 0 ] && return 0

  local apt=""
  if command -v apt-get >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ]; then apt="apt-get"
    elif command -v sudo >/dev/null 2>&1; then apt="sudo apt-get"; fi
  fi
  if [ -z "$apt" ]; then
    say "Thiếu thư viện hệ thống cho việc in PDF: ${missing[*]}."
    say "Hãy cài chúng (Debian/Ubuntu: apt-get install ${missing[*]}) rồi chạy lại."
    exit 1
  fi
  say "Cài thư viện hệ thống: ${missing[*]}"
  $apt update -qq
  DEBIAN_FRONTEND=noninteractive $apt install -y -qq "${missing[@]}" >/dev/null
}

find_python() {
  local candidate
  for candidate in "${PYTHON:-}" python3.13 python3.12 python3.11 python3; do
    [ -n "$candidate" ] || continue
    if command -v "$candidate" >/dev/null 2>&1 &&
       "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      printf '%s\n' "$candidate"
      return 0
    fi
  done
  say "Cần Python 3.11 trở lên (Debian/Ubuntu: apt-get install python3 python3-venv)."
  exit 1
}

# ensure_venv [--group dev]: make .venv and install the project into it,
# again only when pyproject.toml changed or a group is missing. An install
# with the dev group also serves the office, so that the office starts
# offline after the tests were set up, and the other way round.
ensure_venv() {
  local python stamp hash installed_hash installed_groups wanted_group=""
  [ "${1:-}" = "--group" ] && wanted_group="${2:-}"
  python=$(find_python)
  if [ ! -x .venv/bin/python ]; then
    say "Tạo môi trường Python riêng (.venv)…"
    if ! "$python" -m venv .venv; then
      say "Không tạo được .venv; trên Debian/Ubuntu hãy cài gói python3-venv."
      exit 1
    fi
  fi
  stamp=.venv/.xaso-installed
  hash=$(sha256sum pyproject.toml | cut -d' ' -f1)
  installed_hash=""; installed_groups=""
  if [ -f "$stamp" ]; then
    read -r installed_hash installed_groups < "$stamp" || true
  fi
  if [ "$installed_hash" = "$hash" ] &&
     { [ -z "$wanted_group" ] || [[ " $installed_groups " == *" $wanted_group "* ]]; }; then
    return 0
  fi

  say "Cài các thư viện của Xã Số (lần đầu mất vài phút)…"
  .venv/bin/python -m pip install --quiet --upgrade "pip>=25.1" ||
    say "Không nâng cấp được pip; dùng bản hiện có."
  if [ -n "$wanted_group" ]; then
    .venv/bin/python -m pip install --quiet -e . --group "$wanted_group"
    installed_groups="$wanted_group"
  else
    .venv/bin/python -m pip install --quiet -e .
    installed_groups=""
  fi
  printf '%s %s\n' "$hash" "$installed_groups" > "$stamp"
}
