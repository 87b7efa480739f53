package model

import (
	"fmt"
	"image/color"
	"math"
	"slices"
	"time"

	"github.com/hebbsim/hebbsim/brain"
	"github.com/hebbsim/hebbsim/physics"
)

// fakeEnv is a tiny deterministic Env: a point that moves by the mean of
// the action; damage slows it. With one target it behaves like the racer
// (perturbations on "car"), with four like the quadruped.
type fakeEnv struct {
	name      string
	targets   []string
	kinds     []string
	seed      int64
	steps     int
	x         float64
	damage    map[string]string
	limit     int
	panicAt   int // Step panics at this step when > 0
	lastBatch int
	obs       int // observation size; 0 means 6
}

func newQuad() *fakeEnv {
	return &fakeEnv{name: "quadruped", targets: []string{"FL", "FR", "BL", "BR"},
		kinds: []string{"shorten", "amputate", "paralyze", "weaken", "lock"}, damage: map[string]string{}, limit: 2000}
}

func newCar() *fakeEnv {
	return &fakeEnv{name: "racer", targets: []string{"car"}, kinds: []string{"oil", "engine", "steering"},
		damage: map[string]string{}, limit: 2000}
}

func (e *fakeEnv) Name() string { return e.name }
func (e *fakeEnv) ObsSize() int {
	if e.obs > 0 {
		return e.obs
	}
	return 6
}
func (e *fakeEnv) ActSize() int  { return 3 }
func (e *fakeEnv) Steps() int    { return e.steps }
func (e *fakeEnv) Reset(s int64) { e.seed, e.steps, e.x = s, 0, 0; clear(e.damage) }
func (e *fakeEnv) Observe(obs []float32) {
	for i := range obs {
		obs[i] = float32(math.Sin(float64(e.seed) + e.x + float64(i)))
	}
}

func (e *fakeEnv) Step(a []float32) physics.StepInfo {
	if e.panicAt > 0 && e.steps == e.panicAt {
		panic("b2: assertion failed")
	}
	v := 0.0
	for _, x := range a {
		v += float64(x)
	}
	v /= float64(len(a))
	if len(e.damage) > 0 {
		v *= 0.5
	}
	e.x += v
	e.steps++
	info := physics.StepInfo{Reward: v, Distance: e.x}
	if e.name == "racer" {
		info.Tiles, info.TilesTotal = e.steps/10, 300
	}
	if e.steps >= e.limit {
		info.Done, info.Reason = true, "step limit"
	}
	return info
}

func (e *fakeEnv) Draw(d physics.Drawer) {
	d.Circle(physics.Vec2{X: e.x}, 0.5, color.RGBA{255, 0, 0, 255})
}
func (e *fakeEnv) Focus() physics.Vec2            { return physics.Vec2{X: e.x} }
func (e *fakeEnv) DamageTargets() []string        { return e.targets }
func (e *fakeEnv) DamageKinds() []string          { return e.kinds }
func (e *fakeEnv) DamageState() map[string]string { return maps(e.damage) }
func (e *fakeEnv) Morphologies() []physics.Morphology {
	return []physics.Morphology{{Name: "healthy"}}
}
func (e *fakeEnv) ApplyDamage(d physics.Damage) error {
	if !slices.Contains(e.targets, d.Target) || !slices.Contains(e.kinds, d.Kind) {
		return fmt.Errorf("bad damage %v", d)
	}
	e.damage[d.Target] = d.Kind
	return nil
}
func (e *fakeEnv) Repair(t string) {
	if t == "" {
		clear(e.damage)
	}
	delete(e.damage, t)
}

// LegAt: legs sit at x = -1 (FL) … 2 (BR) around the body, y = 0.
func (e *fakeEnv) LegAt(p physics.Vec2) (string, bool) {
	for i, t := range e.targets {
		if math.Abs(p.X-(e.x+float64(i)-1)) < 0.3 && math.Abs(p.Y) < 0.3 {
			return t, true
		}
	}
	return "", false
}

func maps(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func smallArch(obs, act int) brain.Arch {
	return brain.Arch{Layers: []int{obs, 8, act}, Normalize: true}
}

func testSpecs(quad, car func() *fakeEnv) []SceneSpec {
	return []SceneSpec{
		{Name: "quadruped", Title: "Quadruped", NewEnv: func(string) (physics.Env, error) { return quad(), nil }, Arch: smallArch, Hz: 50, Zoom: 60},
		{Name: "racer", Title: "Racer", NewEnv: func(obs string) (physics.Env, error) {
			e := car()
			if obs == "rays" {
				e.obs = 4
			}
			return e, nil
		}, Arch: smallArch, Hz: 50, Zoom: 8},
	}
}

// fakeLoader serves rules by path: "good-racer" loads rules for the racer,
// anything else is an error.
type fakeLoader struct{}

func (fakeLoader) Load(path string) (*Rules, error) {
	switch path {
	case "good-racer", "good-quad":
		env := map[string]string{"good-racer": "racer", "good-quad": "quadruped"}[path]
		r, err := RandomRules(env, smallArch(6, 3), 7)
		if err != nil {
			return nil, err
		}
		r.Name, r.Evolved = path, true
		return r, nil
	case "wrong-size":
		r, err := RandomRules("quadruped", smallArch(5, 3), 7)
		return r, err
	}
	return nil, fmt.Errorf("open %s: no such file or directory", path)
}
func (fakeLoader) Bundled() []string                        { return []string{"quad.npz"} }
func (fakeLoader) Defaults(string) (hebbian, static *Rules) { return nil, nil }
func (l fakeLoader) LoadBundled(name string) (*Rules, error) {
	if name == "quad.npz" {
		return l.Load("good-quad")
	}
	return nil, fmt.Errorf("no bundled %s", name)
}

// newTestApp returns an app on fake envs whose clock advances one tick
// (1/60 s) per reading.
func newTestApp() *App {
	a, err := NewApp(testSpecs(newQuad, newCar), DefaultSettings(), fakeLoader{})
	if err != nil {
		panic(err)
	}
	now := time.Unix(0, 0)
	a.Now = func() time.Time { now = now.Add(time.Second / 60); return now }
	return a
}
