package sim

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/hebbsim/hebbsim/physics"
)

// Event changes the body at a given step of an episode: damage, or repair
// when Repair is set (Damage.Target names what to repair; "" repairs all).
type Event struct {
	Step   int // applied just before the env step with this index (0 = first)
	Damage physics.Damage
	Repair bool
}

// EarlyStop ends an episode early. Its zero value never stops.
//
// Run ends it after Run consecutive steps with negative reward, counted
// only from step After on (reason "early stop"); the reference uses Run
// 20 for the racer and Run 30, After 200 for the quadruped (DESIGN.md §1).
//
// Stall ends it when the body has not got Progress metres further than its
// best distance so far for Stall consecutive steps (reason "stalled"), a
// stop by progress instead of by reward: the quadruped's reward is
// negative whenever the energy cost exceeds the forward gain, which is
// true of many slow but steady walkers, so a reward-based stop would end
// the episodes of the gaits evolution should be refining (see sim/doc.go).
type EarlyStop struct {
	Run   int
	After int

	Stall    int
	Progress float64
}

// Config sets up an Episode. The zero value runs until the environment
// says done, with no early stop, no damage and a healthy body.
type Config struct {
	MaxSteps   int                 // 0: until the env ends the episode
	EarlyStop  EarlyStop           // 0: off
	Morphology *physics.Morphology // nil: healthy
	Schedule   []Event             // damage and repair during the episode, by step
	// FrozenAfter stops plasticity from this step on (0: never); for
	// experiments that ask how much the controller needs weights to keep
	// changing.
	FrozenAfter int
	// Mark records the distance after this many steps in
	// Result.DistanceAtMark (0: off), to measure what a body walks after
	// damage switched on at that step.
	Mark int
	// Timing accumulates wall-clock time per phase (for the app's HUD). It
	// never influences the trajectory.
	Timing bool
}

// Step is what one Episode.Step reports.
type Step struct {
	physics.StepInfo
	Index  int       // the step's index in the episode, from 0
	Return float64   // sum of rewards so far, this step included
	Action []float32 // the action taken (owned by the controller; copy to keep)
	Events []Event   // events applied just before this step
}

// Result summarises a finished episode.
type Result struct {
	Seed     int64
	Return   float64
	Steps    int
	Distance float64 // quadruped: metres walked
	Tiles    int     // racer: tiles visited
	TilesAll int     // racer: tiles on the track
	Reason   string  // why it ended
	// LostSteps (racer) is how many steps the car spent lost, more than
	// 20 m from the road (physics.StepInfo.Lost).
	LostSteps int
	// DistanceAtMark is the distance after Config.Mark steps (the final
	// distance if the episode ended sooner); 0 when Mark is off.
	DistanceAtMark float64
	// ActionAbsMean is the mean over steps of each action component's
	// magnitude (racer: |steer|, gas, brake; quadruped: each motor's
	// effort): how a policy drives, e.g. whether it ever brakes.
	ActionAbsMean []float64
	// SpeedMean (racer) is the mean over steps of the car's speed, m/s.
	SpeedMean float64
}

// Episode is the one rollout loop: reset with a seed → fresh random weights →
// forward, act, step, Hebbian update, until done. The trainer, the evaluator
// and the desktop app all drive bodies through it.
type Episode struct {
	Env  physics.Env
	Ctrl Controller
	Cfg  Config

	// BeforeUpdate, when set, is called after the env step and before the
	// controller's Update (for traces that record the weights an update
	// starts from).
	BeforeUpdate func()

	seed      int64
	obs       []float32
	step      int
	ret       float64
	last      physics.StepInfo
	done      bool
	reason    string
	negRun    int
	bestDist  float64   // best distance so far (Stall)
	bestStep  int       // the step that set it
	markDist  float64   // distance at Cfg.Mark
	lost      int       // steps with StepInfo.Lost
	absAct    []float64 // sums of |action| per component
	speed     float64   // sum of StepInfo.Speed
	pending   []Event
	BrainTime time.Duration
	PhysTime  time.Duration
}

// NewEpisode wires env to ctrl. Call Reset before the first Step.
func NewEpisode(env physics.Env, ctrl Controller, cfg Config) *Episode {
	return &Episode{Env: env, Ctrl: ctrl, Cfg: cfg, obs: make([]float32, env.ObsSize())}
}

// WeightSeed derives the seed of the initial random weights from an
// episode seed, so that an episode is reproducible from its seed alone.
func WeightSeed(seed int64) (uint64, uint64) {
	return uint64(seed), 0x6865626273696d // "hebbsim"
}

// Reset starts a new episode: a new world from seed, the morphology's
// damage, and fresh random weights drawn from a source derived from seed.
func (e *Episode) Reset(seed int64) error {
	e.seed, e.step, e.ret, e.done, e.reason, e.negRun = seed, 0, 0, false, "", 0
	e.bestDist, e.bestStep, e.markDist, e.lost = 0, 0, 0, 0
	e.absAct, e.speed = make([]float64, e.Env.ActSize()), 0
	e.last = physics.StepInfo{}
	e.BrainTime, e.PhysTime = 0, 0
	e.Env.Reset(seed)
	if m := e.Cfg.Morphology; m != nil {
		for _, d := range m.Damages {
			if err := e.damageable().ApplyDamage(d); err != nil {
				return fmt.Errorf("sim: morphology %q: %w", m.Name, err)
			}
		}
	}
	e.RewireBrain(seed)
	return nil
}

// RewireBrain re-draws the controller's random weights mid-episode (the
// app's "brain wipe"); the body and the world are untouched.
func (e *Episode) RewireBrain(seed int64) {
	e.Ctrl.Reset(rand.New(rand.NewPCG(WeightSeed(seed))))
}

func (e *Episode) damageable() physics.Damageable {
	d, ok := e.Env.(physics.Damageable)
	if !ok {
		return noDamage{e.Env.Name()}
	}
	return d
}

// Apply queues an event to take effect before the next step (the app's
// damage keys use it).
func (e *Episode) Apply(ev Event) { e.pending = append(e.pending, ev) }

// Done reports whether the episode has ended.
func (e *Episode) Done() bool { return e.done }

// Seed is the seed of the current episode.
func (e *Episode) Seed() int64 { return e.seed }

// Index is the number of steps taken so far.
func (e *Episode) Index() int { return e.step }

// Return is the sum of rewards so far.
func (e *Episode) Return() float64 { return e.ret }

// Obs is the last observation the controller saw.
func (e *Episode) Obs() []float32 { return e.obs }

// Step runs one step: scheduled events, forward pass, env step, update.
// After the episode is done it returns the last step's info with Done set.
func (e *Episode) Step() Step {
	if e.done {
		return Step{StepInfo: e.last, Index: e.step - 1, Return: e.ret}
	}
	var applied []Event
	for _, ev := range e.Cfg.Schedule {
		if ev.Step == e.step {
			applied = append(applied, ev)
		}
	}
	applied = append(applied, e.pending...)
	e.pending = e.pending[:0]
	for _, ev := range applied {
		if ev.Repair {
			e.damageable().Repair(ev.Damage.Target)
		} else if err := e.damageable().ApplyDamage(ev.Damage); err != nil {
			// Schedules are validated before an episode starts; an event
			// that still fails is reported and ends nothing.
			e.reason = "damage: " + err.Error()
		}
	}

	var t0 time.Time
	if e.Cfg.Timing {
		t0 = time.Now()
	}
	e.Env.Observe(e.obs)
	act := e.Ctrl.Forward(e.obs)
	if e.Cfg.Timing {
		t1 := time.Now()
		e.BrainTime += t1.Sub(t0)
		t0 = t1
	}
	info := e.Env.Step(act)
	if e.Cfg.Timing {
		t1 := time.Now()
		e.PhysTime += t1.Sub(t0)
		t0 = t1
	}
	if e.BeforeUpdate != nil {
		e.BeforeUpdate()
	}
	if e.Cfg.FrozenAfter == 0 || e.step < e.Cfg.FrozenAfter {
		e.Ctrl.Update()
	}
	if e.Cfg.Timing {
		e.BrainTime += time.Since(t0)
	}

	if math.IsNaN(info.Reward) || math.IsInf(info.Reward, 0) {
		info.Reward, info.Done, info.Reason = 0, true, "physics: reward is not a finite number"
	}
	e.ret += info.Reward
	e.step++
	if info.Reward < 0 && e.step > e.Cfg.EarlyStop.After {
		e.negRun++
	} else {
		e.negRun = 0
	}
	if info.Distance > e.bestDist+e.Cfg.EarlyStop.Progress {
		e.bestDist, e.bestStep = info.Distance, e.step
	}
	switch {
	case info.Done:
	case e.Cfg.EarlyStop.Run > 0 && e.negRun >= e.Cfg.EarlyStop.Run:
		info.Done, info.Reason = true, "early stop"
	case e.Cfg.EarlyStop.Stall > 0 && e.step-e.bestStep >= e.Cfg.EarlyStop.Stall:
		info.Done, info.Reason = true, "stalled"
	case e.Cfg.MaxSteps > 0 && e.step >= e.Cfg.MaxSteps:
		info.Done, info.Reason = true, "step limit"
	}
	if info.Lost {
		e.lost++
	}
	for i, a := range act[:len(e.absAct)] {
		e.absAct[i] += math.Abs(float64(a))
	}
	e.speed += info.Speed
	if e.Cfg.Mark > 0 && e.step <= e.Cfg.Mark {
		e.markDist = info.Distance
	}
	e.last, e.done = info, info.Done
	if info.Done {
		e.reason = info.Reason
	}
	return Step{StepInfo: info, Index: e.step - 1, Return: e.ret, Action: act, Events: applied}
}

// Run steps until the episode is done and summarises it.
func (e *Episode) Run() Result {
	for !e.done {
		e.Step()
	}
	return e.Result()
}

// Result summarises the episode so far.
func (e *Episode) Result() Result {
	r := Result{
		Seed: e.seed, Return: e.ret, Steps: e.step, Reason: e.reason,
		Distance: e.last.Distance, Tiles: e.last.Tiles, TilesAll: e.last.TilesTotal,
		DistanceAtMark: e.markDist, LostSteps: e.lost,
		ActionAbsMean: make([]float64, len(e.absAct)),
	}
	if e.step > 0 {
		n := float64(e.step)
		for i, s := range e.absAct {
			r.ActionAbsMean[i] = s / n
		}
		r.SpeedMean = e.speed / n
	}
	return r
}

// noDamage stands in for an Env that cannot be damaged.
type noDamage struct{ env string }

func (n noDamage) DamageTargets() []string { return nil }
func (n noDamage) DamageKinds() []string   { return nil }
func (n noDamage) ApplyDamage(d physics.Damage) error {
	return fmt.Errorf("environment %q cannot be damaged", n.env)
}
func (n noDamage) Repair(string)                      {}
func (n noDamage) DamageState() map[string]string     { return nil }
func (n noDamage) Morphologies() []physics.Morphology { return nil }
