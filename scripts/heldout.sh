#!/usr/bin/env bash
# heldout.sh — issue #11's held-out comparison: Hebbian (ABCD_lr) and static
# networks evolved with the SAME protocol and the SAME number of environment
# steps (--step-budget), on SEEDS training seeds each, with the back-right leg
# never damaged in training; then every file through the damage suite on the
# 100 evaluation worlds. The BR rows of the suite are the held-out test.
#   SEEDS ("1 2 3"), BUDGET (environment steps per run, 40000000),
#   WORKERS (2), HEBB (bin/hebb), OUT (runs/heldout)
set -euo pipefail
out=${OUT:-runs/heldout}
SEEDS=${SEEDS:-1 2 3} BUDGET=${BUDGET:-40000000} WORKERS=${WORKERS:-2}
source "$(dirname "$0")/equal-budget.sh"
equal_budget "$out" "--suite damage --at 300" -- --env quadruped --pop 64 --episodes 4 \
	--damage-plan none,FL,FR,BL --damage-legs FL,FR,BL \
	--damage-kinds shorten,amputate,paralyze,weaken,lock --damage-steps 100:600
# Held-out (BR) kept share and healthy pace: mean ± std across seeds.
for rule in ABCD_lr static; do
	jq -rs --arg r "$rule" '
		def ms(xs): (xs|add/length) as $m | [$m, ((xs|map((.-$m)*(.-$m))|add/length)|sqrt)];
		ms(map(.healthy_after_mean)) as $h
		| ms(map([.cases[]|select(.target=="BR")|.kept]|add/length)) as $br
		| ms(map([.cases[]|select(.target!="BR")|.kept]|add/length)) as $tr
		| "\($r): healthy after step 300 \($h[0]*10|round/10) ± \($h[1]*10|round/10) m; kept on the held-out leg BR \($br[0]*100|round) ± \($br[1]*100|round) %; on the trained legs \($tr[0]*100|round) ± \($tr[1]*100|round) % (\(length) seeds)"' \
		"$out"/$rule-s*/suite.json
done
