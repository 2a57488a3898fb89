#!/usr/bin/env bash
# Runs the editor under a virtual X server and saves screenshots of its main screens into
# docs/screenshots/ (the README shows one). Needs: xvfb imagemagick xauth libgl1 libegl1
# libgl1-mesa-dri (Mesa's llvmpipe renders without a GPU), xdotool for the interactions.
#
#   scripts/screenshot.sh [SAMPLE.json]      (default: the first file in samples/)
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=docs/screenshots
mkdir -p "$OUT"
SAMPLE=${1:-samples/coffee-shop.json}
if [ -z "$SAMPLE" ]; then
  echo "no sample given and none in samples/" >&2
  exit 1
fi
cargo build --quiet
BIN=target/debug/stagecraft
DISP=:${SCREENSHOT_DISPLAY:-97}
export XDG_RUNTIME_DIR=$(mktemp -d)
chmod 700 "$XDG_RUNTIME_DIR"
# A private config dir so the user's recent files neither leak into nor change with shots.
export XDG_CONFIG_HOME=$(mktemp -d)
Xvfb "$DISP" -screen 0 1440x900x24 -nolisten tcp >/dev/null 2>&1 &
XVFB=$!
APP=
cleanup() {
  [ -n "$APP" ] && kill "$APP" 2>/dev/null || true
  kill "$XVFB" 2>/dev/null || true
}
trap cleanup EXIT
export DISPLAY=$DISP
sleep 1

shot() { # shot NAME: waits for the app to settle, then grabs the screen
  sleep "${2:-4}"
  import -window root "$OUT/$1.png"
  echo "saved $OUT/$1.png"
}

# 1. Start screen.
"$BIN" & APP=$!
shot start
kill "$APP"; wait "$APP" 2>/dev/null || true

# 2. A card selected, 3. the dark look, 4. the sample open with the report (nothing selected).
STAGECRAFT_SELECT=first "$BIN" "$SAMPLE" & APP=$!
shot inspector-selection 5
kill "$APP"; wait "$APP" 2>/dev/null || true

STAGECRAFT_DARK=1 STAGECRAFT_SELECT=first "$BIN" "$SAMPLE" & APP=$!
shot dark 5
kill "$APP"; wait "$APP" 2>/dev/null || true

"$BIN" "$SAMPLE" & APP=$!
shot sample-open 5
cp "$OUT/sample-open.png" "$OUT/inspector-report.png"
kill "$APP"; wait "$APP" 2>/dev/null || true

# 5. The side panels hidden (View → Side panels, Ctrl+\): the journey fits the window.
STAGECRAFT_HIDE_PANELS=1 "$BIN" "$SAMPLE" & APP=$!
shot panels-hidden 5
kill "$APP"; wait "$APP" 2>/dev/null || true
APP=
