#!/usr/bin/env bash
# suite-check.sh RULES… — one line per rule file (or run directory, whose
# best.npz is used): healthy pace and kept share (mean, worst) of its
# robustness suite on VALIDATION worlds (seeds from 2,000,000,000, as in docs/results.md: never
# used in training, which draws seeds below 1,000,000, and apart from the
# evaluation worlds at 1,000,000,000). Rule files are chosen with this,
# never on evaluation worlds.
#   EPISODES (20), AT (300 quadruped, 200 racer), WORKERS (1), HEBB (bin/hebb)
set -euo pipefail
hebb=${HEBB:-bin/hebb}
eps=${EPISODES:-20}
for r in "$@"; do
	f=$r
	[[ -d $r ]] && f=$r/best.npz
	env=$($hebb inspect "$f" | sed -n 's/^  env \([a-z]*\),.*/\1/p')
	suite=damage at=${AT:-300}
	[[ $env == racer ]] && suite=perturb at=${AT:-200}
	gen=$(sed -n 's/.*provenance: \([0-9]*\) generations.*/\1/p' <($hebb inspect "$f"))
	$hebb eval --rules "$f" --suite $suite --at "$at" --episodes "$eps" --seed-start 2000000000 \
		--workers "${WORKERS:-1}" --json |
		jq -r --arg r "$r" --arg g "$gen" '"\($r) gen \($g): healthy \((.healthy_after_mean // .healthy_return_mean)*10|round/10), kept mean \(.kept_mean*100|round) %, worst \(.kept_min*100|round) % (\(.worst))"'
done
