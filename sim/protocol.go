package sim

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"

	"github.com/hebbsim/hebbsim/physics"
)

// Seed ranges. Training worlds are drawn from [0, TrainSeeds); evaluation
// starts at EvalSeedStart, so no evaluation world was ever seen in training.
const (
	TrainSeeds    = 1_000_000
	EvalSeedStart = 1_000_000_000
)

// MidDamage is damage switched on during an episode at a random step.
// The zero value never damages.
type MidDamage struct {
	Prob     float64  // probability that an episode is damaged; 0: never
	From, To int      // the damage step is uniform in [From, To]
	Targets  []string // what may be damaged; empty: all the env's targets
	Kinds    []string // which kinds; empty: the env's first ("shorten" for the quadruped, "oil" for the racer)
	// Plan, when set, replaces Prob with a fixed layout: a candidate's
	// episode ep follows Plan[ep mod len(Plan)], which is "none" (healthy),
	// "*" (a random target of Targets), a target ("FL") or a target and a
	// kind ("FL:paralyze"); kinds and steps not given are drawn as usual.
	// Every candidate then meets every entry (a stratified sample: with
	// "none,FL,FR,BL,BR" each candidate walks healthy once and once with
	// each leg damaged), which removes the luck of which leg was drawn
	// from the fitness.
	Plan []string
}

// active reports whether any episode can be damaged.
func (d MidDamage) active() bool { return d.Prob > 0 || len(d.Plan) > 0 }

// Protocol is how candidates are evaluated, as data. The zero value is one
// episode on the healthy body with the fitness being the return.
type Protocol struct {
	// Episodes per morphology per candidate; 0: 1. A candidate's fitness is
	// the mean over Episodes × len(Morphologies) episodes.
	Episodes int
	// Morphologies are names from the env's Morphologies(); empty: the
	// healthy body only. The paper trains on healthy + one damaged body.
	Morphologies []string
	// Damage is mid-episode damage (on top of the morphology).
	Damage MidDamage
	// Fitness is "return" (default, "" too) or "distance" (metres walked)
	// or "tiles" (fraction of the track visited).
	Fitness string
	// Common, when true, gives every candidate of a generation the same
	// worlds, weight seeds and damage (common random numbers: ranks then
	// compare parameters, not luck); when false each antithetic pair gets
	// its own. Either way both members of a pair share them.
	Common bool
	// Aggregate reduces a candidate's episodes to its fitness: "" or
	// "mean", "min" (the worst episode) or "cvar:F" (the mean of the worst
	// fraction F of its episodes, 0 < F ≤ 1), which rewards rules whose
	// bad cases are less bad rather than whose good cases are better, or
	// "kept:C" (see kept.go): the damage plan's episodes are run in
	// pairs on the same worlds, and the fitness is the healthy measure,
	// capped at C, times one plus the mean share the damaged episodes
	// keep of it.
	Aggregate string
}

// cvarFraction parses Aggregate into the fraction of worst episodes that
// make the fitness (1: the mean).
func (p Protocol) cvarFraction() (float64, error) {
	switch a := p.Aggregate; {
	case strings.HasPrefix(a, "kept:"):
		return 1, nil
	case a == "" || a == "mean":
		return 1, nil
	case a == "min":
		return 0, nil
	case strings.HasPrefix(a, "cvar:"):
		f, err := strconv.ParseFloat(a[5:], 64)
		if err != nil || !(f > 0 && f <= 1) {
			return 0, fmt.Errorf("sim: aggregate %q: want cvar:F with 0 < F ≤ 1, e.g. cvar:0.5", a)
		}
		return f, nil
	}
	return 0, fmt.Errorf("sim: unknown aggregate %q (valid: mean, min, cvar:F, kept:C)", p.Aggregate)
}

// Validate checks the protocol against env (morphology names, damage
// targets and kinds, step range).
func (p Protocol) Validate(env physics.Env) error {
	if p.Episodes < 0 {
		return fmt.Errorf("sim: episodes %d must not be negative", p.Episodes)
	}
	switch p.Fitness {
	case "", "return", "distance", "tiles":
	default:
		return fmt.Errorf("sim: unknown fitness %q (valid: return, distance, tiles)", p.Fitness)
	}
	if _, err := p.morphologies(env); err != nil {
		return err
	}
	if _, err := p.cvarFraction(); err != nil {
		return err
	}
	if err := p.validateKept(); err != nil {
		return err
	}
	d := p.Damage
	if d.Prob < 0 || d.Prob > 1 || math.IsNaN(d.Prob) {
		return fmt.Errorf("sim: damage probability %v must lie in [0, 1]", d.Prob)
	}
	if !d.active() {
		return nil
	}
	dm, ok := env.(physics.Damageable)
	if !ok {
		return fmt.Errorf("sim: environment %q cannot be damaged", env.Name())
	}
	if d.From < 0 || d.To < d.From {
		return fmt.Errorf("sim: damage step range [%d, %d] is empty or negative", d.From, d.To)
	}
	for _, t := range d.Targets {
		if !slices.Contains(dm.DamageTargets(), t) {
			return fmt.Errorf("sim: unknown damage target %q (valid: %s)", t, strings.Join(dm.DamageTargets(), ", "))
		}
	}
	kinds := physics.PlannableKinds(dm)
	for _, k := range d.Kinds {
		if !slices.Contains(kinds, k) {
			return fmt.Errorf("sim: unknown damage kind %q (valid: %s)", k, strings.Join(kinds, ", "))
		}
	}
	for _, e := range d.Plan {
		t, k, _ := strings.Cut(e, ":")
		if e == "none" || e == "*" || (t == "*" && slices.Contains(kinds, k)) {
			continue
		}
		if !slices.Contains(dm.DamageTargets(), t) {
			return fmt.Errorf("sim: damage plan entry %q: unknown target %q (valid: none, *, %s)", e, t, strings.Join(dm.DamageTargets(), ", "))
		}
		if k != "" && !slices.Contains(kinds, k) {
			return fmt.Errorf("sim: damage plan entry %q: unknown kind %q (valid: %s)", e, k, strings.Join(kinds, ", "))
		}
	}
	return nil
}

// FindMorphology returns env's morphology called name ("healthy" or ""
// means no damage and returns nil).
func FindMorphology(env physics.Env, name string) (*physics.Morphology, error) {
	dm, ok := env.(physics.Damageable)
	if !ok {
		if name == "" || name == "healthy" {
			return nil, nil
		}
		return nil, fmt.Errorf("sim: environment %q has no morphologies (asked for %q)", env.Name(), name)
	}
	var names []string
	for _, m := range dm.Morphologies() {
		if m.Name == name {
			if len(m.Damages) == 0 {
				return nil, nil
			}
			return &m, nil
		}
		names = append(names, m.Name)
	}
	if name == "" || name == "healthy" {
		return nil, nil
	}
	return nil, fmt.Errorf("sim: unknown morphology %q for %s (valid: %s)", name, env.Name(), strings.Join(names, ", "))
}

func (p Protocol) morphologies(env physics.Env) ([]*physics.Morphology, error) {
	if len(p.Morphologies) == 0 {
		return []*physics.Morphology{nil}, nil
	}
	out := make([]*physics.Morphology, len(p.Morphologies))
	for i, n := range p.Morphologies {
		m, err := FindMorphology(env, n)
		if err != nil {
			return nil, err
		}
		out[i] = m
	}
	return out, nil
}

// mix is SplitMix64's finaliser: a well-spread hash of x.
func mix(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	return x ^ x>>31
}

// TrainSeed is the world seed of episode ep of candidate pair pair in
// generation gen of the run with seed run, in [0, TrainSeeds).
func TrainSeed(run uint64, gen, pair, ep int) int64 {
	h := mix(run ^ mix(uint64(gen)+0x9e3779b97f4a7c15*uint64(pair+1)) ^ mix(uint64(ep)<<40|0x7472))
	return int64(h % TrainSeeds)
}

// TrainJobs lays out the episodes of one generation: for each of n
// candidates (2k and 2k+1 an antithetic pair; candidates ≥ pop, such as
// the centre, use pair 0's worlds), Episodes × Morphologies jobs, in
// candidate-major order. Everything random derives from (run, gen, pair,
// episode), never from the worker that runs it.
func (p Protocol) TrainJobs(env physics.Env, run uint64, gen, n, pop int) ([]Job, error) {
	morphs, err := p.morphologies(env)
	if err != nil {
		return nil, err
	}
	eps := max(p.Episodes, 1)
	jobs := make([]Job, 0, n*eps*len(morphs))
	for c := 0; c < n; c++ {
		pair := c / 2
		if p.Common || c >= pop {
			pair = 0
		}
		for e := 0; e < eps; e++ {
			for mi, m := range morphs {
				ep := e*len(morphs) + mi
				world := p.world(ep)
				sched := p.damage(env, run, gen, pair, ep)
				jobs = append(jobs, Job{Candidate: c, Seed: TrainSeed(run, gen, pair, world), Morphology: m, Schedule: sched,
					Mark: p.mark(env, run, gen, pair, ep, sched)})
			}
		}
	}
	return jobs, nil
}

// damageRand is the generator of episode ep's damage: its first draw is
// the damage step. Episodes that share a world (kept:C) share it, and so
// the step.
func (p Protocol) damageRand(run uint64, gen, pair, ep int) *rand.Rand {
	return rand.New(rand.NewPCG(mix(run^0x64616d), uint64(gen)<<40^uint64(pair)<<20^uint64(p.world(ep))))
}

// damage draws the mid-episode damage of one episode (nil: none).
func (p Protocol) damage(env physics.Env, run uint64, gen, pair, ep int) []Event {
	d := p.Damage
	if !d.active() {
		return nil
	}
	r := p.damageRand(run, gen, pair, ep)
	target, kind := "*", ""
	if len(d.Plan) > 0 {
		entry := d.Plan[ep%len(d.Plan)]
		if entry == "none" {
			return nil
		}
		target, kind, _ = strings.Cut(entry, ":")
	} else if r.Float64() >= d.Prob {
		return nil
	}
	targets := d.Targets
	if len(targets) == 0 {
		if dm, ok := env.(physics.Damageable); ok {
			targets = dm.DamageTargets()
		}
	}
	if len(targets) == 0 {
		return nil
	}
	kinds := d.Kinds
	if len(kinds) == 0 {
		if dm, ok := env.(physics.Damageable); ok && len(dm.DamageKinds()) > 0 {
			kinds = dm.DamageKinds()[:1]
		}
	}
	// Draw in a fixed order whatever the plan fixes, so that a plan entry
	// changes only what it names.
	step := d.From + r.IntN(d.To-d.From+1)
	if p.world(ep) != ep {
		// A paired episode draws its own target and kind.
		r = rand.New(rand.NewPCG(mix(run^0x6b696e64), uint64(gen)<<40^uint64(pair)<<20^uint64(ep)))
	}
	t, k := targets[r.IntN(len(targets))], kinds[r.IntN(len(kinds))]
	if target != "*" {
		t = target
	}
	if kind != "" {
		k = kind
	}
	return []Event{{Step: step, Damage: physics.Damage{Target: t, Kind: k}}}
}

// FitnessOf reduces the results of TrainJobs to one value per candidate:
// the mean of the protocol's fitness measure over the candidate's episodes.
func (p Protocol) FitnessOf(jobs []Job, res []Result, n int) []float64 {
	if c, ok := p.keptCap(); ok {
		return p.keptFitness(jobs, res, n, c)
	}
	per := make([][]float64, n)
	for i, j := range jobs {
		per[j.Candidate] = append(per[j.Candidate], p.Measure(res[i]))
	}
	frac, err := p.cvarFraction()
	if err != nil {
		panic(err) // Validate refuses a bad Aggregate before any run
	}
	out := make([]float64, n)
	for c, xs := range per {
		out[c] = worstMean(xs, frac)
	}
	return out
}

// worstMean is the mean of the ⌈frac·len⌉ smallest of xs (at least one;
// frac 1: the mean of all). It sorts xs.
func worstMean(xs []float64, frac float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	k := len(xs)
	if frac < 1 {
		slices.Sort(xs)
		k = max(1, int(math.Ceil(frac*float64(len(xs))-1e-9)))
	}
	s := 0.0
	for _, x := range xs[:k] {
		s += x
	}
	return s / float64(k)
}

// Measure is the protocol's fitness measure of one episode.
func (p Protocol) Measure(r Result) float64 {
	switch p.Fitness {
	case "distance":
		return r.Distance
	case "tiles":
		if r.TilesAll == 0 {
			return 0
		}
		return float64(r.Tiles) / float64(r.TilesAll)
	}
	return r.Return
}
