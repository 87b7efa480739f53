# equal-budget.sh — sourced by the comparison scripts (heldout.sh,
# racer-compare.sh): evolve Hebbian (ABCD_lr) and static networks with the
# same protocol and the same number of environment steps (--step-budget), on
# SEEDS training seeds each, resuming any run that has a checkpoint, and put
# each run's final centre through a robustness suite on the 100 evaluation
# worlds (again when the run went on: a larger BUDGET continues it).
#
#   equal_budget OUT SUITE_ARGS -- EVOLVE_ARGS…
#     OUT         runs go to OUT/ABCD_lr-sN and OUT/static-sN
#     SUITE_ARGS  one word, e.g. "--suite damage --at 300"
#   uses HEBB (bin/hebb), SEEDS, BUDGET, WORKERS
equal_budget() {
	local out=$1 suite=$2
	shift 3 # OUT, SUITE_ARGS and the "--"
	local hebb=${HEBB:-bin/hebb} rule s d
	for rule in ABCD_lr static; do
		for s in $SEEDS; do
			d=$out/$rule-s$s
			local resume=()
			[[ -f $d/checkpoint ]] && resume=(--resume)
			$hebb evolve "$@" --rule $rule --gens 100000 --step-budget "$BUDGET" --seed "$s" \
				--workers "$WORKERS" --quiet --out "$d" "${resume[@]}"
			# shellcheck disable=SC2086 # SUITE_ARGS is several flags
			[[ $d/suite.json -nt $d/best.npz ]] || $hebb eval --rules "$d/best.npz" $suite --episodes 100 --json >"$d/suite.json"
		done
	done
}
