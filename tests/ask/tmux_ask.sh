#!/usr/bin/env bash
# `subsidy ask` under a real terminal: tmux runs it in a pseudo-terminal (so standard input is a
# terminal and answers are not echoed by the tool), keys are typed into it, and the screen and
# the written profile are checked. Exit 77 (skipped) when tmux is not installed.
#
# usage: tmux_ask.sh SUBSIDY_BINARY
set -euo pipefail
command -v tmux >/dev/null || { echo "tmux not installed: skipped"; exit 77; }
bin=$(realpath "$1")
tmp=$(mktemp -d)
sock="subsidy-ask-test-$$"  # a server of our own: other tmux sessions are left alone
cleanup() { tmux -L "$sock" kill-server 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT

screen() { tmux -L "$sock" capture-pane -p -J -S -200 -t ask; }
# Waits until the screen shows $1 at least $2 times (default 1).
wait_for() {
  for _ in $(seq 1 100); do
    [ "$(screen | grep -c -F -- "$1")" -ge "${2:-1}" ] && return 0
    sleep 0.1
  done
  echo "FAIL: the screen never showed '$1' ${2:-1} time(s):"; screen; exit 1
}

tmux -L "$sock" new-session -d -s ask -x 160 -y 50 \
  "cd '$tmp' && SUBSIDY_LANG=en '$bin' ask --region 330802 --form enterprise -o p.json; echo \"EXIT=\$?\"; sleep 60"
wait_for "[1] "
tmux -L "$sock" send-keys -t ask "?" Enter
wait_for "asked for by:"
tmux -L "$sock" send-keys -t ask "many" Enter      # not an answer to any question: explained
wait_for '"many"'
tmux -L "$sock" send-keys -t ask "" Enter          # skipped
wait_for "eligible so far:" 2
wait_for "[2] "
tmux -L "$sock" send-keys -t ask "" Enter
wait_for "eligible so far:" 3
wait_for "[3] "
tmux -L "$sock" send-keys -t ask C-d
wait_for "EXIT="
out=$(screen)
grep -q -F "EXIT=0" <<<"$out" || { echo "FAIL: exit code"; echo "$out"; exit 1; }
grep -q -F "Profile written to p.json" <<<"$out" || { echo "FAIL: no profile written"; echo "$out"; exit 1; }
grep -q '"region": "330802"' "$tmp/p.json" || { echo "FAIL: p.json"; cat "$tmp/p.json"; exit 1; }
echo "ok: subsidy ask under a terminal"
