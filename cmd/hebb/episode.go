package main

import (
	"github.com/spf13/pflag"

	"github.com/hebbsim/hebbsim/brain"
	"github.com/hebbsim/hebbsim/sim"
)

// episodeFlags are the flags of the commands that record one episode of a
// rule file (trace, trajectory), registered and run in one place.
type episodeFlags struct {
	rules, env, obs, morph, damage, perturb string
	steps                                   int
	seed                                    int64
	flags                                   *pflag.FlagSet
}

func (e *episodeFlags) register(f *pflag.FlagSet, rulesHelp string) {
	e.flags = f
	f.StringVar(&e.rules, "rules", "", rulesHelp)
	f.StringVar(&e.env, "env", "", "environment (default: the rule file's)")
	f.StringVar(&e.obs, "obs", "", "observation mode (default: the rule file's)")
	f.IntVar(&e.steps, "steps", 1000, "at most this many steps (up to the env's episode length, 1000)")
	f.Int64Var(&e.seed, "seed", sim.EvalSeedStart, "world and initial-weight seed")
	f.StringVar(&e.morph, "morphology", "healthy", "body, e.g. FL-short")
	f.StringVar(&e.damage, "damage", "", "damage during the episode: TARGET:KIND@STEP,… e.g. BR:shorten@300")
	f.StringVar(&e.perturb, "perturb", "", "racer perturbation: KIND@STEP,… e.g. oil@200")
}

// recording is one recorded episode.
type recording struct {
	rf       *brain.RuleFile
	env, obs string
	events   []sim.Event
	rec      *brain.TraceRecorder
	res      sim.Result
}

// record loads the rule file, lets check refuse it (nil: accept any), and
// runs and records the episode the flags describe.
func (e *episodeFlags) record(check func(*brain.RuleFile) error) (*recording, error) {
	r, err := e.load(check)
	if err != nil {
		return nil, err
	}
	r.rec, r.res, err = sim.Trace(r.env, r.obs, r.rf, e.options(r.events))
	if err != nil {
		return nil, err
	}
	return r, nil
}

// load checks the flags and loads the rule file, its env and the events,
// without running anything (hebb record steps the episode itself).
func (e *episodeFlags) load(check func(*brain.RuleFile) error) (*recording, error) {
	rf, err := loadRules(e.rules)
	if err != nil {
		return nil, err
	}
	if check != nil {
		if err := check(rf); err != nil {
			return nil, err
		}
	}
	env, obs, err := envOf(rf, e.env, e.obs)
	if err != nil {
		return nil, err
	}
	if err := e.check(e.flags, env, obs); err != nil {
		return nil, err
	}
	sched, err := sim.ParseEvents(e.damage, "")
	if err != nil {
		return nil, usageErr("--damage: %v", err)
	}
	pert, err := sim.ParseEvents(e.perturb, "car")
	if err != nil {
		return nil, usageErr("--perturb: %v", err)
	}
	return &recording{rf: rf, env: env, obs: obs, events: append(sched, pert...)}, nil
}

// options are the episode the flags describe, with events.
func (e *episodeFlags) options(events []sim.Event) sim.TraceOptions {
	return sim.TraceOptions{Seed: e.seed, Steps: e.steps, Morphology: e.morph, Schedule: events}
}
