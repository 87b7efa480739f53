package sim

import (
	"fmt"

	"github.com/hebbsim/hebbsim/brain"
)

// Prepare sets up one episode of rf's network on env envName (obs mode
// obs) as opts describe, reset and ready to step: the tools that watch an
// episode step by step (Trace, `hebb record`) share it. It returns the
// episode, the network (to read its layers) and the step limit.
func Prepare(envName, obs string, rf *brain.RuleFile, opts TraceOptions) (*Episode, *brain.Network, int, error) {
	spec, err := Lookup(envName)
	if err != nil {
		return nil, nil, 0, err
	}
	if obs, err = spec.CheckObs(obs); err != nil {
		return nil, nil, 0, err
	}
	net, err := rf.NewNetwork()
	if err != nil {
		return nil, nil, 0, err
	}
	env, err := spec.New(obs)
	if err != nil {
		return nil, nil, 0, err
	}
	if env.ObsSize() != net.ObsSize() || env.ActSize() != net.ActionSize() {
		return nil, nil, 0, fmt.Errorf("sim: the rule file's network (%d→%d) does not fit %s/%s (%d→%d)", net.ObsSize(), net.ActionSize(), envName, obs, env.ObsSize(), env.ActSize())
	}
	steps := opts.Steps
	if steps <= 0 || steps > spec.MaxSteps {
		steps = spec.MaxSteps
	}
	morph, err := FindMorphology(env, opts.Morphology)
	if err != nil {
		return nil, nil, 0, err
	}
	if err := CheckSchedule(env, opts.Schedule); err != nil {
		return nil, nil, 0, err
	}
	ep := NewEpisode(env, net, Config{MaxSteps: steps, Morphology: morph, Schedule: opts.Schedule})
	seed := opts.Seed
	if seed == 0 {
		seed = EvalSeedStart
	}
	if err := ep.Reset(seed); err != nil {
		return nil, nil, 0, err
	}
	return ep, net, steps, nil
}
