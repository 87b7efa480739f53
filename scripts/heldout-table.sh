#!/usr/bin/env bash
# heldout-table.sh [DIR] — the held-out comparison of scripts/heldout.sh as
# a markdown table: one row per rule and training seed, then mean ± std
# across seeds. BR is the leg never damaged in training; "trained legs" are
# the 15 cases on FL, FR and BL. DIR defaults to runs/heldout.
set -euo pipefail
dir=${1:-runs/heldout}
echo "| rule | seed | generations | healthy, metres after step 300 | held-out BR damaged: metres after step 300 (5 kinds) | kept on held-out BR | kept on trained legs (15 cases) | worst case |"
echo "|---|---|---|---|---|---|---|---|"
for rule in ABCD_lr static; do
	for f in "$dir"/$rule-s*/suite.json; do
		[[ -f $f ]] || continue
		d=$(dirname "$f")
		gens=$(($(wc -l <"$d/log.csv") - 1))
		jq -r --arg r "$rule" --arg s "${d##*-s}" --arg g "$gens" '
			([.cases[]|select(.target=="BR")|.kept]|add/length) as $br
			| ([.cases[]|select(.target=="BR")|.after_mean]|add/length) as $brm
			| ([.cases[]|select(.target!="BR")|.kept]|add/length) as $tr
			| "| \($r) | \($s) | \($g) | \(.healthy_after_mean*10|round/10) | \($brm*10|round/10) | \($br*100|round) % | \($tr*100|round) % | \(.kept_min*100|round) % (\(.worst)) |"' "$f"
	done
	jq -rs --arg r "$rule" '
		def ms(xs): (xs|add/length) as $m | "\($m*100|round) ± \((xs|map((.-$m)*(.-$m))|add/length)|sqrt*100|round) %";
		def msm(xs): (xs|add/length) as $m | "\($m*10|round/10) ± \((xs|map((.-$m)*(.-$m))|add/length)|sqrt*10|round/10)";
		if length == 0 then empty else
		"| **\($r)** | **mean ± std** (\(length) seeds) | | **\(msm(map(.healthy_after_mean)))** | **\(msm(map([.cases[]|select(.target=="BR")|.after_mean]|add/length)))** | **\(ms(map([.cases[]|select(.target=="BR")|.kept]|add/length)))** | **\(ms(map([.cases[]|select(.target!="BR")|.kept]|add/length)))** | |" end' \
		"$dir"/$rule-s*/suite.json 2>/dev/null || true
done
