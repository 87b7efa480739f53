#!/usr/bin/env bash
# walker-chain.sh — rebuilds the bundled walkers (issue #11, session 5) bit
# for bit: three links of evolution with the genome mirrored (FL ≡ FR,
# BL ≡ BR), every candidate meeting the healthy body and each leg damaged
# (any of the five kinds, at a step in 100–600), paid by the pace kept
# (docs/adaptation.md, Q-H8, Q-H9, Q-H10).
#
#   1. from random coefficients, kept:55, 1 cycle of 5 episodes per candidate
#   2. from link 1, kept:65, 2 cycles, a quarter of the learning rate
#   3. from link 2, kept:58, the same
#
# The static partner runs the same three links with --rule static, at the
# same number of environment steps: link 1 stops at generation 201 (27.6 M
# steps; the Hebbian's 273 generations took 28.1 M), link 2 at the
# --step-budget that makes the two chains equal after it (69.0 M and
# 69.1 M), link 3 at the generation where the totals match again (111.7 M
# and 111.8 M). The Hebbian generations (273, 90, 90) and the static
# link-3 generation (95) were chosen on validation worlds (docs/results.md).
# One core: 1.1–1.3 h for each chain (measured beside other work). Resumable.
#   HEBB (bin/hebb), OUT (runs/walker-chain), WORKERS (1)
set -euo pipefail
hebb=${HEBB:-bin/hebb} out=${OUT:-runs/walker-chain} workers=${WORKERS:-1}
common=(--env quadruped --pop 48 --damage-plan none,FL,FR,BL,BR
	--damage-kinds shorten,amputate,paralyze,weaken,lock --damage-steps 100:600
	--mirror front,back --workers "$workers" --quiet)
link() { # DIR ARGS… — run (or resume) one link
	local d=$1
	shift
	local resume=()
	[[ -f $d/checkpoint ]] && resume=(--resume)
	$hebb evolve "${common[@]}" "$@" --out "$d" "${resume[@]}"
}
for rule in ABCD_lr static; do
	d=$out/$rule
	if [[ $rule == ABCD_lr ]]; then
		g1=(--gens 273) g2=(--gens 90) g3=(--gens 90)
	else
		g1=(--gens 201) g2=(--gens 1000 --step-budget 41446904) g3=(--gens 95)
	fi
	link "$d-1" --rule $rule --episodes 5 --aggregate kept:55 --seed 1 "${g1[@]}"
	link "$d-2" --rule $rule --episodes 10 --aggregate kept:65 --lr 0.05 --seed 3 \
		--init-from "$d-1/best.npz" "${g2[@]}"
	link "$d-3" --rule $rule --episodes 10 --aggregate kept:58 --lr 0.05 --seed 4 \
		--init-from "$d-2/best.npz" "${g3[@]}"
done
echo "walker-chain: $out/ABCD_lr-3/best.npz and $out/static-3/best.npz"
