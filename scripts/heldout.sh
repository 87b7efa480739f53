#!/usr/bin/env bash
# heldout.sh — issue #11's held-out comparison: Hebbian (ABCD_lr) and static
# networks evolved with the SAME protocol and the SAME number of environment
# steps (--step-budget), on SEEDS training seeds each, with the back-right leg
# never damaged in training; then every file through the damage suite on the
# 100 evaluation worlds. The BR rows of the suite are the held-out test.
#   SEEDS ("1 2 3"), BUDGET (environment steps per run, 40000000),
#   WORKERS (2), HEBB (bin/hebb), OUT (runs/heldout)
set -euo pipefail
hebb=${HEBB:-bin/hebb}
out=${OUT:-runs/heldout}
budget=${BUDGET:-40000000}
for rule in ABCD_lr static; do
	for s in ${SEEDS:-1 2 3}; do
		d=$out/$rule-s$s
		resume=()
		[[ -f $d/checkpoint ]] && resume=(--resume)
		$hebb evolve --env quadruped --rule $rule --pop 64 --gens 100000 --episodes 4 \
			--damage-plan none,FL,FR,BL --damage-legs FL,FR,BL \
			--damage-kinds shorten,amputate,paralyze,weaken,lock --damage-steps 100:600 \
			--step-budget "$budget" --seed "$s" --workers "${WORKERS:-2}" --quiet --out "$d" "${resume[@]}"
		# (again when the run went on: a larger BUDGET continues it)
		[[ $d/suite.json -nt $d/best.npz ]] || $hebb eval --rules "$d/best.npz" --suite damage --at 300 --episodes 100 --json >"$d/suite.json"
	done
done
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
