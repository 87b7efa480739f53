package sim

import (
	"fmt"
	"math"

	"github.com/hebbsim/hebbsim/brain"
	"github.com/hebbsim/hebbsim/physics"
)

// Suites name the robustness suites: "damage" is every kind of damage on
// every leg of the quadruped, "perturb" every perturbation of the racer.
var Suites = map[string]string{"damage": "quadruped", "perturb": "racer"}

// SuiteCase is one row of a robustness suite: damage (or none, for the
// healthy row) switched on at the suite's step, on the same worlds as every
// other row.
type SuiteCase struct {
	Target string `json:"target,omitempty"` // "" for the healthy row
	Kind   string `json:"kind"`             // "none" for the healthy row
	// Score is what the suite measures per episode: for the quadruped the
	// metres walked from the damage step to the end, for the racer the
	// episode's return. Mean and population std over the worlds.
	Mean, Std float64
	// Kept is Mean ÷ the healthy row's Mean (1 for the healthy row).
	Kept float64
	// TilesFrac is the racer's mean fraction of the track visited, and
	// LostSteps its mean number of steps lost (more than 20 m from the
	// road: Result.LostSteps).
	TilesFrac, LostSteps float64
	Results              []Result
}

// SuiteReport is a whole suite: the healthy row, every case, and the mean
// and worst kept share over the cases.
type SuiteReport struct {
	Suite    string
	At       int
	Healthy  SuiteCase
	Cases    []SuiteCase
	KeptMean float64
	KeptMin  float64
	Worst    int // index of the case with KeptMin
}

// RunSuite evaluates rf on env/obs with the healthy body and then with
// each single damage of the env (every target × every kind) applied at
// step at, all on the same worlds (opts.Episodes from opts.SeedStart) and
// from the same fresh random weights. opts.Schedule and opts.Mark are set
// by the suite; the rest of opts (episodes, seeds, early stop, freeze,
// workers) applies to every row.
func RunSuite(envName, obs string, rf *brain.RuleFile, suite string, at int, opts EvalOptions) (SuiteReport, error) {
	rep := SuiteReport{Suite: suite, At: at}
	want, ok := Suites[suite]
	if !ok {
		return rep, fmt.Errorf("sim: unknown suite %q (valid: damage for the quadruped, perturb for the racer)", suite)
	}
	if want != envName {
		return rep, fmt.Errorf("sim: suite %q is for the %s, and this rule file is for the %s (use --suite %s)", suite, want, envName, suiteFor(envName))
	}
	spec, err := Lookup(envName)
	if err != nil {
		return rep, err
	}
	max := opts.MaxSteps
	if max == 0 {
		max = spec.MaxSteps
	}
	if at < 1 || at >= max {
		return rep, fmt.Errorf("sim: suite step %d must lie in [1, %d] so that damage happens before the episode ends", at, max-1)
	}
	env, err := spec.New(obs)
	if err != nil {
		return rep, err
	}
	dm, ok := env.(physics.Damageable)
	if !ok {
		return rep, fmt.Errorf("sim: environment %q cannot be damaged", envName)
	}
	distance := envName != "racer"
	row := func(target, kind string) (SuiteCase, error) {
		o := opts
		o.Schedule = nil
		if kind != "none" {
			o.Schedule = []Event{{Step: at, Damage: physics.Damage{Target: target, Kind: kind}}}
		}
		if distance {
			o.Mark = at
		}
		res, err := Evaluate(envName, obs, rf, o)
		if err != nil {
			return SuiteCase{}, err
		}
		c := SuiteCase{Target: target, Kind: kind, Results: res}
		xs, fr, lost := make([]float64, len(res)), make([]float64, len(res)), make([]float64, len(res))
		for i, r := range res {
			if distance {
				xs[i] = r.Distance - r.DistanceAtMark
			} else {
				xs[i] = r.Return
			}
			if r.TilesAll > 0 {
				fr[i] = float64(r.Tiles) / float64(r.TilesAll)
			}
			lost[i] = float64(r.LostSteps)
		}
		c.Mean, c.Std = Summary(xs)
		if !distance {
			c.TilesFrac, _ = Summary(fr)
			c.LostSteps, _ = Summary(lost)
		}
		return c, nil
	}
	if rep.Healthy, err = row("", "none"); err != nil {
		return rep, err
	}
	rep.Healthy.Kept = 1
	rep.KeptMin = math.Inf(1)
	for _, t := range dm.DamageTargets() {
		for _, k := range dm.DamageKinds() {
			c, err := row(t, k)
			if err != nil {
				return rep, err
			}
			c.Kept = keptShare(c.Mean, rep.Healthy.Mean)
			rep.KeptMean += c.Kept
			if c.Kept < rep.KeptMin {
				rep.KeptMin, rep.Worst = c.Kept, len(rep.Cases)
			}
			rep.Cases = append(rep.Cases, c)
		}
	}
	rep.KeptMean /= float64(len(rep.Cases))
	return rep, nil
}

// keptShare is case ÷ healthy; a healthy score that is not positive (a
// network that does not walk, or drives off at once) keeps nothing.
func keptShare(c, healthy float64) float64 {
	if healthy <= 0 || math.IsNaN(healthy) {
		return 0
	}
	return c / healthy
}

func suiteFor(env string) string {
	for s, e := range Suites {
		if e == env {
			return s
		}
	}
	return "(none)"
}
