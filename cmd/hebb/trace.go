package main

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/hebbsim/hebbsim/sim"
)

func newTrace() *cobra.Command {
	var rules, env, obs, out, morph, damage, perturb string
	var steps int
	var seed int64
	cmd := &cobra.Command{
		Use:   "trace --rules FILE --out trace.npz [flags]",
		Short: "record one episode's brain trace (activations and weights per step) for Python",
		Long: `trace runs one episode and records, for every dense layer and every step, the
activations the Hebbian update used and the weights it started from, into an .npz
that numpy reads (layout in docs/rule-file.md, "Traces"): e.g.
  d = numpy.load("trace.npz"); w = d["w_0"]   # (T+1, out, in)`,
		Example: `  hebb trace --rules quadruped-hebbian --steps 1000 --seed 1000000000 --out trace.npz
  hebb trace --rules runs/q1/best.npz --damage FL:shorten@300 --out damaged.npz`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			if out == "" {
				return usageErr("trace: --out FILE is required")
			}
			if steps < 1 {
				return usageErr("--steps %d must be at least 1", steps)
			}
			rf, err := loadRules(rules)
			if err != nil {
				return err
			}
			e, o, err := envOf(rf, env, obs)
			if err != nil {
				return err
			}
			sched, err := sim.ParseEvents(damage, "")
			if err != nil {
				return usageErr("--damage: %v", err)
			}
			pert, err := sim.ParseEvents(perturb, "car")
			if err != nil {
				return usageErr("--perturb: %v", err)
			}
			rec, res, err := sim.Trace(e, o, rf, sim.TraceOptions{Seed: seed, Steps: steps, Morphology: morph, Schedule: append(sched, pert...)})
			if err != nil {
				return err
			}
			m := rf.Meta
			m.Env, m.Obs = e, o
			m.Description = fmt.Sprintf("trace of %s, seed %d, body %s, events %q", rules, seed, morph, damage+perturb)
			m.Provenance.Date = time.Now().UTC().Format(time.RFC3339)
			if err := rec.Save(out, m); err != nil {
				return err
			}
			fmt.Fprintf(c.OutOrStdout(), "%s: %d steps (%s), return %.2f, distance %.2f m, tiles %d/%d\n",
				out, res.Steps, res.Reason, res.Return, res.Distance, res.Tiles, res.TilesAll)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&rules, "rules", "", "rule file: a path or the name of a bundled rule file")
	f.StringVar(&env, "env", "", "environment (default: the rule file's)")
	f.StringVar(&obs, "obs", "", "observation mode (default: the rule file's)")
	f.StringVar(&out, "out", "", "trace file to write (.npz)")
	f.IntVar(&steps, "steps", 1000, "at most this many steps")
	f.Int64Var(&seed, "seed", sim.EvalSeedStart, "world and initial-weight seed")
	f.StringVar(&morph, "morphology", "healthy", "body, e.g. FL-short")
	f.StringVar(&damage, "damage", "", "damage during the episode: TARGET:KIND@STEP,…")
	f.StringVar(&perturb, "perturb", "", "racer perturbation: KIND@STEP,… e.g. oil@200")
	return cmd
}
