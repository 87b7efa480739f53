package main

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"golang.org/x/term"

	"github.com/hebbsim/hebbsim/brain"
	"github.com/hebbsim/hebbsim/sim"
)

// evolveOpts are the flags: the run's settings (sim.RunSettings, shared
// with the app's Evolve panel) and how this process runs them.
type evolveOpts struct {
	sim.RunSettings
	out               string
	gens, workers     int
	resume, quiet     bool
	initFrom          string
	plotEvery, budget time.Duration
	stepBudget        int64
	dist              distOpts // --serve, --broker …: distflags.go
}

// Flags that may change between a run and its resume.
var resumable = map[string]bool{"gens": true, "workers": true, "out": true, "resume": true, "quiet": true, "plot-every": true, "time-budget": true, "step-budget": true}

func newEvolve() *cobra.Command {
	var o evolveOpts
	cmd := &cobra.Command{
		Use:   "evolve --out DIR [flags]",
		Short: "evolve Hebbian rules (or static weights) with OpenAI-ES on all cores",
		Long: `evolve runs OpenAI-ES (antithetic noise, centred ranks, L2 coefficient penalty)
on the rule coefficients of a network that starts every episode from random weights
(or, with --rule static, on the weights themselves).

Every generation it writes, atomically, into --out:
  checkpoint          the whole run state (settings, ES state, history)
  log.csv             one row per generation
  best.npz            the rule file of the centre θ (the ES mean) — the one to ship
  best-candidate.npz  the single candidate with the highest fitness seen (a lucky
                      draw as often as a good rule; evaluate before trusting it)
  fitness.png         population best and mean and the centre's fitness
A run killed at any moment continues with the same command plus --resume and
ends bit-identical to an uninterrupted one; --gens is the total.`,
		Example: `  hebb evolve --env quadruped --pop 64 --gens 300 --out runs/q1
  hebb evolve --env quadruped --pop 64 --gens 300 --out runs/q1 --resume
  hebb evolve --env quadruped --rule static --out runs/q1-static
  hebb evolve --env racer --obs rays --pop 64 --sigma 0.3 --gens 400 --out runs/r1`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error { return runEvolve(c, o) },
	}
	f := cmd.Flags()
	f.StringVar(&o.Env, "env", "quadruped", "environment: "+strings.Join(sim.EnvNames(), ", "))
	f.StringVar(&o.Obs, "obs", "", "observation mode (racer: pixels, pixels-wide = pixels at Gym's 61.7 m across, rays, grip = rays + sideways slip, traction = grip + wheel spin, or compass = traction + the road's direction; default: the env's first)")
	f.StringVar(&o.Rule, "rule", brain.DefaultRule, "plasticity rule: "+strings.Join(brain.RuleNames(), ", "))
	f.StringVar(&o.out, "out", "", "run directory (required)")
	f.IntVar(&o.Pop, "pop", 64, "population size (even: antithetic pairs)")
	f.IntVar(&o.gens, "gens", 300, "total number of generations")
	f.IntVar(&o.workers, "workers", 0, "parallel workers (0: all cores); never changes the results")
	f.Uint64Var(&o.Seed, "seed", 1, "run seed: initial genome, noise, worlds, damage")
	f.BoolVar(&o.resume, "resume", false, "continue the run in --out up to --gens")
	f.BoolVar(&o.quiet, "quiet", false, "no progress output")
	f.Float64Var(&o.LR, "lr", 0.2, "learning rate")
	f.Float64Var(&o.Sigma, "sigma", 0.1, "noise standard deviation")
	f.Float64Var(&o.Decay, "decay", 0.999, "learning-rate decay per generation (the reference's 0.995 starves learning, DESIGN.md §5)")
	f.Float64Var(&o.SigmaDecay, "sigma-decay", 0.999, "sigma decay per generation")
	f.Float64Var(&o.LRMin, "lr-min", 0, "floor of the decayed learning rate")
	f.Float64Var(&o.SigmaMin, "sigma-min", 0, "floor of the decayed sigma")
	f.Float64Var(&o.L2, "l2", 0.01, "fitness penalty per unit of mean(θ²)")
	f.BoolVar(&o.Adam, "adam", false, "use Adam on the gradient estimate")
	f.BoolVar(&o.Normalize, "normalize", true, "divide each layer's weights by their max |w| after every update")
	f.Float64Var(&o.InitStd, "init-std", 0, "std of the initial genome (0: 1 for rules, 1/sqrt(fan-in) for static weights)")
	f.StringVar(&o.Hidden, "hidden", "", "hidden layer sizes, e.g. 128,64 (default: the env's)")
	f.StringVar(&o.Output, "output", "", "how the last layer becomes the action: tanh, racer (sigmoid gas and brake), racer-clip (gas and brake clipped to [0, 1]) or linear (default: the env's)")
	f.StringVar(&o.Mirror, "mirror", "", "tie the genome to the body's symmetries, comma-separated: the quadruped's front (FL≡FR) and back (BL≡BR); a synapse and its mirror image share their coefficients, so no leg of a pair is wired to lead (docs/adaptation.md, Q-H8)")
	f.IntVar(&o.Episodes, "episodes", 1, "episodes per morphology per candidate")
	f.StringVar(&o.Morphologies, "morphologies", "healthy", "comma-separated bodies each candidate is evaluated on (e.g. healthy,FL-short)")
	f.Float64Var(&o.DamageProb, "damage-prob", 0, "probability that an episode gets damage mid-episode")
	f.StringVar(&o.DamageSteps, "damage-steps", "100:700", "step range FROM:TO of mid-episode damage")
	f.StringVar(&o.DamageLegs, "damage-legs", "", "targets mid-episode damage may hit (default: all; keep one out to test on it)")
	f.StringVar(&o.DamageKinds, "damage-kinds", "", "kinds of mid-episode damage (default: the env's first, shorten for the quadruped, oil for the racer)")
	f.StringVar(&o.DamagePlan, "damage-plan", "", "fixed per-episode damage layout instead of --damage-prob: entries none, *, TARGET or TARGET:KIND, episode e follows entry e mod length (e.g. none,FL,FR,BL,BR with --episodes 5)")
	f.StringVar(&o.Aggregate, "aggregate", "mean", "a candidate's fitness from its episodes: mean, min, cvar:F (mean of the worst fraction F), or kept:C (healthy measure capped at C × (1 + mean share kept under damage); needs --damage-plan with one none)")
	f.StringVar(&o.initFrom, "init-from", "", "start the centre from this rule file's genome (a path or a bundled name) instead of a random one, to fine-tune it; a file with fewer inputs (e.g. rays for --obs grip) gets zero coefficients on the new ones")
	f.IntVar(&o.MaxSteps, "max-steps", 0, "steps per episode (0: the env's, 1000)")
	f.StringVar(&o.EarlyStop, "early-stop", "default", "default, none, neg:RUN[:AFTER] (negative-reward run) or stall:STEPS:METRES (no progress)")
	f.StringVar(&o.Fitness, "fitness", "", "fitness measure: return, distance or tiles (default: the env's)")
	f.BoolVar(&o.Common, "common", true, "all candidates of a generation share worlds and initial weights (common random numbers)")
	f.BoolVar(&o.EvalCentre, "eval-centre", true, "also evaluate the centre θ every generation (logged as centre)")
	f.DurationVar(&o.plotEvery, "plot-every", 10*time.Second, "redraw fitness.png at most this often (and at the end)")
	f.Int64Var(&o.stepBudget, "step-budget", 0, "stop before the first generation that would start past this many environment steps in all (0: none): equal compute for comparisons; deterministic, --resume continues")
	f.DurationVar(&o.budget, "time-budget", 0, "stop after the first generation that ends past this wall time (0: none); --resume continues")
	o.dist.register(f, true)
	return cmd
}

// trainConfig builds the run's settings from the flags: sim.RunSettings
// makes the TrainConfig (as for the app); the flags add provenance.
func (o evolveOpts) trainConfig(flags *pflag.FlagSet) (sim.TrainConfig, error) {
	if o.gens < 1 {
		return sim.TrainConfig{}, usageErr("--gens %d must be at least 1", o.gens)
	}
	cfg, err := o.RunSettings.TrainConfig()
	if err != nil {
		return cfg, err
	}
	cfg.Settings = map[string]string{}
	flags.VisitAll(func(fl *pflag.Flag) {
		if !resumable[fl.Name] {
			cfg.Settings[fl.Name] = fl.Value.String()
		}
	})
	cfg.Command = commandLine(flags)
	return cfg, nil
}

// commandLine reconstructs the command that started the run (changed
// flags only, sorted), for provenance.
func commandLine(flags *pflag.FlagSet) string {
	var parts []string
	flags.Visit(func(fl *pflag.Flag) {
		if fl.Name == "resume" || fl.Name == "quiet" || distFlagNames[fl.Name] {
			return
		}
		if fl.Value.Type() == "bool" {
			parts = append(parts, "--"+fl.Name+"="+fl.Value.String())
		} else {
			parts = append(parts, "--"+fl.Name+" "+fl.Value.String())
		}
	})
	sort.Strings(parts)
	return "hebb evolve " + strings.Join(parts, " ")
}

func runEvolve(c *cobra.Command, o evolveOpts) error {
	if o.out == "" {
		return usageErr("evolve: --out DIR is required")
	}
	if err := checkEvolveFlags(c.Flags(), o); err != nil {
		return err
	}
	if o.gens < 1 {
		return usageErr("--gens %d must be at least 1", o.gens)
	}
	if o.stepBudget < 0 {
		return usageErr("--step-budget %d must not be negative (0: none)", o.stepBudget)
	}
	if err := o.dist.check(); err != nil {
		return err
	}
	ckpt := filepath.Join(o.out, "checkpoint")
	var tr *sim.Trainer
	if o.resume {
		f, err := os.Open(ckpt)
		if err != nil {
			return fmt.Errorf("--resume: no run to resume in %s (%v)", o.out, err)
		}
		tr, err = sim.LoadTrainer(f, o.workers)
		f.Close()
		if err != nil {
			return fmt.Errorf("--resume: %s: %w", ckpt, err)
		}
		var diff []string
		c.Flags().Visit(func(fl *pflag.Flag) {
			if resumable[fl.Name] {
				return
			}
			if was, ok := tr.Cfg.Settings[fl.Name]; ok && was != fl.Value.String() {
				diff = append(diff, fmt.Sprintf("--%s %s (the run has %s)", fl.Name, fl.Value.String(), was))
			}
		})
		if len(diff) > 0 {
			return usageErr("--resume keeps the run's settings; these flags differ: %s", strings.Join(diff, ", "))
		}
	} else {
		if _, err := os.Stat(ckpt); err == nil {
			return usageErr("%s already holds a run; add --resume to continue it, or choose another --out", o.out)
		}
		cfg, err := o.trainConfig(c.Flags())
		if err != nil {
			return err
		}
		var theta []float64
		if o.initFrom != "" {
			rf, err := loadRules(o.initFrom)
			if err != nil {
				return fmt.Errorf("--init-from: %w", err)
			}
			net, err := rf.NewNetwork()
			if err != nil {
				return fmt.Errorf("--init-from: %w", err)
			}
			if theta, err = net.GenomeFor(cfg.Arch); err != nil {
				return fmt.Errorf("--init-from: %w", err)
			}
		}
		// The run directory is made only once the settings are known to
		// be good: a refused command leaves nothing behind.
		if tr, err = sim.NewTrainerFrom(cfg, o.workers, theta); err != nil {
			return err
		}
		if err := os.MkdirAll(o.out, 0o755); err != nil {
			return err
		}
	}
	// Temporary files of writes a kill interrupted.
	if stale, _ := filepath.Glob(filepath.Join(o.out, ".*.tmp*")); len(stale) > 0 {
		for _, f := range stale {
			os.Remove(f)
		}
	}
	out := &runFiles{dir: o.out, tr: tr, plotEvery: o.plotEvery}
	start := tr.Gen()
	if start > 0 {
		if err := out.write(true); err != nil { // outputs may lag the checkpoint after a kill
			return err
		}
	}
	prog := newProgress(c.ErrOrStderr(), o.quiet, start, o.gens, tr)
	stopDist, err := o.dist.attach(tr, c.ErrOrStderr(), o.quiet, prog.say)
	if err != nil {
		return err
	}
	defer stopDist()
	began := time.Now()
	for tr.Gen() < o.gens {
		if o.budget > 0 && time.Since(began) >= o.budget {
			if !o.quiet {
				fmt.Fprintf(c.ErrOrStderr(), "\nhebb: --time-budget %v spent after generation %d; continue with --resume\n", o.budget, tr.Gen())
			}
			break
		}
		if o.stepBudget > 0 && envSteps(tr.History) >= o.stepBudget {
			if !o.quiet {
				fmt.Fprintf(c.ErrOrStderr(), "\nhebb: --step-budget %d reached after generation %d (%d steps)\n", o.stepBudget, tr.Gen(), envSteps(tr.History))
			}
			break
		}
		g, err := tr.Step()
		if err != nil {
			return err
		}
		if err := writeAtomic(ckpt, tr.Save); err != nil {
			return fmt.Errorf("writing checkpoint: %w", err)
		}
		if err := out.write(tr.Gen() == o.gens); err != nil {
			return err
		}
		prog.update(g)
	}
	if start < o.gens {
		prog.finish()
	} else if !o.quiet {
		fmt.Fprintf(c.ErrOrStderr(), "hebb: %s already has %d generations (≥ --gens %d); outputs rewritten\n", o.out, start, o.gens)
	}
	if err := out.write(true); err != nil {
		return err
	}
	if !o.quiet {
		h := tr.History
		last := h[len(h)-1]
		fmt.Fprintf(c.OutOrStdout(), "%s: %d generations, last mean %.2f, centre %.2f, best ever %.2f; wrote %s\n",
			o.out, last.Gen, last.Mean, last.Centre, last.BestEver, filepath.Join(o.out, "best.npz"))
	}
	return nil
}

// envSteps is the number of environment steps a run has taken.
func envSteps(h []sim.GenStats) int64 {
	var n int64
	for _, g := range h {
		n += g.EnvSteps
	}
	return n
}

// runFiles writes a run's outputs.
type runFiles struct {
	dir       string
	tr        *sim.Trainer
	plotEvery time.Duration
	lastPlot  time.Time
}

func (r *runFiles) write(final bool) error {
	tr := r.tr
	h := tr.History
	if err := writeLog(filepath.Join(r.dir, "log.csv"), h); err != nil {
		return fmt.Errorf("writing log.csv: %w", err)
	}
	if len(h) == 0 {
		return nil
	}
	last := h[len(h)-1]
	centreFit := last.Centre
	if math.IsNaN(centreFit) {
		centreFit = last.Mean
	}
	if err := r.rules("best.npz", tr.Centre(), last.Gen, centreFit,
		sim.CentreDescription(last.Gen, tr.Cfg.Protocol)); err != nil {
		return err
	}
	best, fit, gen := tr.Best()
	if best != nil {
		if err := r.rules("best-candidate.npz", best, gen, fit,
			fmt.Sprintf("highest-fitness single candidate, generation %d of %d", gen, last.Gen)); err != nil {
			return err
		}
	}
	if final || time.Since(r.lastPlot) >= r.plotEvery {
		r.lastPlot = time.Now()
		title := fmt.Sprintf("%s %s %s, pop %d, seed %d", tr.Cfg.Env, tr.Cfg.Obs, tr.Cfg.Arch.Rule, tr.Cfg.ES.Pop, tr.Cfg.Seed)
		if err := writePlot(filepath.Join(r.dir, "fitness.png"), title, tr.Cfg.Protocol.Fitness, h); err != nil {
			return fmt.Errorf("writing fitness.png: %w", err)
		}
	}
	return nil
}

func (r *runFiles) rules(name string, params []float64, gen int, fitness float64, desc string) error {
	rf, err := r.tr.RuleFile(params, gen, fitness, desc, provenanceDate())
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	var buf bytes.Buffer
	if err := rf.Encode(&buf); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return writeAtomic(filepath.Join(r.dir, name), func(w io.Writer) error {
		_, err := w.Write(buf.Bytes())
		return err
	})
}

// progress reports generations: a progress bar on a terminal, one line
// per generation otherwise (logs of background runs).
type progress struct {
	w          io.Writer
	bar        *progressbar.ProgressBar
	quiet      bool
	start, end int
	began      time.Time
}

func newProgress(w io.Writer, quiet bool, start, end int, tr *sim.Trainer) *progress {
	p := &progress{w: w, quiet: quiet, start: start, end: end, began: time.Now()}
	if quiet || start >= end {
		return p
	}
	fmt.Fprintf(w, "hebb: %s, %d parameters, pop %d, %d workers, generation %d → %d\n",
		tr.Cfg.Command, tr.ES().Dim(), tr.Cfg.ES.Pop, tr.Workers(), start, end)
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		p.bar = progressbar.NewOptions(end-start,
			progressbar.OptionSetWriter(w),
			progressbar.OptionSetWidth(24),
			progressbar.OptionShowCount(),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionSetElapsedTime(true),
			progressbar.OptionShowElapsedTimeOnFinish(),
			progressbar.OptionSetDescription(fmt.Sprintf("gen %d", start)),
		)
	}
	return p
}

func (p *progress) update(g sim.GenStats) {
	if p.quiet {
		return
	}
	rate := float64(g.Episodes) / g.Seconds
	desc := fmt.Sprintf("gen %d best %.2f mean %.2f centre %.2f | %.0f evals/s", g.Gen, g.Best, g.Mean, g.Centre, rate)
	if p.bar != nil {
		p.bar.Describe(desc)
		p.bar.Add(1)
		return
	}
	done := g.Gen - p.start
	eta := time.Duration(float64(time.Since(p.began)) / float64(done) * float64(p.end-g.Gen)).Round(time.Second)
	fmt.Fprintf(p.w, "%s | %d steps in %.1fs | ETA %v\n", desc, g.EnvSteps, g.Seconds, eta)
}

func (p *progress) finish() {
	if p.bar != nil {
		p.bar.Finish()
		fmt.Fprintln(p.w)
	}
}

// commandAt is sim.CommandAt: the run's command with --gens set to gen.
func commandAt(cmd string, gen int) string { return sim.CommandAt(cmd, gen) }

// Flag helpers shared with sim.RunSettings (eval and bench use them too).
var (
	list           = sim.List
	parseEarlyStop = sim.ParseEarlyStop
)
