package main

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/hebbsim/hebbsim/physics/racer"
	"github.com/hebbsim/hebbsim/sim"
)

// suiteCaseJSON is one row of `hebb eval --suite … --json`. The quadruped's
// rows carry after_mean (metres from the damage step to the end), the
// racer's return_mean; both carry kept (÷ the healthy row).
type suiteCaseJSON struct {
	Target     string   `json:"target,omitempty"`
	Kind       string   `json:"kind"`
	AfterMean  *float64 `json:"after_mean,omitempty"`
	AfterStd   *float64 `json:"after_std,omitempty"`
	ReturnMean *float64 `json:"return_mean,omitempty"`
	ReturnStd  *float64 `json:"return_std,omitempty"`
	TilesFrac  *float64 `json:"tiles_frac_mean,omitempty"`
	// LostSteps: the racer's mean steps more than 20 m from the road.
	LostSteps *float64 `json:"lost_steps_mean,omitempty"`
	Kept      float64  `json:"kept"`
}

type suiteJSON struct {
	Rules             string          `json:"rules"`
	Suite             string          `json:"suite"`
	At                int             `json:"at"`
	Episodes          int             `json:"episodes"`
	SeedStart         int64           `json:"seed_start"`
	FreezeAt          int             `json:"freeze_at,omitempty"`
	HealthyAfterMean  *float64        `json:"healthy_after_mean,omitempty"`
	HealthyReturnMean *float64        `json:"healthy_return_mean,omitempty"`
	KeptMean          float64         `json:"kept_mean"`
	KeptMin           float64         `json:"kept_min"`
	Worst             string          `json:"worst"`
	Cases             []suiteCaseJSON `json:"cases"`
}

func caseName(c sim.SuiteCase) string {
	if c.Target == "" || c.Target == "car" {
		return c.Kind
	}
	return c.Target + " " + c.Kind
}

func suiteRow(c sim.SuiteCase, distance bool) suiteCaseJSON {
	m, s, f, l := c.Mean, c.Std, c.TilesFrac, c.LostSteps
	r := suiteCaseJSON{Target: c.Target, Kind: c.Kind, Kept: c.Kept}
	if distance {
		r.AfterMean, r.AfterStd = &m, &s
	} else {
		r.ReturnMean, r.ReturnStd, r.TilesFrac, r.LostSteps = &m, &s, &f, &l
	}
	return r
}

// runSuite runs `hebb eval --suite` and prints its table or JSON.
func runSuite(w io.Writer, o evalOpts, env, obs string, opts sim.EvalOptions) error {
	rf, err := loadRules(o.rules)
	if err != nil {
		return err
	}
	rep, err := sim.RunSuite(env, obs, rf, o.suite, o.at, opts)
	if err != nil {
		return err
	}
	distance := env != "racer"
	if o.json {
		j := suiteJSON{Rules: o.rules, Suite: rep.Suite, At: rep.At, Episodes: len(rep.Healthy.Results), SeedStart: opts.SeedStart,
			FreezeAt: opts.FreezeAt, KeptMean: rep.KeptMean, KeptMin: rep.KeptMin, Worst: caseName(rep.Cases[rep.Worst])}
		h := rep.Healthy.Mean
		if distance {
			j.HealthyAfterMean = &h
		} else {
			j.HealthyReturnMean = &h
		}
		for _, c := range rep.Cases {
			j.Cases = append(j.Cases, suiteRow(c, distance))
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(j)
	}
	unit, what := "return", "return"
	if distance {
		unit, what = "m", fmt.Sprintf("metres walked from step %d to the end", rep.At)
	}
	fmt.Fprintf(w, "%s (%s/%s, %s): suite %s at step %d, %d episodes from seed %d", o.rules, env, obs, rf.Meta.Rule, rep.Suite, rep.At, len(rep.Healthy.Results), opts.SeedStart)
	if opts.FreezeAt > 0 {
		fmt.Fprintf(w, ", plasticity frozen from step %d", opts.FreezeAt)
	}
	fmt.Fprintf(w, "\n  score: %s; kept: the case's mean ÷ the healthy mean", what)
	if !distance {
		fmt.Fprintf(w, "; lost: mean steps more than %.0f m from the road", racer.LostDistance)
	}
	fmt.Fprintf(w, "\n\n  %-16s %18s %7s", "case", "score", "kept")
	if !distance {
		fmt.Fprintf(w, " %7s %6s", "tiles", "lost")
	}
	fmt.Fprintln(w)
	line := func(c sim.SuiteCase) {
		name := caseName(c)
		if c.Kind == "none" {
			name = "healthy"
		}
		fmt.Fprintf(w, "  %-16s %8.1f ± %5.1f %-2s %5.0f %%", name, c.Mean, c.Std, unit[:min(len(unit), 2)], 100*c.Kept)
		if !distance {
			fmt.Fprintf(w, " %6.0f %% %6.0f", 100*c.TilesFrac, c.LostSteps)
		}
		fmt.Fprintln(w)
	}
	line(rep.Healthy)
	for _, c := range rep.Cases {
		line(c)
	}
	fmt.Fprintf(w, "\n  kept: mean %.0f %%, worst %.0f %% (%s)\n", 100*rep.KeptMean, 100*rep.KeptMin, caseName(rep.Cases[rep.Worst]))
	return nil
}
