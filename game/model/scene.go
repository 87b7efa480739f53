package model

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"sync/atomic"

	"github.com/hebbsim/hebbsim/brain"
	"github.com/hebbsim/hebbsim/physics"
	"github.com/hebbsim/hebbsim/sim"
)

// SceneSpec registers a scene of the app.
type SceneSpec struct {
	Name   string                                // registry name of the env, e.g. "quadruped"
	Title  string                                // tab label
	NewEnv func(obs string) (physics.Env, error) // builds the env for an observation mode ("" default)
	Arch   func(obs, act int) brain.Arch         // default architecture for random rules
	Hz     float64                               // env steps per simulated second
	Zoom   float64                               // home zoom, pixels per metre
	// Track: progress is the per cent of the track visited (the racer),
	// not metres walked; it decides labels from the first step on.
	Track bool
}

// ProgressTitle is the title of the progress plot.
func (s SceneSpec) ProgressTitle() string {
	if s.Track {
		return "track visited (%)"
	}
	return "distance (m)"
}

// Lane is one body with its brain: the scene shows one, or two in compare
// mode (Hebbian beside static, same seed, same damage at the same step).
type Lane struct {
	Label  string
	Env    physics.Env
	Brain  Brain
	Ep     *sim.Episode
	Hist   *History
	Cam    Camera
	Info   physics.StepInfo // the last step's info
	Action []float32        // a copy of the last action
	Err    string           // a panic recovered from the physics, if any
	Start  physics.Vec2     // the focus point at reset (distance markers count from it)
	Track  bool             // progress is track visited (SceneSpec.Track)
	Rules  *Rules           // what drives this lane

	nLayers int
	prevW   [][]float32 // the weights before a sampled step, to plot how much they moved
	pin     *pinTrack   // the synapse under the microscope (main lane only)
	order   *orderTrack // heatmap ordering state (main lane only)
}

// HistoryCap is the number of samples a lane's history keeps per series.
const HistoryCap = 1024

func newLane(label string, env physics.Env, b Brain, zoom float64) *Lane {
	ep := sim.NewEpisode(env, b, sim.Config{Timing: true})
	names := []string{"return", "progress"}
	nl := len(b.Layers())
	for l := 0; l < nl; l++ {
		names = append(names, fmt.Sprintf("dw%d", l))
	}
	for a := 0; a < env.ActSize(); a++ {
		names = append(names, fmt.Sprintf("a%d", a))
	}
	return &Lane{Label: label, Env: env, Brain: b, Ep: ep, Hist: NewHistory(HistoryCap, names...),
		Cam: NewCamera(zoom), Action: make([]float32, env.ActSize()), nLayers: nl}
}

// Done reports whether the lane's episode has ended.
func (l *Lane) Done() bool { return l.Ep.Done() || l.Err != "" }

// Progress is the quantity the second plot shows: metres walked for the
// quadruped, per cent of the track visited for the racer.
func (l *Lane) Progress() float64 {
	if l.Track {
		if l.Info.TilesTotal == 0 { // before the first step
			return 0
		}
		return 100 * float64(l.Info.Tiles) / float64(l.Info.TilesTotal)
	}
	return l.Info.Distance
}

// ProgressText is the progress as the HUD shows it: "12.3 m" or
// "track 45%".
func (l *Lane) ProgressText() string {
	if l.Track {
		return fmt.Sprintf("track %.0f%%", l.Progress())
	}
	return fmt.Sprintf("%.1f m", l.Progress())
}

// step runs one step, turning a physics panic into the end of the episode
// (DESIGN.md §3.6: Box2D asserts panic; recover at the env boundary).
func (l *Lane) step() {
	if l.Done() {
		return
	}
	defer func() {
		if r := recover(); r != nil {
			l.Err = fmt.Sprintf("physics: %v", r)
		}
	}()
	layers := l.Brain.Layers()
	if l.pin != nil {
		l.pin.before = l.pin.pin.weight(layers)
	}
	if l.order != nil {
		defer l.order.observe(l.Brain.Layers(), l.Ep.Index())
	}
	sampled := l.Hist.Wants(l.Ep.Index())
	if sampled {
		if len(l.prevW) != len(layers) {
			l.prevW = make([][]float32, len(layers))
		}
		for i, L := range layers {
			l.prevW[i] = append(l.prevW[i][:0], L.W...)
		}
	}
	st := l.Ep.Step()
	l.Info = st.StepInfo
	copy(l.Action, st.Action)
	if l.pin != nil {
		l.pin.after = l.pin.pin.weight(layers)
		l.pin.stepped = true
		l.pin.hist.Add(st.Index-l.pin.start, float64(l.pin.after))
	}
	if !sampled || !l.Hist.Wants(st.Index) {
		return
	}
	vals := make([]float64, 0, 2+l.nLayers+len(l.Action))
	vals = append(vals, st.Return, l.Progress())
	// How much the weights really moved this step, after normalisation:
	// the rule's raw Δw (Layer.DW) is rescaled with the layer when the rules
	// normalise, so it would overstate the change.
	for i, L := range layers {
		vals = append(vals, MeanAbsDiff(L.W, l.prevW[i]))
	}
	for _, a := range l.Action {
		vals = append(vals, float64(a))
	}
	l.Hist.Add(st.Index, vals...)
}

// MeanAbsDiff is the mean |a − b| over two slices of the same length.
func MeanAbsDiff(a, b []float32) float64 {
	if len(a) == 0 || len(a) != len(b) {
		return 0
	}
	var s float64
	for i, x := range a {
		s += math.Abs(float64(x - b[i]))
	}
	return s / float64(len(a))
}

// Scene is one environment with its rules, its lanes and its damage.
type Scene struct {
	Spec SceneSpec
	// Rules run in the scene when it does not compare: the last rule
	// file loaded, Hebbian or static.
	Rules *Rules
	// Hebb is the plastic network compare mode puts on the left: the last
	// Hebbian (non-static) rules loaded.
	Hebb *Rules
	// Static is the evolved static baseline compare mode puts on the
	// right; nil: the Hebbian network with frozen random weights.
	Static  *Rules
	Lanes   []*Lane
	Seed    int64
	Marks   []Mark
	Kind    string            // damage kind the leg keys apply
	Want    map[string]string // damage asked for (applied before the next step)
	Compare bool
	Pacer   Pacer
	// DoneTicks counts ticks since every lane finished (auto-restart).
	DoneTicks int
	// Episode numbers the episode running, unique in the process (every
	// Reset of any scene takes the next number), so that what the HUD and
	// each plot show can be checked to be the same episode.
	Episode int
}

// episodes is the last episode number handed out.
var episodes atomic.Int64

// NewScene builds a scene with rules (nil: random coefficients for the
// spec's default architecture).
func NewScene(spec SceneSpec, rules *Rules, seed int64) (*Scene, error) {
	s := &Scene{Spec: spec, Seed: seed, Want: map[string]string{}}
	if rules == nil {
		env, err := spec.NewEnv("")
		if err != nil {
			return nil, err
		}
		r, err := RandomRules(spec.Name, spec.Arch(env.ObsSize(), env.ActSize()), 1)
		if err != nil {
			return nil, err
		}
		rules = r
	}
	if err := s.SetRules(rules); err != nil {
		return nil, err
	}
	return s, nil
}

// IsStatic reports whether r are evolved static weights (no plasticity).
func (r *Rules) IsStatic() bool { return r != nil && r.Rule == brain.StaticName }

// SetRules swaps the rules and restarts the episode with the same seed:
// static weights run on their own and become compare mode's baseline;
// Hebbian rules run on their own and become compare mode's plastic
// network. On error the scene is unchanged.
func (s *Scene) SetRules(r *Rules) error {
	if r.Env != "" && r.Env != s.Spec.Name {
		return fmt.Errorf("rules are for %q, not %q", r.Env, s.Spec.Name)
	}
	hebb, static := s.Hebb, s.Static
	if r.IsStatic() {
		static = r
	} else {
		hebb = r
	}
	lanes, err := s.lanesFor(r, hebb, static, s.Compare)
	if err != nil {
		return err
	}
	s.Rules, s.Hebb, s.Static, s.Lanes = r, hebb, static, lanes
	s.Reset(s.Seed)
	return nil
}

// SetCompare switches compare mode and restarts so both lanes start
// together.
func (s *Scene) SetCompare(on bool) error {
	lanes, err := s.lanesFor(s.Rules, s.Hebb, s.Static, on)
	if err != nil {
		return err
	}
	s.Compare, s.Lanes = on, lanes
	s.Reset(s.Seed)
	return nil
}

// lanesFor builds the lanes: r alone, or in compare mode the Hebbian
// rules beside the static baseline.
func (s *Scene) lanesFor(r, hebb, static *Rules, compare bool) ([]*Lane, error) {
	mk := func(label string, rules *Rules, frozen bool) (*Lane, error) {
		env, err := s.Spec.NewEnv(rules.Obs)
		if err != nil {
			return nil, err
		}
		b, err := rules.NewBrain()
		if err != nil {
			return nil, err
		}
		if frozen {
			b = Frozen{b}
		}
		if o, ok := b.(interface{ ObsSize() int }); ok && o.ObsSize() != env.ObsSize() {
			return nil, fmt.Errorf("rules expect %d observations, %s gives %d", o.ObsSize(), env.Name(), env.ObsSize())
		}
		if a, ok := b.(interface{ ActionSize() int }); ok && a.ActionSize() != env.ActSize() {
			return nil, fmt.Errorf("rules give %d actions, %s takes %d", a.ActionSize(), env.Name(), env.ActSize())
		}
		ln := newLane(label, env, b, s.Spec.Zoom)
		ln.Track, ln.Rules = s.Spec.Track, rules
		return ln, nil
	}
	if !compare || hebb == nil {
		label := "Hebbian"
		if r.IsStatic() {
			label = "static (evolved)"
		}
		if compare { // static weights alone, nothing plastic loaded
			return nil, fmt.Errorf("no Hebbian rules loaded to compare with")
		}
		l, err := mk(label, r, false)
		if err != nil {
			return nil, err
		}
		return []*Lane{l}, nil
	}
	main, err := mk("Hebbian", hebb, false)
	if err != nil {
		return nil, err
	}
	var l *Lane
	if static != nil {
		// The evolved baseline only if it sees what the Hebbian
		// network sees (pixels vs rays); otherwise the comparison
		// would not be fair, and the frozen random network stands in.
		l, err = mk("static (evolved)", static, false)
		if err == nil && l.Env.ObsSize() != main.Env.ObsSize() {
			l, err = nil, nil
		}
	}
	if l == nil && err == nil {
		l, err = mk("static (random, frozen)", hebb, true)
	}
	if err != nil {
		return nil, err
	}
	return []*Lane{main, l}, nil
}

// Reset starts an episode with seed on every lane: fresh world, fresh
// random weights, healthy body, empty plots.
func (s *Scene) Reset(seed int64) {
	s.Seed, s.Marks, s.DoneTicks = seed, nil, 0
	s.Episode = int(episodes.Add(1))
	clear(s.Want)
	s.Pacer.Reset()
	for _, l := range s.Lanes {
		l.Err = ""
		func() {
			defer func() {
				if r := recover(); r != nil {
					l.Err = fmt.Sprintf("physics: %v", r)
				}
			}()
			if err := l.Ep.Reset(seed); err != nil {
				l.Err = err.Error()
			}
		}()
		l.Info = physics.StepInfo{}
		clear(l.Action)
		l.Hist.Clear()
		if l.pin != nil {
			l.pin.hist.Clear()
			l.pin.start = 0
			w := l.pin.pin.weight(l.Brain.Layers())
			l.pin.before, l.pin.after, l.pin.stepped = w, w, false
		}
		if l.order != nil {
			l.order.reset(l.Brain.Layers())
		}
		l.Cam.Center = l.Env.Focus()
		l.Start = l.Cam.Center
	}
}

// Step advances every running lane by n steps, in lockstep.
func (s *Scene) Step(n int) int {
	done := 0
	for k := 0; k < n; k++ {
		if s.Done() {
			break
		}
		for _, l := range s.Lanes {
			l.step()
		}
		done++
	}
	if done > 0 {
		s.syncWant()
	}
	return done
}

// syncWant makes Want what the main env reports once the queued events
// have been applied: damage can also end by itself (the racer's oil
// patch), and a toggle must then apply it again, not repair.
func (s *Scene) syncWant() {
	d := s.Damageable()
	if d == nil {
		return
	}
	clear(s.Want)
	for k, v := range d.DamageState() {
		s.Want[k] = v
	}
}

// Done reports whether every lane's episode has ended.
func (s *Scene) Done() bool {
	for _, l := range s.Lanes {
		if !l.Done() {
			return false
		}
	}
	return true
}

// Main is the Hebbian lane.
func (s *Scene) Main() *Lane { return s.Lanes[0] }

// Damageable returns the main lane's env as Damageable, or nil.
func (s *Scene) Damageable() physics.Damageable {
	d, _ := s.Main().Env.(physics.Damageable)
	return d
}

// Targets lists what the damage keys act on, in key order: the legs for
// an env with several targets; for one with a single target (the racer's
// car), its kinds.
func (s *Scene) Targets() []string {
	d := s.Damageable()
	if d == nil {
		return nil
	}
	if t := d.DamageTargets(); len(t) > 1 {
		return t
	}
	return d.DamageKinds()
}

// Kinds lists the damage kinds the panel offers (empty for a
// single-target env, whose keys pick the kind directly).
func (s *Scene) Kinds() []string {
	d := s.Damageable()
	if d == nil || len(d.DamageTargets()) <= 1 {
		return nil
	}
	return d.DamageKinds()
}

// SlotDamage resolves damage key n (1-based) to a target and kind.
func (s *Scene) SlotDamage(n int) (physics.Damage, bool) {
	d := s.Damageable()
	if d == nil {
		return physics.Damage{}, false
	}
	ts := d.DamageTargets()
	if len(ts) > 1 {
		if n < 1 || n > len(ts) {
			return physics.Damage{}, false
		}
		return physics.Damage{Target: ts[n-1], Kind: s.kind()}, true
	}
	ks := d.DamageKinds()
	if len(ts) == 0 || n < 1 || n > len(ks) {
		return physics.Damage{}, false
	}
	return physics.Damage{Target: ts[0], Kind: ks[n-1]}, true
}

func (s *Scene) kind() string {
	ks := s.Kinds()
	if slices.Contains(ks, s.Kind) || len(ks) == 0 {
		return s.Kind
	}
	return ks[0]
}

// SetKind selects the damage kind by name or "next".
func (s *Scene) SetKind(k string) error {
	ks := s.Kinds()
	if len(ks) == 0 {
		return fmt.Errorf("%s has no damage kinds to choose", s.Spec.Name)
	}
	if k == "next" {
		i := slices.Index(ks, s.kind())
		s.Kind = ks[(i+1)%len(ks)]
		return nil
	}
	if !slices.Contains(ks, k) {
		return fmt.Errorf("unknown damage kind %q (valid: %s)", k, strings.Join(ks, ", "))
	}
	s.Kind = k
	return nil
}

// Toggle damages d.Target with d.Kind, or repairs it if it already has
// that damage. The event goes to every lane before their next step, and is
// marked on the plots.
func (s *Scene) Toggle(d physics.Damage) {
	ev := sim.Event{Damage: d}
	mark := Mark{Step: s.Main().Ep.Index(), Label: d.Target + " " + d.Kind, Kind: MarkDamage}
	if s.Want[d.Target] == d.Kind {
		ev.Repair = true
		delete(s.Want, d.Target)
		mark.Label, mark.Kind = d.Target+" repaired", MarkRepair
	} else {
		s.Want[d.Target] = d.Kind
	}
	for _, l := range s.Lanes {
		l.Ep.Apply(ev)
	}
	s.Marks = append(s.Marks, mark)
}

// RepairAll repairs everything on every lane.
func (s *Scene) RepairAll() {
	if len(s.Want) == 0 {
		return
	}
	clear(s.Want)
	for _, l := range s.Lanes {
		l.Ep.Apply(sim.Event{Repair: true})
	}
	s.Marks = append(s.Marks, Mark{Step: s.Main().Ep.Index(), Label: "repaired", Kind: MarkRepair})
}

// Wipe re-draws the random weights of every lane mid-episode (brain
// wipe). The new weights depend on the seed and the step, so a replay is
// exact. It returns, per lane, what happened to it, in words: a Hebbian
// network gets fresh random weights and re-learns; evolved static
// weights are not random and stay; the frozen random stand-in gets new
// random weights it can never change (a contrast worth seeing).
func (s *Scene) Wipe() []string {
	step := s.Main().Ep.Index()
	var out []string
	for _, l := range s.Lanes {
		before := snapshotW(l.Brain)
		l.Ep.RewireBrain(s.Seed ^ int64(step+1)*0x9e3779b97f4a7c)
		changed := false
		for i, L := range l.Brain.Layers() {
			changed = changed || MeanAbsDiff(L.W, before[i]) > 0
		}
		switch {
		case !changed:
			out = append(out, l.Label+": keeps its weights")
		case l.Brain.Plastic():
			out = append(out, l.Label+": fresh random weights, re-learns")
		default:
			out = append(out, l.Label+": new random weights, never changed")
		}
	}
	s.Marks = append(s.Marks, Mark{Step: step, Label: "brain wipe", Kind: MarkWipe})
	return out
}

func snapshotW(b Brain) [][]float32 {
	var out [][]float32
	for _, L := range b.Layers() {
		out = append(out, append([]float32(nil), L.W...))
	}
	return out
}

// LegAt is implemented by envs that can say which damage target lies at
// a world point (the quadruped's legs).
type LegAt interface {
	LegAt(p physics.Vec2) (string, bool)
}

// TargetAt returns the damage target at world point p in lane l, or "".
func (s *Scene) TargetAt(l *Lane, p physics.Vec2) string {
	if la, ok := l.Env.(LegAt); ok {
		if t, ok := la.LegAt(p); ok {
			return t
		}
	}
	return ""
}

// TargetPoints finds, for each damage target of lane l, a screen point
// inside the lane's view where a click hits it (scanning the view every
// step pixels). The state dump carries them so an end-to-end test can
// click a leg.
func (s *Scene) TargetPoints(l *Lane, step float64) map[string][2]int {
	out := map[string][2]int{}
	la, ok := l.Env.(LegAt)
	if !ok || step <= 0 {
		return out
	}
	v := l.Cam.View
	for y := v.Y + step/2; y < v.Y+v.H; y += step {
		for x := v.X + step/2; x < v.X+v.W; x += step {
			t, ok := la.LegAt(l.Cam.ToWorld(x, y))
			if _, seen := out[t]; !ok || seen {
				continue
			}
			// Only a point whose neighbours hit the same target: where
			// legs overlap, a click a pixel off would hit another one.
			firm := true
			for _, d := range [][2]float64{{-2, 0}, {2, 0}, {0, -2}, {0, 2}} {
				if u, ok := la.LegAt(l.Cam.ToWorld(math.Round(x)+d[0], math.Round(y)+d[1])); !ok || u != t {
					firm = false
					break
				}
			}
			if firm {
				out[t] = [2]int{int(math.Round(x)), int(math.Round(y))}
			}
		}
	}
	return out
}
