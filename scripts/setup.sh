#!/usr/bin/env bash
# Prepare this checkout: Debian packages, .venv, the package itself, compiled translations.
# Idempotent; when everything is already in place it only checks and returns (well under 1 s).
#
# Usage: scripts/setup.sh [--dev]
#   --dev   also the test tools (the [dev] extra) and PostgreSQL (server + client)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

DEV=0
for arg in "$@"; do
  case "$arg" in
    --dev) DEV=1 ;;
    -h | --help)
      sed -n '2,7s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
      exit 0
      ;;
    *)
      echo "setup.sh: unknown argument: $arg (try --help)" >&2
      exit 2
      ;;
  esac
done

say() { printf '==> setup: %s\n' "$*" >&2; }
warn() { printf '==> setup: WARNING: %s\n' "$*" >&2; }
die() {
  printf '==> setup: ERROR: %s\n' "$*" >&2
  exit 1
}
now_us() { echo "${EPOCHREALTIME/[.,]/}"; }

T0="$(now_us)"
export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1

QT_PACKAGES=(
  libgl1 libegl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libfreetype6 libglib2.0-0
  libdbus-1-3 libx11-6 libx11-xcb1 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1
  libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 libxrender1
  libxi6 fonts-dejavu-core
)
# the camera wall: libVLC decoding (no recommends: no GUI), ffmpeg (RTSP relay where libVLC
# has no RTSP client, and the demo clips), GStreamer's RTSP server for the system python3
# (the demo's and the tests' loopback cameras: appsrc/clocksync, h264parse, rtph264pay)
VIDEO_PACKAGES=(
  libvlc5 vlc-plugin-base ffmpeg python3-gi gir1.2-gst-rtsp-server-1.0
  gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-bad
)
DEV_PACKAGES=(postgresql postgresql-client mosquitto wrk shellcheck)

# --- Debian packages ---------------------------------------------------------------------

# Prints those of the given packages that are not installed. Ubuntu 24.04 renamed some
# libraries with a "t64" suffix (libglib2.0-0t64): an installed t64 twin counts as present.
missing_packages() {
  command -v dpkg-query >/dev/null 2>&1 || return 0
  local -A present=()
  local name status pkg
  while read -r name status; do
    [[ ${status:1:1} == i ]] && present[$name]=1
  done < <(dpkg-query -W -f='${Package} ${db:Status-Abbrev}\n' "$@" "${@/%/t64}" 2>/dev/null || true)
  for pkg in "$@"; do
    [[ -n ${present[$pkg]:-} || -n ${present[${pkg}t64]:-} ]] || printf '%s\n' "$pkg"
  done
}

APT_UPDATED=0
SUDO=()
apt_get() {
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -qq -o Dpkg::Use-Pty=0 \
    -o DPkg::Lock::Timeout=300 "$@"
}

# Installs the given packages, running apt-get update once per run. A package this
# distribution lacks is reported, not fatal: whatever needs it fails later, and loudly.
apt_install() {
  (($# > 0)) || return 0
  if ! command -v apt-get >/dev/null 2>&1; then
    warn "no apt-get here; install these yourself: $*"
    return 0
  fi
  if ((EUID != 0)) && ((${#SUDO[@]} == 0)); then
    if ! command -v sudo >/dev/null 2>&1; then
      warn "not root and no sudo; as root, run: apt-get install --no-install-recommends $*"
      return 0
    fi
    SUDO=(sudo)
    [[ -t 0 ]] || SUDO+=(-n) # no terminal (CI): never wait for a password prompt
  fi
  if ((APT_UPDATED == 0)); then
    say "apt-get update"
    apt_get update || warn "apt-get update failed; trying with the current package lists"
    APT_UPDATED=1
  fi
  say "installing Debian packages: $*"
  if ! apt_get install -y --no-install-recommends "$@" >/dev/null; then
    warn "installing them together failed; trying one by one"
    local pkg failed=()
    for pkg in "$@"; do
      apt_get install -y --no-install-recommends "$pkg" >/dev/null 2>&1 || failed+=("$pkg")
    done
    ((${#failed[@]} == 0)) || warn "could not install: ${failed[*]}"
  fi
}

wanted=("${QT_PACKAGES[@]}" "${VIDEO_PACKAGES[@]}")
((DEV == 0)) || wanted+=("${DEV_PACKAGES[@]}")
mapfile -t missing < <(missing_packages "${wanted[@]}")
if ((${#missing[@]} > 0)); then
  apt_install "${missing[@]}"
fi

# --- Python and the virtual environment ----------------------------------------------------

python_ok() { # $1: interpreter; true when it runs and is >= 3.11
  "$1" -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1
}

find_python() { # sets PY
  local candidate
  for candidate in python3 python3.11; do
    if command -v "$candidate" >/dev/null 2>&1 && python_ok "$candidate"; then
      PY="$(command -v "$candidate")"
      return 0
    fi
  done
  return 1
}

VENV="$ROOT/.venv"
STAMP="$VENV/.gvcommand-setup-stamp"

if ! python_ok "$VENV/bin/python"; then
  PY=""
  if ! find_python; then
    say "no python3 >= 3.11 found; trying the distribution's python3"
    apt_install python3 python3-venv
    find_python || apt_install python3.11 python3.11-venv
    find_python || die "need python3 >= 3.11 (python3 or python3.11 on PATH)"
  fi
  if ! "$PY" -c 'import ensurepip, venv' >/dev/null 2>&1; then
    if [[ "$(basename "$PY")" == python3.11 ]]; then
      apt_install python3.11-venv
    else
      apt_install python3-venv
    fi
    "$PY" -c 'import ensurepip, venv' >/dev/null 2>&1 ||
      die "$PY has no working venv module (Debian/Ubuntu: apt-get install python3-venv)"
  fi
  if [[ -e "$VENV" ]]; then
    say "recreating .venv (its python is missing or older than 3.11)"
    "$PY" -m venv --clear "$VENV"
  else
    say "creating .venv with $PY ($("$PY" -V 2>&1))"
    "$PY" -m venv "$VENV"
  fi
  rm -f "$STAMP"
fi

# --- the package and its dependencies ------------------------------------------------------

# The stamp holds "<sha256 of pyproject.toml> <dev|base>": a dev install also satisfies base.
want_sha="$(sha256sum pyproject.toml)"
want_sha="${want_sha%% *}"
stamp_sha="" stamp_mode=""
if [[ -r "$STAMP" ]]; then
  read -r stamp_sha stamp_mode <"$STAMP" || true
fi

installed=1
[[ "$stamp_sha" == "$want_sha" ]] || installed=0
((DEV == 0)) || [[ "$stamp_mode" == dev ]] || installed=0
[[ -x "$VENV/bin/gvcommand" ]] || installed=0
((DEV == 0)) || [[ -x "$VENV/bin/pytest" ]] || installed=0

if ((installed == 0)); then
  if ((DEV == 1)); then mode=dev target=".[dev]"; else mode=base target="."; fi
  say "upgrading pip"
  "$VENV/bin/python" -m pip install -q --upgrade pip
  say "pip install -e '$target' (the first time this downloads everything, about a minute)"
  "$VENV/bin/python" -m pip install -q -e "$target"
  printf '%s %s\n' "$want_sha" "$mode" >"$STAMP.tmp"
  mv -f "$STAMP.tmp" "$STAMP"
fi

# --- video clips ------------------------------------------------------------------------------

# the demo cameras' and the video tests' short H.264 clips: generated (never committed) into
# the user cache directory or $GVCOMMAND_CLIPS_DIR; only the missing ones are made (~10 s)
if command -v ffmpeg >/dev/null 2>&1; then
  "$VENV/bin/python" -m gvcommand.video.clips >/dev/null ||
    warn "could not make the video clips (python -m gvcommand.video.clips says why)"
else
  warn "no ffmpeg: the demo cameras have no clips to play"
fi

# --- translations ----------------------------------------------------------------------------

shopt -s nullglob
for ts in resources/translations/*.ts; do
  qm="${ts%.ts}.qm"
  if [[ ! -e "$qm" || "$ts" -nt "$qm" ]]; then
    say "lrelease $ts"
    "$VENV/bin/pyside6-lrelease" -silent "$ts" -qm "$qm"
  fi
done
shopt -u nullglob

elapsed_ms=$((($(now_us) - T0) / 1000))
say "ready ($([[ $DEV == 1 ]] && echo dev || echo base), ${elapsed_ms} ms)"
