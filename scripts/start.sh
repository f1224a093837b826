#!/usr/bin/env bash
# Set up what is missing, then start gvcommand on its embedded SQLite demo.
#
# Usage: scripts/start.sh [gvcommand args…]
#   Arguments are passed on to `gvcommand --demo`.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

bash "$ROOT/scripts/setup.sh"

if [[ -z "${DISPLAY:-}" && -z "${WAYLAND_DISPLAY:-}" && -z "${QT_QPA_PLATFORM:-}" ]]; then
  cat >&2 <<'EOF'
==> start: no DISPLAY or WAYLAND_DISPLAY is set: gvcommand is a desktop application and
           needs a graphical session to show its window. On a headless machine run it as
             xvfb-run -a scripts/start.sh        (apt-get install xvfb)
           or, for a windowless smoke run,
             QT_QPA_PLATFORM=offscreen scripts/start.sh
==> start: trying anyway…
EOF
fi

echo "==> start: gvcommand --demo $*" >&2
exec "$ROOT/.venv/bin/gvcommand" --demo "$@"
