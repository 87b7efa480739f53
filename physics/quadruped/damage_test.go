package quadruped

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/ByteArena/box2d"

	"github.com/hebbsim/hebbsim/physics"
)

// legParams is everything damage may change about a leg's body.
type legParams struct {
	shinMass, shinI   float64
	shinCentre        box2d.B2Vec2
	fullF, shortF     box2d.B2Filter
	fullD, shortD     float64
	kneeLo, kneeHi    float64
	hipMotor, kneeMot bool
}

func paramsOf(l *leg) legParams {
	return legParams{
		l.shin.GetMass(), l.shin.GetInertia(), l.shin.GetLocalCenter(),
		l.full.GetFilterData(), l.short.GetFilterData(), l.full.GetDensity(), l.short.GetDensity(),
		l.knee.GetLowerLimit(), l.knee.GetUpperLimit(), l.hip.IsMotorEnabled(), l.knee.IsMotorEnabled(),
	}
}

// TestDamageKinds applies each kind to each leg mid-episode, checks that
// the body changes as doc.go says and behaves differently, then repairs
// it and checks that every body parameter is the healthy one again.
func TestDamageKinds(t *testing.T) {
	healthy := mustNew(t, Options{Terrain: "flat"})
	want := paramsOf(healthy.legs[0])
	px2 := 1 / (scale * scale)
	shinMass := 6.4 * 34 * px2 * legDensity
	cases := []struct {
		kind  string
		check func(e *Env, l *leg, i int, obs, act []float32) string
	}{
		{Shorten, func(e *Env, l *leg, i int, obs, act []float32) string {
			if m := l.shin.GetMass(); math.Abs(m-shinMass) > 1e-9 {
				return "shin mass changed"
			}
			knee := l.thigh.GetWorldPoint(box2d.B2Vec2{Y: -legH / 2})
			foot := e.footPoint(l)
			if d := math.Hypot(foot.X-knee.X, foot.Y-knee.Y); math.Abs(d-legH/4) > 0.02 {
				return "shin not ¼ long"
			}
			if l.full.GetFilterData() != offFilter || l.short.GetFilterData() != robotFilter {
				return "wrong fixture collides"
			}
			return ""
		}},
		{Amputate, func(e *Env, l *leg, i int, obs, act []float32) string {
			if m := l.shin.GetMass(); math.Abs(m-ghostFrac*shinMass) > 1e-9 {
				return "ghost shin mass wrong"
			}
			if l.full.GetFilterData() != offFilter || l.short.GetFilterData() != offFilter {
				return "amputated shin still collides"
			}
			if obs[4+5*i+2] != 0 || obs[4+5*i+3] != 0 {
				return "amputated knee still sensed"
			}
			if math.Abs(l.knee.GetJointAngle()-kneeLo) > 0.1 {
				return "ghost shin not folded"
			}
			return ""
		}},
		{Paralyze, func(e *Env, l *leg, i int, obs, act []float32) string {
			if l.hip.IsMotorEnabled() || l.knee.IsMotorEnabled() {
				return "motors still on"
			}
			return ""
		}},
		{Weaken, func(e *Env, l *leg, i int, obs, act []float32) string {
			hip, knee := clip(act[2*i]), clip(act[2*i+1])
			if l.hip.GetMaxMotorTorque() != 20*math.Abs(hip) || l.knee.GetMaxMotorTorque() != 20*math.Abs(knee) {
				return "torque not 80·¼·|a|"
			}
			return ""
		}},
		{Lock, func(e *Env, l *leg, i int, obs, act []float32) string {
			if l.knee.GetLowerLimit() != l.knee.GetUpperLimit() || math.Abs(l.knee.GetJointAngle()-l.lock) > 0.05 {
				return "knee moved"
			}
			return ""
		}},
	}
	for _, c := range cases {
		for i, name := range LegNames {
			e := mustNew(t, Options{Terrain: "flat"})
			rng := rand.New(rand.NewPCG(8, uint64(i)))
			act := make([]float32, actSize)
			obs := make([]float32, obsSize)
			run := func(env *Env, n int) uint64 {
				h := uint64(0)
				for k := 0; k < n; k++ {
					randomAction(rng, act)
					if env.Step(act).Done {
						t.Fatalf("episode ended at step %d", env.Steps())
					}
					env.Observe(obs)
					p := env.hull.GetPosition()
					h = h*31 + math.Float64bits(p.X) ^ math.Float64bits(p.Y)
				}
				return h
			}
			e.Reset(5)
			run(e, 40)
			if err := e.ApplyDamage(physics.Damage{Target: name, Kind: c.kind}); err != nil {
				t.Fatal(err)
			}
			l := e.legs[i]
			if got := e.DamageState(); len(got) != 1 || got[name] != c.kind {
				t.Errorf("%s %s: DamageState %v", name, c.kind, got)
			}
			// Compare 30 damaged steps with 30 healthy ones from the same start.
			ref := mustNew(t, Options{Terrain: "flat"})
			ref.Reset(5)
			rngState := *rng
			run(ref, 40)
			*rng = rngState
			hh := run(ref, 30)
			*rng = rngState
			hd := run(e, 30) // last, so that obs is e's
			if hd == hh {
				t.Errorf("%s %s: damaged body moved exactly like the healthy one", name, c.kind)
			}
			if msg := c.check(e, l, i, obs, act); msg != "" {
				t.Errorf("%s %s: %s (have params %+v)", name, c.kind, msg, paramsOf(l))
			}
			for _, o := range e.legs {
				if o != l && paramsOf(o) != want {
					t.Errorf("%s %s: leg %s changed too", name, c.kind, o.name)
				}
			}
			e.Repair(name)
			run(e, 1)
			if have := paramsOf(l); have != want {
				t.Errorf("%s %s repaired: have %+v, want %+v", name, c.kind, have, want)
			}
			if len(e.DamageState()) != 0 {
				t.Errorf("%s %s repaired: DamageState %v", name, c.kind, e.DamageState())
			}
		}
	}
}

// TestDamageThenRepair applies damage and repairs it between the same two
// steps: the trajectory must stay bit-identical to an undamaged one.
func TestDamageThenRepair(t *testing.T) {
	e := mustNew(t, Options{})
	want, _ := trajectory(e, 21, 200, nil)
	for _, kind := range DamageKindList {
		for _, name := range LegNames {
			have, _ := trajectory(e, 21, 200, func(k int, e *Env) {
				if k == 80 {
					if err := e.ApplyDamage(physics.Damage{Target: name, Kind: kind}); err != nil {
						t.Fatal(err)
					}
					e.Repair("")
				}
			})
			if have != want {
				t.Errorf("%s %s applied and repaired between steps: hash %x, want %x", name, kind, have, want)
			}
		}
	}
	// Damaged for a while, then repaired: the trajectory differs (the
	// body's past differs) but Reset brings back the healthy run.
	have, _ := trajectory(e, 21, 200, func(k int, e *Env) {
		switch k {
		case 50:
			e.ApplyDamage(physics.Damage{Target: "BR", Kind: Amputate})
		case 100:
			e.Repair("BR")
		}
	})
	if have == want {
		t.Errorf("amputation for 50 steps left no trace")
	}
	if again, _ := trajectory(e, 21, 200, nil); again != want {
		t.Errorf("after Reset: hash %x, want the healthy %x", again, want)
	}
}

// TestDamageSwitch moves between kinds without repairing in between, which
// must never trip a Box2D assertion (e.g. knee limits lower > upper).
func TestDamageSwitch(t *testing.T) {
	e := mustNew(t, Options{})
	rng := rand.New(rand.NewPCG(1, 1))
	act := make([]float32, actSize)
	for k := 0; k < 400; k++ {
		if k%7 == 0 {
			kind := DamageKindList[rng.IntN(len(DamageKindList))]
			if err := e.ApplyDamage(physics.Damage{Target: LegNames[rng.IntN(4)], Kind: kind}); err != nil {
				t.Fatal(err)
			}
		}
		if k%31 == 0 {
			e.Repair(LegNames[rng.IntN(4)])
		}
		randomAction(rng, act)
		if info := e.Step(act); info.Done {
			if info.Reason[0] == 'p' {
				t.Fatalf("step %d: %s", k, info.Reason)
			}
			e.Reset(int64(k))
		}
	}
}

func TestDamageErrors(t *testing.T) {
	e := mustNew(t, Options{})
	for _, d := range []physics.Damage{{Target: "XX", Kind: Shorten}, {Target: "FL", Kind: "melt"}, {}} {
		if err := e.ApplyDamage(d); err == nil {
			t.Errorf("ApplyDamage(%+v): no error", d)
		}
	}
	if s := e.DamageState(); len(s) != 0 {
		t.Errorf("bad damage changed the state: %v", s)
	}
	if got := e.DamageTargets(); len(got) != 4 || got[0] != "FL" || got[3] != "BR" {
		t.Errorf("DamageTargets = %v", got)
	}
	if got := e.DamageKinds(); len(got) != 5 {
		t.Errorf("DamageKinds = %v", got)
	}
}

func TestMorphologies(t *testing.T) {
	e := mustNew(t, Options{})
	ms := e.Morphologies()
	if ms[0].Name != "healthy" || len(ms[0].Damages) != 0 {
		t.Fatalf("first morphology %+v, want healthy with no damage", ms[0])
	}
	want := []string{"FL-short", "FR-short", "BL-short", "BR-short"}
	for i, w := range want {
		if ms[1+i].Name != w {
			t.Errorf("morphology %d = %q, want %q", 1+i, ms[1+i].Name, w)
		}
	}
	seen := map[string]bool{}
	for _, m := range ms {
		if seen[m.Name] {
			t.Errorf("duplicate morphology %q", m.Name)
		}
		seen[m.Name] = true
		e.Reset(0)
		for _, d := range m.Damages {
			if err := e.ApplyDamage(d); err != nil {
				t.Errorf("%s: %v", m.Name, err)
			}
		}
		if len(e.DamageState()) != len(m.Damages) {
			t.Errorf("%s: state %v", m.Name, e.DamageState())
		}
	}
	e.Reset(0)
	if len(e.DamageState()) != 0 {
		t.Errorf("Reset left damage: %v", e.DamageState())
	}
}

// TestMorphologyPhysics runs every morphology for 5 random-action episodes
// of up to 200 steps: damaged bodies must keep their joints together
// (within 5 cm) and their feet out of the ground: within 8 cm (a foot that
// the motors accelerate within a step can dip 5–6 cm before Box2D sees
// the contact), except that a rigid locked leg can whip its foot from rest
// to 15 m/s in one step and dip 14 cm.
func TestMorphologyPhysics(t *testing.T) {
	e := mustNew(t, Options{})
	rng := rand.New(rand.NewPCG(9, 9))
	act := make([]float32, actSize)
	for _, m := range e.Morphologies() {
		depth, gap := 0.0, 0.0
		for ep := 0; ep < 5; ep++ {
			e.Reset(int64(ep))
			for _, d := range m.Damages {
				e.ApplyDamage(d)
			}
			for s := 0; s < 200; s++ {
				randomAction(rng, act)
				info := e.Step(act)
				for _, l := range e.legs {
					depth = math.Max(depth, e.terr.depth(e.footPoint(l)))
					gap = math.Max(gap, jointGap(l.hip))
					if l.kind != Amputate { // the ghost's knee does not count
						gap = math.Max(gap, jointGap(l.knee))
					}
				}
				if info.Done {
					break
				}
			}
		}
		maxDepth := 0.08
		if strings.HasSuffix(m.Name, "-locked") {
			maxDepth = 0.15
		}
		if depth > maxDepth || gap > 0.05 {
			t.Errorf("%s: deepest foot %.3f m (want ≤ %g), widest joint gap %.3f m (want ≤ 0.05)", m.Name, depth, maxDepth, gap)
		}
	}
}
