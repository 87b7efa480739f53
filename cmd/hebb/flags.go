package main

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/hebbsim/hebbsim/internal/flagcheck"
	"github.com/hebbsim/hebbsim/physics"
	"github.com/hebbsim/hebbsim/sim"
)

// Every subcommand checks the ranges of its flags here, through
// internal/flagcheck, before it does any work or writes any file: a bad
// value is one line naming the flag and what is valid, never a silent
// clamp or a default put in its place.

// episodeSteps is the number of steps an episode of env runs with the
// --max-steps (or --steps) flag value v: the env's length when the flag
// was not given; a value given must lie in [1, the env's length] (0 is not
// a way to say "the default").
func episodeSteps(flags *pflag.FlagSet, name string, v int, spec sim.EnvSpec) (int, error) {
	if !flags.Changed(name) && v == 0 {
		return spec.MaxSteps, nil
	}
	if err := flagcheck.Int(name, v, 1, spec.MaxSteps); err != nil {
		return 0, err
	}
	return v, nil
}

// checkEvents checks that each event of a --damage or --perturb value
// happens within the episode (steps 0 … steps−1) and that --perturb, which
// acts on the racer's car, is not given for a body without one.
func checkEvents(flag, value string, events []sim.Event, steps int, spec sim.EnvSpec, obs string) error {
	if len(events) == 0 {
		return nil
	}
	if flag == "perturb" {
		env, err := spec.New(obs)
		if err != nil {
			return err
		}
		d, ok := env.(physics.Damageable)
		if !ok || !slices.Contains(d.DamageTargets(), "car") {
			return fmt.Errorf("--perturb is for the racer (oil, engine, steering of the car); %s is damaged with --damage TARGET:KIND@STEP", spec.Name)
		}
	}
	items := strings.Split(value, ",")
	for i, ev := range events {
		shown := value
		if i < len(items) {
			shown = strings.TrimSpace(items[i])
		}
		if err := flagcheck.IntIn(flag, shown, ev.Step, 0, steps-1, fmt.Sprintf("a step of the %d-step episode", steps)); err != nil {
			return err
		}
	}
	return nil
}

// checkEvalFlags checks eval's flags for env/obs, and returns the episode
// length.
func checkEvalFlags(flags *pflag.FlagSet, o evalOpts, env, obs string) (int, error) {
	spec, err := sim.Lookup(env)
	if err != nil {
		return 0, err
	}
	steps, err := episodeSteps(flags, "max-steps", o.maxSteps, spec)
	if err != nil {
		return 0, err
	}
	if err := flagcheck.First(
		flagcheck.IntMin("episodes", o.episodes, 1),
		flagcheck.IntMin("workers", o.workers, 0),
		flagcheck.Int("mark", o.mark, 0, steps-1),
		flagcheck.Int("freeze-at", o.freezeAt, 0, steps-1),
	); err != nil {
		return 0, err
	}
	// The suite's damage must come after the first step and before the
	// last (sim.Suite).
	if err := flagcheck.Int("at", o.at, 1, steps-1); o.suite != "" && err != nil {
		return 0, err
	}
	if o.mark > 0 && spec.Name != "quadruped" {
		return 0, fmt.Errorf("--mark reports the metres walked after a step: it is for the quadruped, not the %s", spec.Name)
	}
	for _, e := range []struct{ flag, value, target string }{{"damage", o.damage, ""}, {"perturb", o.perturb, "car"}} {
		evs, err := sim.ParseEvents(e.value, e.target)
		if err != nil {
			return 0, fmt.Errorf("--%s: %v", e.flag, strings.TrimPrefix(err.Error(), "sim: "))
		}
		if err := checkEvents(e.flag, e.value, evs, steps, spec, obs); err != nil {
			return 0, err
		}
	}
	return steps, nil
}

// check checks the flags of trace and trajectory for env/obs.
func (e *episodeFlags) check(flags *pflag.FlagSet, env, obs string) error {
	spec, err := sim.Lookup(env)
	if err != nil {
		return err
	}
	steps, err := episodeSteps(flags, "steps", e.steps, spec)
	if err != nil {
		return err
	}
	for _, ev := range []struct{ flag, value, target string }{{"damage", e.damage, ""}, {"perturb", e.perturb, "car"}} {
		evs, err := sim.ParseEvents(ev.value, ev.target)
		if err != nil {
			return fmt.Errorf("--%s: %v", ev.flag, strings.TrimPrefix(err.Error(), "sim: "))
		}
		if err := checkEvents(ev.flag, ev.value, evs, steps, spec, obs); err != nil {
			return err
		}
	}
	return nil
}

// benchNames are what bench --env takes: the envs, each with its
// observation modes, and the brains.
func benchNames() []string {
	var out []string
	for _, spec := range sim.Envs() {
		out = append(out, spec.Name)
		if len(spec.ObsModes) > 1 {
			for _, obs := range spec.ObsModes {
				out = append(out, spec.Name+"-"+obs)
			}
		}
	}
	// "none" measures no environment or brain: only what other flags ask
	// for (--distributed).
	return append(out, "none")
}

// checkBenchFlags checks bench's flags.
func checkBenchFlags(envs string, dur time.Duration, episodes, workers int) error {
	if strings.TrimSpace(envs) != "" && len(list(envs)) == 0 {
		return fmt.Errorf("--env %q names nothing: want one or more of %s", envs, strings.Join(benchNames(), ", "))
	}
	for _, name := range list(envs) {
		if err := flagcheck.OneOf("env", name, benchNames()); err != nil {
			return err
		}
	}
	return flagcheck.First(
		flagcheck.Duration("duration", dur, 100*time.Millisecond, time.Hour),
		flagcheck.Int("episodes", episodes, 1, 100000),
		flagcheck.IntMin("workers", workers, 0),
	)
}

// checkEvolveFlags checks evolve's numeric flags and the episode length
// they imply; it runs before the run directory is made.
func checkEvolveFlags(flags *pflag.FlagSet, o evolveOpts) error {
	if err := flagcheck.First(
		flagcheck.IntMin("gens", o.gens, 1),
		flagcheck.IntMin("pop", o.Pop, 2),
		flagcheck.IntMin("workers", o.workers, 0),
		flagcheck.IntMin("episodes", o.Episodes, 1),
		flagcheck.Positive("lr", o.LR),
		flagcheck.Positive("sigma", o.Sigma),
		flagcheck.Float("decay", o.Decay, 0.5, 1),
		flagcheck.Float("sigma-decay", o.SigmaDecay, 0.5, 1),
		flagcheck.Float("lr-min", o.LRMin, 0, o.LR),
		flagcheck.Float("sigma-min", o.SigmaMin, 0, o.Sigma),
		flagcheck.Float("l2", o.L2, 0, 1e6),
		flagcheck.Float("init-std", o.InitStd, 0, 1e6),
		flagcheck.Float("damage-prob", o.DamageProb, 0, 1),
		flagcheck.Duration("plot-every", o.plotEvery, 0, 0),
		flagcheck.Duration("time-budget", o.budget, 0, 0),
	); err != nil {
		return err
	}
	if o.stepBudget < 0 {
		return fmt.Errorf("--step-budget %d is out of range: want an integer ≥ 0 (0: none)", o.stepBudget)
	}
	if o.Pop%2 != 0 {
		return fmt.Errorf("--pop %d is out of range: want an even integer ≥ 2 (antithetic pairs)", o.Pop)
	}
	spec, err := sim.Lookup(o.Env)
	if err != nil {
		return fmt.Errorf("--env %q is not known: want one of %s", o.Env, strings.Join(sim.EnvNames(), ", "))
	}
	steps, err := episodeSteps(flags, "max-steps", o.MaxSteps, spec)
	if err != nil {
		return err
	}
	if o.DamageProb == 0 && o.DamagePlan == "" {
		return nil
	}
	from, to, ok := strings.Cut(o.DamageSteps, ":")
	var a, b int
	if _, e1 := fmt.Sscan(from, &a); e1 != nil || !ok {
		return fmt.Errorf("--damage-steps %q: want FROM:TO, e.g. 100:700", o.DamageSteps)
	}
	if _, e2 := fmt.Sscan(to, &b); e2 != nil {
		return fmt.Errorf("--damage-steps %q: want FROM:TO, e.g. 100:700", o.DamageSteps)
	}
	return flagcheck.First(
		flagcheck.IntIn("damage-steps", o.DamageSteps, a, 0, steps-1, fmt.Sprintf("FROM, a step of the %d-step episode,", steps)),
		flagcheck.IntIn("damage-steps", o.DamageSteps, b, a, steps-1, "TO, from FROM to the last step,"),
	)
}

// checkRecord checks hebb record's picture flags (its episode flags are
// episodeFlags.check's): the clip's size, frame rate, zoom (0: the env's
// default) and palette size.
func checkRecord(w, h int, fps, zoom float64, colours int) error {
	return flagcheck.First(
		flagcheck.Int("width", w, 64, 1920),
		flagcheck.Int("height", h, 64, 1080),
		flagcheck.Float("fps", fps, 1, 50),
		flagcheck.Float("zoom", zoom, 0, 400),
		flagcheck.Int("colours", colours, 8, 255),
	)
}
