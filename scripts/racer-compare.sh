#!/usr/bin/env bash
# racer-compare.sh — issue #12's comparison on the vector racer: Hebbian
# (ABCD_lr) and static networks evolved from scratch with the SAME protocol
# (R-H8 in docs/adaptation.md: the traction observation, gas and brake
# clipped to [0, 1], every candidate meeting healthy, oil, engine and
# steering episodes) and the SAME number of environment steps
# (--step-budget), on SEEDS training seeds each; then every file through the
# perturbation suite on the 100 evaluation tracks, and mean ± std across
# seeds. Resumable: run it again with a larger BUDGET to go on.
#   SEEDS ("1 2 3"), BUDGET (environment steps per run, 40000000),
#   WORKERS (1), HEBB (bin/hebb), OUT (runs/racer-compare),
#   OBS (traction; pixels is R-H10), LR (the ES learning rate, 0.2),
#   EARLY (the training early stop, neg:100; R-H13 in docs/adaptation.md)
# The pixel comparison (R-H10 in docs/adaptation.md):
#   OBS=pixels LR=0.6 SEEDS="1 2" BUDGET=30000000 OUT=runs/racer-pixels-compare scripts/racer-compare.sh
set -euo pipefail
out=${OUT:-runs/racer-compare}
SEEDS=${SEEDS:-1 2 3} BUDGET=${BUDGET:-40000000} WORKERS=${WORKERS:-1}
OBS=${OBS:-traction} LR=${LR:-0.2} EARLY=${EARLY:-neg:100}
source "$(dirname "$0")/equal-budget.sh"
equal_budget "$out" "--suite perturb --at 200" -- --env racer --obs "$OBS" --output racer-clip \
	--pop 32 --episodes 4 --sigma 0.3 --lr "$LR" \
	--damage-plan none,car:oil,car:engine,car:steering --damage-kinds oil,engine,steering \
	--damage-steps 100:400 --early-stop "$EARLY"
# Healthy return and kept share per perturbation: mean ± std across seeds.
for rule in ABCD_lr static; do
	jq -rs --arg r "$rule" '
		def ms(xs): (xs|add/length) as $m | [$m, ((xs|map((.-$m)*(.-$m))|add/length)|sqrt)];
		. as $all
		| ms(map(.healthy_return_mean)) as $h
		| "\($r): healthy \($h[0]*10|round/10) ± \($h[1]*10|round/10)"
		  + ([$all[0].cases[].kind] | map(. as $k | ms([$all[] | .cases[] | select(.kind==$k) | .kept])
		      | "; \($k) kept \(.[0]*100|round) ± \(.[1]*100|round) %") | add)
		  + " (\($all|length) seeds)"' "$out"/$rule-s*/suite.json
done
