#!/usr/bin/env bash
# Runs the editor under a virtual X server and saves screenshots of its main screens into
# docs/screenshots/ (the README shows one). Needs: xvfb imagemagick xauth libgl1 libegl1
# libgl1-mesa-dri (Mesa's llvmpipe renders without a GPU), xdotool for the interactions.
# Each sample's opening view is shot at 1600×1000 and 1024×700 (open-<sample>-<width>.png).
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
cargo build --release --quiet
BIN=target/release/stagecraft
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

# 6. Each sample's opening view at two window sizes: a screen that size, the window
# resized to fill it (there is no window manager to do it).
kill "$XVFB" 2>/dev/null || true
wait "$XVFB" 2>/dev/null || true
for size in 1600x1000 1024x700; do
  Xvfb "$DISP" -screen 0 "${size}x24" -nolisten tcp >/dev/null 2>&1 &
  XVFB=$!
  sleep 1
  for sample in samples/*.json; do
    name=$(basename "$sample" .json)
    "$BIN" "$sample" & APP=$!
    wid=$(xdotool search --sync --onlyvisible --pid "$APP" | tail -1)
    xdotool windowmove "$wid" 0 0 windowsize "$wid" "${size%x*}" "${size#*x}"
    shot "open-$name-${size%x*}" 5
    kill "$APP"; wait "$APP" 2>/dev/null || true
    APP=
  done
  kill "$XVFB"; wait "$XVFB" 2>/dev/null || true
done
