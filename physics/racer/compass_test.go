package racer

import (
	"math"
	"testing"
)

// The compass values are the sine and cosine of the heading's angle to the
// road's direction, + when the road runs to the right: hand-computed for a
// car placed on the centre line at known angles to it.
func TestCompassObservation(t *testing.T) {
	e := newEnv(t, Options{Obs: "compass"})
	if e.ObsSize() != ObsCompass || ObsCompass != ObsTraction+2 {
		t.Fatalf("compass obs size %d, want %d", e.ObsSize(), ObsTraction+2)
	}
	e.Reset(5)
	obs := make([]float32, ObsCompass)
	traction := newEnv(t, Options{Obs: "traction"})
	traction.Reset(5)
	tobs := make([]float32, ObsTraction)
	for _, c := range []struct {
		turn, sin, cos float64
	}{
		{0, 0, 1},
		{0.5, math.Sin(0.5), math.Cos(0.5)}, // turned left: the road runs to the right
		{-0.5, -math.Sin(0.5), math.Cos(0.5)},
		{math.Pi / 2, 1, 0},
		{math.Pi, 0, -1}, // facing back
	} {
		placeCar(e, 10, c.turn, 2, 5, 0, 0, 0)
		e.Observe(obs)
		if math.Abs(float64(obs[ObsTraction])-c.sin) > 1e-5 || math.Abs(float64(obs[ObsTraction+1])-c.cos) > 1e-5 {
			t.Errorf("turned %.2f rad from the road: compass (%.4f, %.4f), want (%.4f, %.4f)",
				c.turn, obs[ObsTraction], obs[ObsTraction+1], c.sin, c.cos)
		}
		placeCar(traction, 10, c.turn, 2, 5, 0, 0, 0)
		traction.Observe(tobs)
		for k := range tobs {
			if tobs[k] != obs[k] {
				t.Errorf("turned %.2f rad: compass obs[%d] = %v, traction's %v: the first %d values must be the traction observation",
					c.turn, k, obs[k], tobs[k], ObsTraction)
			}
		}
	}
}

// The compass carries what the traction values lack after a spin-off: the
// way back. A lane-keeping rule that reads only the observation (aim at
// the road at an angle that grows with the offset, steer by the compass,
// ease off while the wheels spin) brings a car parked 60 m off the road,
// pointing anywhere, back onto it. The same rule with the compass replaced
// by "aligned with the road" (all a traction-only driver could assume) is
// logged for comparison: far off the road it circles.
// laneKeeper is a fixed lane-keeping rule on the compass observation: it
// points the car at the road by the offset's sign, relative to the road's
// direction, at a steady gas, off while the car slides or spins. blind
// replaces the compass with "aligned with the road".
func laneKeeper(obs []float32, blind bool) []float32 {
	heading := math.Atan2(float64(obs[ObsTraction]), float64(obs[ObsTraction+1])) // car vs road, + left of it
	if blind {
		heading = 0
	}
	aim := math.Atan(float64(obs[NumRays+2])) // + road on the left: point left of the road's direction
	steer := math.Max(-1, math.Min(1, -2*math.Remainder(aim-heading, 2*math.Pi)))
	gas := 0.3
	if obs[NumRays] > 1.5 || obs[ObsGrip] > 0.5 {
		gas = 0
	}
	return []float32{float32(steer), float32(gas), 0}
}

func TestCompassLeadsHome(t *testing.T) {
	e := newEnv(t, Options{Obs: "compass"})
	obs := make([]float32, ObsCompass)
	drive := func(blind bool) (home int) {
		for _, turn := range []float64{0, math.Pi / 2, math.Pi, -math.Pi / 2} {
			e.Reset(11)
			placeCar(e, 40, turn, 60, 0, 0, 0, 0)
			for s := 0; s < 1000; s++ {
				e.Observe(obs)
				e.Step(laneKeeper(obs, blind))
				if _, d2 := nearest(e.track, e.pose.x, e.pose.y); d2 < trackWidth*trackWidth {
					home++
					break
				}
			}
		}
		return home
	}
	withCompass, blind := drive(false), drive(true)
	t.Logf("parked 60 m off the road, 4 headings: back on it within 1,000 steps %d times with the compass, %d without", withCompass, blind)
	if withCompass != 4 {
		t.Errorf("with the compass the car found the road from %d of 4 headings, want 4", withCompass)
	}
}

// A step reports Lost exactly when the car ends it more than LostDistance
// (20 m) from every centre point.
func TestLostFarFromTheRoad(t *testing.T) {
	e := newEnv(t, Options{Obs: "rays"})
	if LostDistance != 20 {
		t.Fatalf("LostDistance %v m, want 20 (three half-widths of %v m)", LostDistance, trackWidth)
	}
	var lost, kept int
	for _, off := range []float64{0, 5, 15, 19, 21, 30, 60, 90} {
		e.Reset(11)
		placeCar(e, 40, 0, off, 0, 0, 0, 0)
		info := e.Step([]float32{0, 0, 0})
		pos, _, _, _ := e.Pose()
		d := math.Inf(1)
		for _, p := range e.Track() {
			d = math.Min(d, math.Hypot(p.X-pos.X, p.Y-pos.Y))
		}
		if info.Lost != (d > 20) {
			t.Errorf("placed %v m off, %.1f m from the nearest centre point: Lost %v", off, d, info.Lost)
		}
		if info.Lost {
			lost++
		} else {
			kept++
		}
	}
	if lost == 0 || kept == 0 {
		t.Errorf("lost %d, on the road %d of 8 placements: the test should see both", lost, kept)
	}
}
