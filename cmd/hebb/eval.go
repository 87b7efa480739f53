package main

import (
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/hebbsim/hebbsim/brain"
	"github.com/hebbsim/hebbsim/physics/racer"
	"github.com/hebbsim/hebbsim/sim"
)

type evalOpts struct {
	rules, env, obs, morph, damage, perturb, earlyStop string
	suite                                              string
	episodes, workers, maxSteps, mark, at, freezeAt    int
	seedStart                                          int64
	json                                               bool
}

func newEval() *cobra.Command {
	var o evalOpts
	cmd := &cobra.Command{
		Use:   "eval --rules FILE [flags]",
		Short: "evaluate a rule file on unseen worlds, bodies and damage",
		Long: `eval runs a rule file's network for --episodes episodes on the worlds
--seed-start, --seed-start+1, … (evaluation seeds start at 1,000,000,000; training
never uses seeds ≥ 1,000,000), each from fresh random weights, and prints the mean ±
std (population std) of the return and of the distance (quadruped) or the fraction
of tiles visited (racer). Episodes run whole (no early stop) unless --early-stop.`,
		Example: `  hebb eval --rules runs/q1/best.npz --episodes 100
  hebb eval --rules quadruped-hebbian --morphology BR-short --json
  hebb eval --rules quadruped-hebbian --damage FL:shorten@300
  hebb eval --rules racer-hebbian-pixels --perturb oil@200
  hebb eval --rules quadruped-hebbian --suite damage --at 300 --episodes 100
  hebb eval --rules racer-hebbian-rays --suite perturb --at 200 --json
  hebb eval --rules quadruped-hebbian --freeze-at 300 --mark 300`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error { return runEval(c, o) },
	}
	f := cmd.Flags()
	f.StringVar(&o.rules, "rules", "", "rule file: a path or the name of a bundled rule file")
	f.StringVar(&o.env, "env", "", "environment (default: the rule file's)")
	f.StringVar(&o.obs, "obs", "", "observation mode (default: the rule file's)")
	f.IntVar(&o.episodes, "episodes", 10, "number of episodes")
	f.Int64Var(&o.seedStart, "seed-start", sim.EvalSeedStart, "world seed of the first episode")
	f.StringVar(&o.morph, "morphology", "healthy", "body, e.g. FL-short (an unknown name lists the valid ones)")
	f.StringVar(&o.damage, "damage", "", "damage during the episode: TARGET:KIND@STEP,… e.g. FL:shorten@300")
	f.StringVar(&o.perturb, "perturb", "", "racer perturbation: KIND@STEP,… e.g. oil@200 (target car; kinds oil, engine, steering, and the training drill offroad)")
	f.IntVar(&o.maxSteps, "max-steps", 0, "steps per episode (0: the env's, 1000)")
	f.StringVar(&o.earlyStop, "early-stop", "none", "none, default (the env's training stop), neg:RUN[:AFTER] or stall:STEPS:METRES")
	f.IntVar(&o.mark, "mark", 0, "also report the distance walked after this step (e.g. 300 with --damage FL:shorten@300)")
	f.IntVar(&o.workers, "workers", 0, "parallel workers (0: all cores); never changes the results")
	f.StringVar(&o.suite, "suite", "", "robustness suite: damage (quadruped: healthy + 4 legs × 5 kinds) or perturb (racer: healthy + oil, engine, steering), all at --at on the same worlds")
	f.IntVar(&o.at, "at", 300, "with --suite: the step at which each case's damage or perturbation starts")
	f.IntVar(&o.freezeAt, "freeze-at", 0, "stop the weights changing from this step on (plasticity ablation; 0: never)")
	f.BoolVar(&o.json, "json", false, "print one JSON object")
	return cmd
}

type evalRow struct {
	Seed      int64    `json:"seed"`
	Return    float64  `json:"return"`
	Distance  *float64 `json:"distance,omitempty"`
	Tiles     *int     `json:"tiles,omitempty"`
	TilesFrac *float64 `json:"tiles_frac,omitempty"`
	LostSteps *int     `json:"lost_steps,omitempty"` // racer: steps more than 20 m from the road
	Steps     int      `json:"steps"`
	Reason    string   `json:"reason"`
	// The mean over steps of each action component's magnitude (racer:
	// |steer|, gas, brake) and, racer, of the car's speed in m/s.
	ActionAbsMean []float64 `json:"action_abs_mean"`
	SpeedMean     *float64  `json:"speed_mean,omitempty"`
	// With --mark: the distance after the mark step.
	DistanceAtMark *float64 `json:"distance_at_mark,omitempty"`
}

type evalReport struct {
	Episodes      int      `json:"episodes"`
	ReturnMean    float64  `json:"return_mean"`
	ReturnStd     float64  `json:"return_std"`
	DistanceMean  *float64 `json:"distance_mean,omitempty"`
	DistanceStd   *float64 `json:"distance_std,omitempty"`
	TilesFracMean *float64 `json:"tiles_frac_mean,omitempty"`
	// LostStepsMean (racer): mean steps more than 20 m from the road.
	LostStepsMean *float64 `json:"lost_steps_mean,omitempty"`
	// The per-episode action magnitudes and speeds, averaged over episodes.
	ActionAbsMean []float64 `json:"action_abs_mean"`
	SpeedMean     *float64  `json:"speed_mean,omitempty"`
	// With --mark: the mark and the distance walked from it to the end.
	Mark                  int       `json:"mark,omitempty"`
	DistanceAfterMarkMean *float64  `json:"distance_after_mark_mean,omitempty"`
	DistanceAfterMarkStd  *float64  `json:"distance_after_mark_std,omitempty"`
	PerEpisode            []evalRow `json:"per_episode"`
}

func runEval(c *cobra.Command, o evalOpts) error {
	rf, err := loadRules(o.rules)
	if err != nil {
		return err
	}
	env, obs, err := envOf(rf, o.env, o.obs)
	if err != nil {
		return err
	}
	if _, err := checkEvalFlags(c.Flags(), o, env, obs); err != nil {
		return err
	}
	if o.episodes < 1 {
		return usageErr("--episodes %d must be at least 1", o.episodes)
	}
	sched, err := sim.ParseEvents(o.damage, "")
	if err != nil {
		return usageErr("--damage: %v", err)
	}
	pert, err := sim.ParseEvents(o.perturb, "car")
	if err != nil {
		return usageErr("--perturb: %v", err)
	}
	es, err := parseEarlyStop(o.earlyStop)
	if err != nil {
		return err
	}
	if es == nil && o.earlyStop != "none" {
		spec, _ := sim.Lookup(env)
		es = &spec.EarlyStop
	}
	if o.freezeAt < 0 {
		return usageErr("--freeze-at %d must not be negative (0: never)", o.freezeAt)
	}
	opts := sim.EvalOptions{
		Episodes: o.episodes, SeedStart: o.seedStart, Morphology: o.morph,
		Schedule: append(sched, pert...), MaxSteps: o.maxSteps, EarlyStop: es, Workers: o.workers, Mark: o.mark,
		FreezeAt: o.freezeAt,
	}
	if o.suite != "" {
		if len(opts.Schedule) > 0 || o.mark != 0 {
			return usageErr("--suite sets each case's damage and mark itself: drop --damage, --perturb and --mark")
		}
		return runSuite(c.OutOrStdout(), o, env, obs, opts)
	}
	res, err := sim.Evaluate(env, obs, rf, opts)
	if err != nil {
		return err
	}
	if o.mark < 0 {
		return usageErr("--mark %d must not be negative", o.mark)
	}
	rep := report(env, res, o.mark)
	if o.json {
		enc := json.NewEncoder(c.OutOrStdout())
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	w := c.OutOrStdout()
	fmt.Fprintf(w, "%s (%s/%s, %s), %d episodes from seed %d, body %s", o.rules, env, obs, rf.Meta.Rule, len(res), o.seedStart, o.morph)
	if o.damage != "" || o.perturb != "" {
		fmt.Fprintf(w, ", events %s", strings.Trim(o.damage+","+o.perturb, ","))
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "  return    %9.2f ± %.2f\n", rep.ReturnMean, rep.ReturnStd)
	if rep.DistanceMean != nil {
		fmt.Fprintf(w, "  distance  %9.2f ± %.2f m\n", *rep.DistanceMean, *rep.DistanceStd)
	}
	if rep.DistanceAfterMarkMean != nil {
		fmt.Fprintf(w, "  after %-4d %8.2f ± %.2f m (walked from step %d to the end)\n", o.mark, *rep.DistanceAfterMarkMean, *rep.DistanceAfterMarkStd, o.mark)
	}
	if rep.TilesFracMean != nil {
		var fr []float64
		for _, r := range rep.PerEpisode {
			fr = append(fr, *r.TilesFrac)
		}
		_, sd := sim.Summary(fr)
		fmt.Fprintf(w, "  tiles     %9.3f ± %.3f of the track\n", *rep.TilesFracMean, sd)
		lost := 0
		for _, r := range rep.PerEpisode {
			if *r.LostSteps > 0 {
				lost++
			}
		}
		fmt.Fprintf(w, "  lost      %9.1f steps more than %.0f m from the road (mean); %d of %d episodes lost the road\n",
			*rep.LostStepsMean, racer.LostDistance, lost, len(rep.PerEpisode))
		if a := rep.ActionAbsMean; len(a) == 3 {
			fmt.Fprintf(w, "  driving   %9.1f m/s mean speed; per step |steer| %.2f, gas %.2f, brake %.2f (means)\n", *rep.SpeedMean, a[0], a[1], a[2])
		}
	}
	reasons := map[string]int{}
	for _, r := range res {
		reasons[r.Reason]++
	}
	fmt.Fprintf(w, "  ended by  %s\n", countList(reasons))
	return nil
}

// envOf picks the environment and observation from flags or the file's
// meta, and checks that the network fits them.
func envOf(rf *brain.RuleFile, env, obs string) (string, string, error) {
	if env == "" {
		env = rf.Meta.Env
	}
	if obs == "" {
		obs = rf.Meta.Obs
	}
	spec, err := sim.Lookup(env)
	if err != nil {
		return "", "", fmt.Errorf("rule file is for environment %q: %w", rf.Meta.Env, err)
	}
	if obs, err = spec.CheckObs(obs); err != nil {
		return "", "", err
	}
	return env, obs, nil
}

func report(env string, res []sim.Result, mark int) evalReport {
	rep := evalReport{Episodes: len(res), PerEpisode: make([]evalRow, len(res))}
	rets, dists, fracs, lost, speeds := make([]float64, len(res)), make([]float64, len(res)), make([]float64, len(res)), make([]float64, len(res)), make([]float64, len(res))
	for i, r := range res {
		row := evalRow{Seed: r.Seed, Return: r.Return, Steps: r.Steps, Reason: r.Reason, ActionAbsMean: r.ActionAbsMean}
		for j, a := range r.ActionAbsMean {
			if j >= len(rep.ActionAbsMean) {
				rep.ActionAbsMean = append(rep.ActionAbsMean, 0)
			}
			rep.ActionAbsMean[j] += a / float64(len(res))
		}
		rets[i], dists[i] = r.Return, r.Distance
		if env == "racer" {
			t, f := r.Tiles, 0.0
			if r.TilesAll > 0 {
				f = float64(r.Tiles) / float64(r.TilesAll)
			}
			fracs[i], lost[i] = f, float64(r.LostSteps)
			l, sp := r.LostSteps, r.SpeedMean
			row.Tiles, row.TilesFrac, row.LostSteps, row.SpeedMean = &t, &f, &l, &sp
			speeds[i] = sp
		} else {
			d := r.Distance
			row.Distance = &d
		}
		rep.PerEpisode[i] = row
	}
	rep.ReturnMean, rep.ReturnStd = sim.Summary(rets)
	if env == "racer" {
		m, _ := sim.Summary(fracs)
		l, _ := sim.Summary(lost)
		sp, _ := sim.Summary(speeds)
		rep.TilesFracMean, rep.LostStepsMean, rep.SpeedMean = &m, &l, &sp
	} else {
		m, s := sim.Summary(dists)
		rep.DistanceMean, rep.DistanceStd = &m, &s
	}
	if mark > 0 && env != "racer" {
		after := make([]float64, len(res))
		for i, r := range res {
			a := r.DistanceAtMark
			rep.PerEpisode[i].DistanceAtMark = &a
			after[i] = r.Distance - a
		}
		m, s := sim.Summary(after)
		rep.Mark, rep.DistanceAfterMarkMean, rep.DistanceAfterMarkStd = mark, &m, &s
	}
	if math.IsNaN(rep.ReturnMean) {
		rep.ReturnMean, rep.ReturnStd = 0, 0
	}
	return rep
}

// countList formats counts as "lap 97, out of bounds 3", most frequent
// first, ties by name.
func countList(counts map[string]int) string {
	keys := make([]string, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(a, b int) bool {
		if counts[keys[a]] != counts[keys[b]] {
			return counts[keys[a]] > counts[keys[b]]
		}
		return keys[a] < keys[b]
	})
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s %d", k, counts[k])
	}
	return strings.Join(parts, ", ")
}
