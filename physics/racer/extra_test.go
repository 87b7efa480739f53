package racer

import (
	"flag"
	"fmt"
	"image/color"
	"math"
	"testing"
	"time"

	"github.com/hebbsim/hebbsim/physics"
)

var solver = flag.Bool("solver", false, "measure the pilot under several Box2D iteration counts")

// TestObserveNoAllocs: drawing the view and casting the rays allocate
// nothing once the buffers exist.
func TestObserveNoAllocs(t *testing.T) {
	for _, mode := range []string{"pixels", "rays"} {
		e := newEnv(t, Options{Obs: mode})
		e.Reset(3)
		obs := make([]float32, e.ObsSize())
		e.Observe(obs)
		if n := testing.AllocsPerRun(50, func() { e.Observe(obs) }); n != 0 {
			t.Errorf("%s: Observe allocates %.1f times, want 0", mode, n)
		}
	}
}

// TestOnlyWheelsTouchTiles drives a lap and checks every Box2D contact is
// between a wheel and a tile (the contact filter at work).
func TestOnlyWheelsTouchTiles(t *testing.T) {
	e := newEnv(t, Options{Obs: "rays", MaxSteps: 300})
	e.Reset(8)
	p := newPilot(e)
	seen := 0
	for done := false; !done; {
		a := p.act(e)
		done = e.Step(a[:]).Done
		for c := e.world.GetContactList(); c != nil; c = c.GetNext() {
			ua, ub := c.GetFixtureA().GetUserData(), c.GetFixtureB().GetUserData()
			_, ta := ua.(tileID)
			_, tb := ub.(tileID)
			_, wa := ua.(wheelID)
			_, wb := ub.(wheelID)
			if !(ta && wb || tb && wa) {
				t.Fatalf("step %d: contact between %v and %v", e.Steps(), ua, ub)
			}
			seen++
		}
		for i := range e.car.wheels {
			if e.car.wheels[i].tiles < 0 {
				t.Fatalf("wheel %d touches %d tiles", i, e.car.wheels[i].tiles)
			}
		}
	}
	if seen == 0 {
		t.Fatal("no wheel–tile contacts at all")
	}
	// The fixture-less hull weighs what its polygons would at density 1.
	area := 0.0
	for _, poly := range hullPoly {
		a2 := 0.0 // shoelace
		for i := range poly {
			a, b := poly[i], poly[(i+1)%len(poly)]
			a2 += a[0]*b[1] - b[0]*a[1]
		}
		area += math.Abs(a2) / 2 * carSize * carSize
	}
	if m := e.car.hull.GetMass(); math.Abs(m-area) > 1e-9 {
		t.Errorf("hull mass %.6f, want its polygons' area %.6f", m, area)
	}
}

// countDrawer counts shapes by colour.
type countDrawer struct {
	polys   map[color.RGBA]int
	segs    int
	circles int
}

func (d *countDrawer) Polygon(pts []physics.Vec2, fill, stroke color.RGBA) {
	for _, p := range pts {
		if math.IsNaN(p.X) || math.IsNaN(p.Y) {
			panic("NaN vertex")
		}
	}
	d.polys[fill]++
}
func (d *countDrawer) Segment(a, b physics.Vec2, c color.RGBA)             { d.segs++ }
func (d *countDrawer) Circle(center physics.Vec2, r float64, c color.RGBA) { d.circles++ }
func (d *countDrawer) Label(at physics.Vec2, text string, c color.RGBA)    {}

func TestDraw(t *testing.T) {
	e := newEnv(t, Options{})
	e.Reset(6)
	for i := 0; i < 100; i++ {
		e.Step([]float32{0, 0.5, 0})
	}
	d := &countDrawer{polys: map[color.RGBA]int{}}
	e.Draw(d)
	n := len(e.track.tiles)
	vis := 0
	for i := 0; i < n; i++ {
		if e.Visited(i) {
			vis++
		}
	}
	for _, c := range []struct {
		name string
		have int
		want int
	}{
		{"road tiles", d.polys[drawRoad], n - vis},
		{"visited tiles", d.polys[drawVisited], vis},
		{"wheels", d.polys[drawWheel], 4},
		{"hull polygons", d.polys[drawHull], 4},
		{"kerbs", d.polys[drawRed] + d.polys[drawWhite], len(e.track.kerbs)},
		{"grass patches", d.polys[drawGrass], 400},
	} {
		if c.have != c.want {
			t.Errorf("%s: have %d, want %d", c.name, c.have, c.want)
		}
	}
	if vis == 0 {
		t.Error("no tile visited after 2 s of gas")
	}
	if f := e.Focus(); math.Hypot(f.X-e.pose.x, f.Y-e.pose.y) != 0 {
		t.Errorf("Focus %v is not the car", f)
	}
	if d.segs != 1 || d.circles != 0 {
		t.Errorf("pixels mode, no oil: %d segments (want 1: the start line), %d circles (want 0)", d.segs, d.circles)
	}

	// Rays mode draws the rays; oil shows as a slick.
	e = newEnv(t, Options{Obs: "rays"})
	e.Reset(6)
	e.ApplyDamage(physics.Damage{Target: "car", Kind: "oil"})
	d = &countDrawer{polys: map[color.RGBA]int{}}
	e.Draw(d)
	if d.segs != 1+NumRays || d.circles != 1 {
		t.Errorf("rays mode with oil: %d segments (want %d), %d circles (want 1)", d.segs, 1+NumRays, d.circles)
	}
}

// TestSolverSettings measures the pilot's laps and the step time under
// several solver iteration counts (go test -run SolverSettings -args
// -solver); doc.go quotes its output.
func TestSolverSettings(t *testing.T) {
	if !*solver {
		t.Skip("run with -solver")
	}
	e := newEnv(t, Options{Obs: "rays", MaxSteps: 1500})
	for _, c := range [][2]int{{180, 60}, {30, 10}, {8, 3}, {6, 2}, {4, 1}} {
		e.velIters, e.posIters = c[0], c[1]
		steps, laps := 0, 0
		var dur time.Duration
		for seed := int64(0); seed < 20; seed++ {
			e.Reset(seed)
			p := newPilot(e)
			var info physics.StepInfo
			for !info.Done {
				a := p.act(e)
				t0 := time.Now()
				info = e.Step(a[:])
				dur += time.Since(t0)
			}
			steps += e.Steps()
			if info.Reason == "lap" {
				laps++
			}
		}
		t.Log(fmt.Sprintf("Step(1/50, %d, %d): %d/20 laps, mean %d steps, %.1f µs per step", c[0], c[1], laps, steps/20, float64(dur.Microseconds())/float64(steps)))
	}
}

// rayRule is a fixed reactive controller that reads only the rays
// observation: steer towards the side with more road, back to the centre
// line, and slow down when the road ahead ends.
func rayRule(obs []float32) [3]float32 {
	ray := func(k int) float64 { return float64(obs[k]) * RayUnit / RayLength } // fraction of the range
	l := ray(1) + ray(2) + ray(3)
	r := ray(5) + ray(6) + ray(7)
	steer := 0.5*(r-l) - 0.3*float64(obs[NumRays+2])
	speed := float64(obs[NumRays]) * SpeedUnit
	target := 40 * math.Min(1, 1.5*ray(NumRays/2))
	var gas, brake float64
	if speed < target {
		gas = 0.5 * (1 - math.Min(1, math.Abs(steer)))
	} else if speed > target+5 {
		brake = 0.3
	}
	return [3]float32{float32(steer), float32(gas), float32(brake)}
}

// TestRaysAreEnough: the 12 numbers of the rays observation suffice to
// drive — a fixed rule reading nothing else collects most tiles.
func TestRaysAreEnough(t *testing.T) {
	e := newEnv(t, Options{Obs: "rays"})
	obs := make([]float32, ObsRays)
	sum := 0.0
	for seed := int64(0); seed < 10; seed++ {
		e.Reset(seed)
		for done := false; !done; {
			e.Observe(obs)
			a := rayRule(obs)
			info := e.Step(a[:])
			if done = info.Done; done {
				sum += float64(info.Tiles) / float64(info.TilesTotal)
			}
		}
	}
	t.Logf("rule on rays: mean %.0f %% of tiles over 10 tracks", 10*sum)
	if sum/10 < 0.6 {
		t.Errorf("rule on rays: mean %.2f of tiles, want ≥ 0.6", sum/10)
	}
}

// pixRule is a fixed controller that reads only the pixel observation:
// steer towards the middle of the road pixels in row 30 (18 m ahead), and
// hold about 40 m/s read off the speed bar.
func pixRule(obs []float32) [3]float32 {
	const k, row, vt = 2, 30, 40
	isRoad := func(x, y int) bool {
		i := (y*ViewW + x) * 3
		r, g, b := obs[i], obs[i+1], obs[i+2]
		return math.Abs(float64(r-g)) < 0.05 && math.Abs(float64(g-b)) < 0.05 && r > 0.3 && r < 0.5
	}
	y := row
	n, sx := 0, 0.0
	for x := 0; x < ViewW; x++ {
		if isRoad(x, y) {
			n++
			sx += float64(x)
		}
	}
	steer := 0.0
	if n > 0 {
		steer = k * (sx/float64(n) - CarX) / CarX
	}
	// Speed from the white bar: its height is 0.02·speed·2 px.
	h := 0.0
	for yy := worldH; yy < ViewH; yy++ {
		i := (yy*ViewW + 11) * 3
		h += float64(obs[i+2]) // blue channel is 1 only for white here
	}
	speed := h / 0.04
	var gas, brake float64
	if speed < vt {
		gas = 0.3 * (1 - math.Min(1, math.Abs(steer)))
	} else if speed > vt+10 {
		brake = 0.3
	}
	return [3]float32{float32(steer), float32(gas), float32(brake)}
}

// TestPixelsAreEnough: the pixel view carries the road and the speed — a
// fixed rule reading nothing else collects most tiles.
func TestPixelsAreEnough(t *testing.T) {
	e := newEnv(t, Options{})
	obs := make([]float32, ObsPixels)
	sum := 0.0
	for seed := int64(0); seed < 5; seed++ {
		e.Reset(seed)
		for done := false; !done; {
			e.Observe(obs)
			a := pixRule(obs)
			info := e.Step(a[:])
			if done = info.Done; done {
				sum += float64(info.Tiles) / float64(info.TilesTotal)
			}
		}
	}
	t.Logf("rule on pixels: mean %.0f %% of tiles over 5 tracks", 20*sum)
	if sum/5 < 0.6 {
		t.Errorf("rule on pixels: mean %.2f of tiles, want ≥ 0.6", sum/5)
	}
}
