package sim

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/hebbsim/hebbsim/brain"
	"github.com/hebbsim/hebbsim/physics"
)

// toy is a tiny deterministic environment for the trainer's tests: a point
// on a line pushed by two "legs"; reward is the forward progress; the world
// seed sets a hidden drift. Damage "shorten" halves a leg's push.
type toy struct {
	x, v, drift float64
	steps       int
	gain        [2]float64
	dmg         map[string]string
}

func init() {
	Register(EnvSpec{
		Name: "toy", ObsModes: []string{"state"}, MaxSteps: 60, Fitness: "return",
		New:  func(string) (physics.Env, error) { return &toy{}, nil },
		Arch: func(string) brain.Arch { return brain.Arch{Layers: []int{4, 6, 2}} },
		Doc:  "test-only point on a line",
	})
}

func (t *toy) Name() string        { return "toy" }
func (t *toy) ObsSize() int        { return 4 }
func (t *toy) ActSize() int        { return 2 }
func (t *toy) Steps() int          { return t.steps }
func (t *toy) Draw(physics.Drawer) {}
func (t *toy) Focus() physics.Vec2 { return physics.Vec2{X: t.x} }
func (t *toy) Reset(seed int64) {
	r := rand.New(rand.NewPCG(uint64(seed), 1))
	*t = toy{drift: r.Float64()*0.2 - 0.1, gain: [2]float64{1, 1}, dmg: map[string]string{}}
}
func (t *toy) Observe(o []float32) {
	o[0], o[1] = float32(t.v), float32(math.Sin(float64(t.steps)*0.3))
	o[2], o[3] = float32(math.Cos(float64(t.steps)*0.3)), 1
}
func (t *toy) Step(a []float32) physics.StepInfo {
	old := t.x
	t.v = 0.8*t.v + 0.1*(t.gain[0]*float64(a[0])-t.gain[1]*float64(a[1])) + 0.01*t.drift
	t.x += t.v
	t.steps++
	// Lost every third step, for the counting test (TestLostStepsCounted);
	// the speed is |v| (TestActionAndSpeedMeans).
	return physics.StepInfo{Reward: t.x - old, Distance: t.x, Lost: t.steps%3 == 0, Speed: math.Abs(t.v)}
}
func (t *toy) DamageTargets() []string { return []string{"L", "R"} }
func (t *toy) DamageKinds() []string   { return []string{"shorten"} }
func (t *toy) ApplyDamage(d physics.Damage) error {
	i := map[string]int{"L": 0, "R": 1}
	k, ok := i[d.Target]
	if !ok || d.Kind != "shorten" {
		return fmt.Errorf("toy: bad damage %v", d)
	}
	t.gain[k] = 0.5
	t.dmg[d.Target] = d.Kind
	return nil
}
func (t *toy) Repair(target string) {
	for k, n := range []string{"L", "R"} {
		if target == "" || target == n {
			t.gain[k] = 1
			delete(t.dmg, n)
		}
	}
}
func (t *toy) DamageState() map[string]string { return t.dmg }
func (t *toy) Morphologies() []physics.Morphology {
	return []physics.Morphology{{Name: "healthy"}, {Name: "L-short", Damages: []physics.Damage{{Target: "L", Kind: "shorten"}}}}
}

func dmg(target, kind string) physics.Damage { return physics.Damage{Target: target, Kind: kind} }
