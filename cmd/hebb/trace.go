package main

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"
)

func newTrace() *cobra.Command {
	var ep episodeFlags
	var out string
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
			r, err := ep.record(nil)
			if err != nil {
				return err
			}
			m := r.rf.Meta
			m.Env, m.Obs = r.env, r.obs
			m.Description = fmt.Sprintf("trace of %s, seed %d, body %s, events %q", ep.rules, ep.seed, ep.morph, ep.damage+ep.perturb)
			m.Provenance.Date = time.Now().UTC().Format(time.RFC3339)
			if err := r.rec.Save(out, m); err != nil {
				return err
			}
			progress := fmt.Sprintf("distance %.2f m", r.res.Distance)
			if r.res.TilesAll > 0 {
				progress = fmt.Sprintf("tiles %d/%d", r.res.Tiles, r.res.TilesAll)
			}
			fmt.Fprintf(c.OutOrStdout(), "%s: %d steps (%s), return %.2f, %s\n",
				out, r.res.Steps, r.res.Reason, r.res.Return, progress)
			return nil
		},
	}
	f := cmd.Flags()
	ep.register(f, "rule file: a path or the name of a bundled rule file")
	f.StringVar(&out, "out", "", "trace file to write (.npz)")
	return cmd
}
