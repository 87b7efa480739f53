#!/usr/bin/env bash
# results.sh prints the tables of docs/results.md: every number comes from
# the `hebb eval` command printed beside it, on evaluation seeds (from
# 1,000,000,000) that training never uses, each episode from fresh random
# weights.
#
#   scripts/results.sh quadruped HEBBIAN.npz STATIC.npz [EPISODES]
#   scripts/results.sh racer     HEBBIAN.npz STATIC.npz [EPISODES]
set -euo pipefail
cd "$(dirname "$0")/.."
HEBB=${HEBB:-bin/hebb}
env=$1 heb=$2 sta=$3 n=${4:-100}

# cell RULES ARGS… prints "mean ± std" of the measure the condition is about.
cell() {
	local rules=$1; shift
	"$HEBB" eval --rules "$rules" --episodes "$n" --json "$@" | python3 -c '
import json, sys
d = json.load(sys.stdin)
if "distance_after_mark_mean" in d:
    print("{:.1f} ± {:.1f} m".format(d["distance_after_mark_mean"], d["distance_after_mark_std"]))
elif "distance_mean" in d:
    print("{:.1f} ± {:.1f} m".format(d["distance_mean"], d["distance_std"]))
else:
    print("{:.0f} ± {:.0f} ({:.0f} % tiles)".format(d["return_mean"], d["return_std"], 100*d["tiles_frac_mean"]))
'
}

row() {
	local name=$1; shift
	local h s
	h=$(cell "$heb" "$@") s=$(cell "$sta" "$@")
	printf '| %s | %s | %s | `hebb eval --rules R --episodes %s %s` |\n' \
		"$name" "$h" "$s" "$n" "$*"
}

echo "| condition | Hebbian ($(basename "$heb")) | static ($(basename "$sta")) | command (R = the rule file) |"
echo "|---|---|---|---|"
case $env in
quadruped)
	row "healthy body" --morphology healthy
	row "FL shin ¼ from the start" --morphology FL-short
	row "BR shin ¼ from the start" --morphology BR-short
	row "BL shin ¼ from the start" --morphology BL-short
	row "healthy, distance over steps 300–1000" --mark 300
	row "BR shin ¼ at step 300, distance over steps 300–1000" --damage BR:shorten@300 --mark 300
	;;
racer)
	row "healthy car, unseen tracks"
	row "oil at step 200" --perturb oil@200
	row "engine ½ at step 200" --perturb engine@200
	row "bent steering at step 200" --perturb steering@200
	;;
*)
	echo "results.sh: unknown environment $env (quadruped or racer)" >&2
	exit 2
	;;
esac
