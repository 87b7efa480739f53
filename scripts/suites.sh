#!/usr/bin/env bash
# suites.sh — the robustness suites of every bundled rule file on the 100
# evaluation worlds (seeds 1,000,000,000 …), as JSON in docs/results/suites/,
# plus the plasticity ablation of the app's default walker. docs/results.md
# shows them with scripts/suite-table.sh.
set -euo pipefail
hebb=${HEBB:-bin/hebb}
out=${OUT:-docs/results/suites}
eps=${EPISODES:-100}
mkdir -p "$out"
run() { # NAME ARGS…
	local name=$1
	shift
	echo "hebb eval $* --episodes $eps --json" >"$out/$name.cmd"
	$hebb eval "$@" --episodes "$eps" --json >"$out/$name.json.tmp" && mv "$out/$name.json.tmp" "$out/$name.json"
}
for f in quadruped-hebbian quadruped-static; do
	run "$f" --rules "$f" --suite damage --at 300
done
run quadruped-hebbian-frozen300 --rules quadruped-hebbian --suite damage --at 300 --freeze-at 300
for f in racer-hebbian-rays racer-static-rays racer-hebbian-traction racer-static-traction racer-hebbian-pixels racer-static-pixels racer-hebbian-pixels-paper racer-static-pixels-paper; do
	run "$f" --rules "$f" --suite perturb --at 200
done
