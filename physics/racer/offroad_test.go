package racer

import (
	"math"
	"slices"
	"testing"

	"github.com/hebbsim/hebbsim/physics"
)

// The offroad drill sets the car down at rest, lost (OffroadMin–OffroadMax
// from the centre point it was nearest, at least OffroadMin from every
// part of the road), healthy, and in the same place on a replay.
func TestOffroadDrill(t *testing.T) {
	e := newEnv(t, Options{Obs: "compass"})
	if slices.Contains(e.DamageKinds(), "offroad") {
		t.Fatal("offroad is among DamageKinds; it is a drill, which the suite and the app must not offer")
	}
	if !slices.Contains(physics.PlannableKinds(e), "offroad") {
		t.Fatalf("PlannableKinds %v lacks offroad", physics.PlannableKinds(e))
	}
	throw := func(seed int64, at int) (pos physics.Vec2, angle float64, info physics.StepInfo) {
		e.Reset(seed)
		for s := 0; s < at; s++ {
			e.Step([]float32{0, 0.3, 0})
		}
		before := e.track.pts[e.nearI]
		if err := e.ApplyDamage(physics.Damage{Target: "car", Kind: "offroad"}); err != nil {
			t.Fatal(err)
		}
		pos, angle, vel, w := e.Pose()
		if d := math.Hypot(pos.X-before.x, pos.Y-before.y); d < OffroadMin-1e-9 || d > OffroadMax+1e-9 {
			t.Errorf("seed %d: set down %.1f m from the centre point the car was nearest, want %g–%g", seed, d, OffroadMin, OffroadMax)
		}
		if _, d2 := nearest(e.track, pos.X, pos.Y); d2 < OffroadMin*OffroadMin {
			t.Errorf("seed %d: set down %.1f m from the road, want ≥ %g", seed, math.Sqrt(d2), OffroadMin)
		}
		if math.Hypot(vel.X, vel.Y) != 0 || w != 0 {
			t.Errorf("seed %d: moving after the drill (v %v, w %v), want at rest", seed, vel, w)
		}
		if len(e.DamageState()) != 0 {
			t.Errorf("seed %d: damage state %v after the drill, want healthy", seed, e.DamageState())
		}
		return pos, angle, e.Step([]float32{0, 0, 0})
	}
	for seed := int64(1); seed <= 8; seed++ {
		p1, a1, info := throw(seed, 60)
		if !info.Lost {
			t.Errorf("seed %d: the step after the drill is not Lost", seed)
		}
		if p2, a2, _ := throw(seed, 60); p1 != p2 || a1 != a2 {
			t.Errorf("seed %d: replay set the car down at %v %.3f, first time %v %.3f", seed, p2, a2, p1, a1)
		}
		if p3, _, _ := throw(seed, 61); p3 == p1 {
			t.Errorf("seed %d: a drill one step later set the car down in the same place", seed)
		}
	}
}

// The drill can be recovered from: the compass's lane-keeping rule
// (laneKeeper) finds the road again after it on most tracks.
func TestOffroadDrillRecoverable(t *testing.T) {
	e := newEnv(t, Options{Obs: "compass"})
	obs := make([]float32, ObsCompass)
	home := 0
	for seed := int64(1); seed <= 8; seed++ {
		e.Reset(seed)
		if err := e.ApplyDamage(physics.Damage{Target: "car", Kind: "offroad"}); err != nil {
			t.Fatal(err)
		}
		for s := 0; s < 600; s++ {
			e.Observe(obs)
			if info := e.Step(laneKeeper(obs, false)); info.Done {
				break
			}
			if _, d2 := nearest(e.track, e.pose.x, e.pose.y); d2 < trackWidth*trackWidth {
				home++
				break
			}
		}
	}
	t.Logf("the lane-keeping rule found the road within 600 steps of the drill on %d of 8 tracks", home)
	if home < 7 {
		t.Errorf("the lane-keeping rule found the road after the drill on %d of 8 tracks, want ≥ 7", home)
	}
}
