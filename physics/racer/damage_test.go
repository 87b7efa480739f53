package racer

import (
	"math"
	"strings"
	"testing"

	"github.com/hebbsim/hebbsim/physics"
)

func speedOf(e *Env) float64 {
	_, _, v, _ := e.Pose()
	return math.Hypot(v.X, v.Y)
}

func TestDamageAPI(t *testing.T) {
	e := newEnv(t, Options{Obs: "rays"})
	for _, c := range []struct {
		d   physics.Damage
		err string
	}{
		{physics.Damage{Target: "car", Kind: "oil"}, ""},
		{physics.Damage{Target: "car", Kind: "engine"}, ""},
		{physics.Damage{Target: "car", Kind: "steering"}, ""},
		{physics.Damage{Target: "FL", Kind: "engine"}, "unknown damage target"},
		{physics.Damage{Target: "car", Kind: "shorten"}, "unknown damage kind"},
	} {
		e.Repair("")
		e.ApplyDamage(physics.Damage{Target: "car", Kind: "engine"})
		err := e.ApplyDamage(c.d)
		state := e.DamageState()["car"]
		switch {
		case c.err != "":
			if err == nil || !strings.Contains(err.Error(), c.err) || state != "engine" {
				t.Errorf("ApplyDamage(%+v): have %v, state %q; want error %q and state unchanged (engine)", c.d, err, state, c.err)
			}
		case err != nil || state != c.d.Kind:
			t.Errorf("ApplyDamage(%+v): have %v, state %q; want nil, %q", c.d, err, state, c.d.Kind)
		}
	}
	e.Repair("car")
	if len(e.DamageState()) != 0 {
		t.Errorf("after Repair(car): %v", e.DamageState())
	}
	m := e.Morphologies()
	if len(m) < 3 || m[0].Name != "healthy" || len(m[0].Damages) != 0 {
		t.Fatalf("Morphologies: %+v", m)
	}
	for _, mo := range m {
		for _, d := range mo.Damages {
			if err := e.ApplyDamage(d); err != nil {
				t.Errorf("morphology %s: %v", mo.Name, err)
			}
		}
	}
}

// TestPerturbations shows each perturbation changing the dynamics as
// documented, from the same state with the same actions.
func TestPerturbations(t *testing.T) {
	run := func(kind string, setup func(e *Env), act [3]float32, steps int) *Env {
		e := newEnv(t, Options{Obs: "rays"})
		e.Reset(5)
		if setup != nil {
			setup(e)
		}
		if kind != "" {
			if err := e.ApplyDamage(physics.Damage{Target: "car", Kind: kind}); err != nil {
				t.Fatal(err)
			}
		}
		for i := 0; i < steps; i++ {
			e.Step(act[:])
		}
		return e
	}
	atSpeed := func(e *Env) { placeCar(e, 0, 0, 0, 30, 0, 30/0.54, 0) }

	// Engine ×1/2: full gas for 0.5 s from 40 m/s, where the engine, not
	// the tyres, limits acceleration: about half the speed gained.
	fast := func(e *Env) { placeCar(e, 0, 0, 0, 40, 0, 40/0.54, 0) }
	h, d := speedOf(run("", fast, [3]float32{0, 1, 0}, 25))-40, speedOf(run("engine", fast, [3]float32{0, 1, 0}, 25))-40
	t.Logf("engine: speed gained in 0.5 s of gas from 40 m/s: healthy %.2f, damaged %.2f m/s (ratio %.2f)", h, d, d/h)
	if r := d / h; !(r > 0.35 && r < 0.7) {
		t.Errorf("engine: gain ratio %.2f, want about 0.5", r)
	}

	// Oil ×1/4: locked wheels from 30 m/s for 0.1 s shed about a quarter
	// of the speed they shed on clean tyres.
	h = 30 - speedOf(run("", atSpeed, [3]float32{0, 0, 1}, 5))
	d = 30 - speedOf(run("oil", atSpeed, [3]float32{0, 0, 1}, 5))
	t.Logf("oil: speed lost braking 0.1 s: clean %.2f, oiled %.2f m/s (ratio %.2f)", h, d, d/h)
	if r := d / h; r < 0.15 || r > 0.35 {
		t.Errorf("oil: braking ratio %.2f, want about 0.25", r)
	}
	// and it wears off by itself.
	e := run("oil", nil, [3]float32{0, 0, 0}, int(OilSeconds*FPS))
	if len(e.DamageState()) != 0 {
		t.Errorf("oil: still %v after %v s", e.DamageState(), OilSeconds)
	}
	if e = run("oil", nil, [3]float32{0, 0, 0}, int(OilSeconds*FPS)-1); e.DamageState()["car"] != "oil" {
		t.Errorf("oil: gone before %v s", OilSeconds)
	}

	// Bent rack: with the wheel held straight, the car turns right
	// (clockwise) and its front wheels sit at about −SteeringOffset rad.
	turn := func(kind string) (float64, float64) {
		e := run(kind, atSpeed, [3]float32{0, 0.2, 0}, 25)
		_, a, _, _ := e.Pose()
		return a - e.track.pts[0].beta, e.car.wheels[0].joint.GetJointAngle()
	}
	hA, hW := turn("")
	dA, dW := turn("steering")
	t.Logf("steering: heading change in 0.5 s: healthy %.3f, bent %.3f rad; wheel angle %.3f, %.3f", hA, dA, hW, dW)
	if math.Abs(hA) > 0.02 || dA > -0.2 {
		t.Errorf("steering: heading change healthy %.3f (want ≈ 0), bent %.3f (want < −0.2)", hA, dA)
	}
	if math.Abs(dW+SteeringOffset) > 0.02 {
		t.Errorf("steering: bent wheel angle %.3f, want ≈ %.3f", dW, -SteeringOffset)
	}

	// Repair restores the healthy dynamics exactly.
	a := run("", atSpeed, [3]float32{0.1, 0.5, 0}, 30)
	b := run("engine", func(e *Env) { atSpeed(e) }, [3]float32{0.1, 0.5, 0}, 0)
	b.Repair("")
	for i := 0; i < 30; i++ {
		b.Step([]float32{0.1, 0.5, 0})
	}
	if a.pose != b.pose {
		t.Errorf("repaired car differs from a healthy one: %+v vs %+v", a.pose, b.pose)
	}
}

func TestRays(t *testing.T) {
	e := newEnv(t, Options{Obs: "rays"})
	e.Reset(5)
	obs := make([]float32, ObsRays)
	e.Observe(obs)
	side := trackWidth / RayUnit
	for _, c := range []struct {
		name string
		i    int
		want float64
		tol  float64
	}{
		{"left ray", 0, side, 0.01},
		{"right ray", NumRays - 1, side, 0.01},
		{"speed", NumRays, 0, 1e-6},
		{"angular velocity", NumRays + 1, 0, 1e-6},
		{"offset", NumRays + 2, 0, 0.05},
	} {
		if have := float64(obs[c.i]); math.Abs(have-c.want) > c.tol {
			t.Errorf("at the start, %s obs[%d]: have %.4f, want %.4f ± %v", c.name, c.i, have, c.want, c.tol)
		}
	}
	if obs[NumRays/2] < 0.5*RayLength/RayUnit {
		t.Errorf("straight-ahead ray %.3f: want the road to run on (> 0.5)", obs[NumRays/2])
	}
	// Shift the car 3 m right: the right ray shortens, the offset reads
	// +3/6.67.
	placeCar(e, 0, 0, 3, 10, 0, 0, 0)
	e.Observe(obs)
	if have, want := float64(obs[NumRays-1]), (trackWidth-3)/RayUnit; math.Abs(have-want) > 0.01 {
		t.Errorf("shifted right: right ray %.4f, want %.4f", have, want)
	}
	if have, want := float64(obs[NumRays+2]), 3/trackWidth; math.Abs(have-want) > 0.05 {
		t.Errorf("shifted right: offset %.3f, want %.3f", have, want)
	}
	if have := float64(obs[NumRays]); math.Abs(have-10.0/SpeedUnit) > 1e-6 {
		t.Errorf("speed obs %.4f, want %.4f", have, 10.0/SpeedUnit)
	}
	// Far off the road every ray still reads in [0, RayLength/RayUnit].
	placeCar(e, 0, 0, 40, 0, 0, 0, 0)
	e.Observe(obs)
	for k := 0; k < NumRays; k++ {
		if obs[k] < 0 || obs[k] > RayLength/RayUnit+1e-6 {
			t.Errorf("off road: ray %d = %v", k, obs[k])
		}
	}
	if obs[NumRays+2] != 3 {
		t.Errorf("off road 40 m right: offset %v, want clamped 3", obs[NumRays+2])
	}
}

// Rays draws the same ray ends whatever the observation mode: the grip and
// traction modes write extra values after the rays (once out of range).
func TestRaysInEveryObservationMode(t *testing.T) {
	var want [NumRays]physics.Vec2
	for i, obs := range []string{"rays", "pixels", "pixels-wide", "grip", "traction", "compass"} {
		e := newEnv(t, Options{Obs: obs})
		e.Reset(7)
		for s := 0; s < 50; s++ {
			e.Step([]float32{0.1, 0.5, 0})
		}
		_, to := e.Rays()
		if i == 0 {
			want = to
			continue
		}
		if to != want {
			t.Errorf("obs %s: ray ends %v, want the rays mode's %v", obs, to, want)
		}
	}
}

// StepInfo.Speed is the hull's speed over the ground after the step.
func TestStepSpeed(t *testing.T) {
	e := newEnv(t, Options{Obs: "rays"})
	e.Reset(4)
	placeCar(e, 0, 0, 0, 30, 0, 30/0.54, 0)
	for i := range 10 {
		info := e.Step([]float32{0, 0.5, 0})
		if want := speedOf(e); info.Speed != want || want < 20 {
			t.Fatalf("step %d: StepInfo.Speed %.4f, hull speed %.4f (want equal, over 20 m/s)", i, info.Speed, want)
		}
	}
}
