package sim

import (
	"fmt"
	"math"
	"runtime"
	"slices"
	"strconv"
	"strings"

	"github.com/hebbsim/hebbsim/brain"
	"github.com/hebbsim/hebbsim/physics"
)

// EvalOptions says how to evaluate one network. The zero value runs one
// episode on the healthy body from EvalSeedStart with the env's episode
// length and no early stop.
type EvalOptions struct {
	Episodes   int    // 0: 1
	SeedStart  int64  // world seeds SeedStart, SeedStart+1, …; 0: EvalSeedStart
	Morphology string // "" or "healthy": no damage
	Schedule   []Event
	MaxSteps   int        // 0: the env's default
	EarlyStop  *EarlyStop // nil: none (evaluation runs whole episodes)
	Mark       int        // record the distance after this many steps (0: off)
	Workers    int        // 0: all cores; never changes the results
	// FreezeAt stops plasticity from this step on (0: never): the
	// ablation that asks how much of the behaviour is the weights changing.
	FreezeAt int
}

// Evaluate runs rf's network on env/obs for opts.Episodes episodes in
// parallel and returns their results in seed order.
func Evaluate(envName, obs string, rf *brain.RuleFile, opts EvalOptions) ([]Result, error) {
	spec, err := Lookup(envName)
	if err != nil {
		return nil, err
	}
	if obs, err = spec.CheckObs(obs); err != nil {
		return nil, err
	}
	net, err := rf.NewNetwork()
	if err != nil {
		return nil, err
	}
	params := make([]float64, net.NumParams())
	net.Params(params)
	base := Config{MaxSteps: opts.MaxSteps, Mark: opts.Mark, FrozenAfter: opts.FreezeAt}
	if base.MaxSteps == 0 {
		base.MaxSteps = spec.MaxSteps
	}
	if base.MaxSteps < 0 || base.MaxSteps > spec.MaxSteps {
		return nil, fmt.Errorf("sim: max steps %d must lie in [1, %d] for %s", base.MaxSteps, spec.MaxSteps, spec.Name)
	}
	if opts.EarlyStop != nil {
		base.EarlyStop = *opts.EarlyStop
	}
	n := max(opts.Episodes, 1)
	w := opts.Workers
	if w <= 0 {
		w = runtime.GOMAXPROCS(0)
	}
	pool, err := NewPool(min(w, n), base,
		func() (physics.Env, error) { return spec.New(obs) },
		func() (Genome, error) { return rf.NewNetwork() })
	if err != nil {
		return nil, err
	}
	if o := pool.Env().ObsSize(); o != net.ObsSize() {
		return nil, fmt.Errorf("sim: the rule file's network takes %d observations, %s/%s gives %d", net.ObsSize(), envName, obs, o)
	}
	if a := pool.Env().ActSize(); a != net.ActionSize() {
		return nil, fmt.Errorf("sim: the rule file's network gives %d actions, %s needs %d", net.ActionSize(), envName, a)
	}
	morph, err := FindMorphology(pool.Env(), opts.Morphology)
	if err != nil {
		return nil, err
	}
	if err := CheckSchedule(pool.Env(), opts.Schedule); err != nil {
		return nil, err
	}
	start := opts.SeedStart
	if start == 0 {
		start = EvalSeedStart
	}
	jobs := make([]Job, n)
	for i := range jobs {
		jobs[i] = Job{Seed: start + int64(i), Morphology: morph, Schedule: opts.Schedule}
	}
	return pool.Run([][]float64{params}, jobs)
}

// CheckSchedule reports events env cannot apply (unknown targets or kinds,
// negative steps).
func CheckSchedule(env physics.Env, s []Event) error {
	if len(s) == 0 {
		return nil
	}
	dm, ok := env.(physics.Damageable)
	if !ok {
		return fmt.Errorf("sim: environment %q cannot be damaged", env.Name())
	}
	for _, ev := range s {
		if ev.Step < 0 {
			return fmt.Errorf("sim: event at negative step %d", ev.Step)
		}
		if ev.Damage.Target != "" && !slices.Contains(dm.DamageTargets(), ev.Damage.Target) {
			return fmt.Errorf("sim: unknown damage target %q for %s (valid: %s)", ev.Damage.Target, env.Name(), strings.Join(dm.DamageTargets(), ", "))
		}
		if kinds := physics.PlannableKinds(dm); !ev.Repair && !slices.Contains(kinds, ev.Damage.Kind) {
			return fmt.Errorf("sim: unknown damage kind %q for %s (valid: %s)", ev.Damage.Kind, env.Name(), strings.Join(kinds, ", "))
		}
	}
	return nil
}

// ParseEvents parses a schedule such as "FL:shorten@300,BR:paralyze@500"
// or, with defaultTarget "car", "oil@200". "TARGET:repair@STEP" repairs
// (target "all" repairs everything). An empty string is no events.
func ParseEvents(spec, defaultTarget string) ([]Event, error) {
	var out []Event
	if strings.TrimSpace(spec) == "" {
		return nil, nil
	}
	for _, item := range strings.Split(spec, ",") {
		item = strings.TrimSpace(item)
		what, at, ok := strings.Cut(item, "@")
		if !ok {
			return nil, fmt.Errorf("sim: event %q: want TARGET:KIND@STEP, e.g. FL:shorten@300", item)
		}
		step, err := strconv.Atoi(at)
		if err != nil || step < 0 {
			return nil, fmt.Errorf("sim: event %q: step %q is not a non-negative integer", item, at)
		}
		target, kind, ok := strings.Cut(what, ":")
		if !ok {
			target, kind = defaultTarget, what
		}
		if target == "" || kind == "" {
			return nil, fmt.Errorf("sim: event %q: want TARGET:KIND@STEP, e.g. FL:shorten@300", item)
		}
		ev := Event{Step: step, Damage: physics.Damage{Target: target, Kind: kind}}
		if kind == "repair" {
			ev.Repair, ev.Damage.Kind = true, ""
			if target == "all" {
				ev.Damage.Target = ""
			}
		}
		out = append(out, ev)
	}
	return out, nil
}

// Summary is the mean and the (population) standard deviation of xs.
func Summary(xs []float64) (mean, std float64) {
	if len(xs) == 0 {
		return math.NaN(), math.NaN()
	}
	for _, x := range xs {
		mean += x
	}
	mean /= float64(len(xs))
	for _, x := range xs {
		std += (x - mean) * (x - mean)
	}
	return mean, math.Sqrt(std / float64(len(xs)))
}

// TraceOptions says how to record a trace.
type TraceOptions struct {
	Seed       int64 // world (and initial weight) seed; 0: EvalSeedStart
	Steps      int   // at most this many steps; 0: the env's episode length
	Morphology string
	Schedule   []Event
}

// Trace runs one episode of rf's network with a brain.TraceRecorder hooked
// into Episode.BeforeUpdate and returns the recorder (call Save on it) and
// the episode's result.
func Trace(envName, obs string, rf *brain.RuleFile, opts TraceOptions) (*brain.TraceRecorder, Result, error) {
	ep, net, steps, err := Prepare(envName, obs, rf, opts)
	if err != nil {
		return nil, Result{}, err
	}
	rec, err := brain.NewTraceRecorder(net, steps)
	if err != nil {
		return nil, Result{}, err
	}
	ep.BeforeUpdate = rec.Record
	if err := ep.Reset(ep.Seed()); err != nil {
		return nil, Result{}, err
	}
	res := ep.Run()
	rec.Finish()
	return rec, res, nil
}
