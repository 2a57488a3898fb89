#!/usr/bin/env bash
# Two Stagecraft windows in one live room, side by side under a virtual X server, each
# showing the other's selection: the picture in README.md and docs/LIVE.md
# (docs/images/live-two-windows.png). Needs what scripts/screenshot.sh needs (xvfb
# imagemagick xauth libgl1 libegl1 libgl1-mesa-dri xdotool) and Node.js for the server.
#
#   scripts/live-screenshot.sh [OUT.png]
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-docs/images/live-two-windows.png}
cargo build --release --quiet --bin stagecraft
BIN=target/release/stagecraft
DISP=:${SCREENSHOT_DISPLAY:-96}
W=1920
H=1080
TMP=$(mktemp -d)
export XDG_RUNTIME_DIR="$TMP/run"
mkdir -m 700 "$XDG_RUNTIME_DIR"
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$TMP"
}
trap cleanup EXIT
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
scripts/sync-server --port "$PORT" --data "$TMP/rooms" >/dev/null 2>&1 &
PIDS+=($!)
for _ in $(seq 1 600); do
  (echo >/dev/tcp/127.0.0.1/"$PORT") 2>/dev/null && break
  sleep 0.5
done
ROOM="ws://127.0.0.1:$PORT/cafe-workshop"
"$BIN" push samples/coffee-shop.json "$ROOM" >/dev/null
Xvfb "$DISP" -screen 0 ${W}x${H}x24 -nolisten tcp >/dev/null 2>&1 &
PIDS+=($!)
sleep 2
export DISPLAY=$DISP
# Each window: its own settings, a name, the room, and a card selected once joined.
start() { # NAME CARD X
  mkdir -p "$TMP/$1"
  HOME="$TMP/$1" XDG_CONFIG_HOME="$TMP/$1/config" XDG_DATA_HOME="$TMP/$1/data" \
    STAGECRAFT_NAME="$1" STAGECRAFT_JOIN="$ROOM" STAGECRAFT_SELECT="$2" \
    "$BIN" >"$TMP/$1.log" 2>&1 &
  PIDS+=($!)
  local pid=$!
  local wid=
  for _ in $(seq 1 120); do
    wid=$(xdotool search --pid "$pid" --onlyvisible 2>/dev/null | head -1 || true)
    [ -n "$wid" ] && break
    sleep 0.5
  done
  [ -n "$wid" ] || { echo "no window for $1" >&2; cat "$TMP/$1.log" >&2; exit 1; }
  xdotool windowsize "$wid" $((W / 2)) "$H" windowmove "$wid" "$3" 0
}
start Ana reviews 0
start Ben queue $((W / 2))
# Software GL draws slowly; the windows need to join, lay out and exchange selections.
sleep "${SHOT_WAIT:-25}"
mkdir -p "$(dirname "$OUT")"
import -window root "$OUT"
echo "$OUT"
