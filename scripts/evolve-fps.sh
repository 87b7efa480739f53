#!/bin/sh
# evolve-fps.sh: the window's frame rate while the Evolve mode evolves
# (default settings: pop 64, healthy quadruped), under Xvfb, beside the
# empty-frame floor (DESIGN.md §6) and the load of the machine.
#
#   xvfb-run -a -s "-screen 0 1280x720x24" scripts/evolve-fps.sh [SECONDS] [BIN]
#
# Last lines: fps_median_evolving=NN, fps_median_not_evolving=NN (the same
# view, no run), fps_median_empty=NN, ratio=R (evolving ÷ empty).
set -eu
secs=${1:-30}
bin=${2:-bin/hebbsim}
cfg=$(mktemp -d)
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$cfg"' EXIT
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
empty=$(HEBBSIM_CONFIG_DIR=$cfg/empty HEBBSIM_EMPTY_FRAME=1 "$bin" --fps-test 15s --width 1280 --height 720 | sed -n 's/^fps_median=//p')
idle=$(HEBBSIM_CONFIG_DIR=$cfg/idle "$bin" --fps-test 15s --width 1280 --height 720 --scene quadruped --speed 3 | sed -n 's/^fps_median=//p')
HEBBSIM_CONFIG_DIR=$cfg/app "$bin" --state-file "$cfg/state.json" --width 1280 --height 720 --scene quadruped --speed 3 >"$cfg/app.log" 2>&1 &
pid=$!
i=0
while [ ! -s "$cfg/state.json" ] && [ $i -lt 120 ]; do sleep 0.5; i=$((i + 1)); done
wid=$(xdotool search --sync --pid $pid | head -1)
xdotool windowmove "$wid" 0 0 windowfocus "$wid"
# press KEY until the state file shows PATTERN (keys are lost while the
# window is still getting focus)
press() {
	for try in 1 2 3; do
		xdotool keydown --window "$wid" "$1"; sleep 0.1; xdotool keyup --window "$wid" "$1"
		j=0
		while [ $j -lt 20 ]; do
			grep -q "$2" "$cfg/state.json" && return 0
			sleep 0.5; j=$((j + 1))
		done
	done
	echo "evolve-fps: key $1 did not give $2" >&2
	exit 1
}
press e '"evolve_on": true'
press p '"evo_state": "running"'
sleep 5 # warm-up
: >"$cfg/fps"
i=0
while [ $i -lt "$secs" ]; do
	sed -n 's/^ *"fps": \([0-9.]*\),*$/\1/p' "$cfg/state.json" >>"$cfg/fps"
	sleep 1
	i=$((i + 1))
done
gen=$(sed -n 's/^ *"evo_gen": \([0-9]*\),*$/\1/p' "$cfg/state.json")
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg); $gen generations evolved meanwhile"
med=$(sort -n "$cfg/fps" | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}')
echo "fps_median_evolving=$med"
echo "fps_median_not_evolving=$idle"
echo "fps_median_empty=$empty"
awk -v a="$med" -v b="$empty" 'BEGIN {printf "ratio=%.2f\n", a/b}'
