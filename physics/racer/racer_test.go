package racer

import (
	"math"
	"strings"
	"testing"

	"github.com/ByteArena/box2d"

	"github.com/hebbsim/hebbsim/physics"
)

var (
	_ physics.Env        = (*Env)(nil)
	_ physics.Damageable = (*Env)(nil)
)

func newEnv(t testing.TB, opts Options) *Env {
	t.Helper()
	e, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func TestNewOptions(t *testing.T) {
	for _, c := range []struct {
		opts    Options
		obsSize int
		err     string
	}{
		{Options{}, ObsPixels, ""},
		{Options{Obs: "pixels"}, ObsPixels, ""},
		{Options{Obs: "rays"}, ObsRays, ""},
		{Options{Obs: "grip"}, ObsGrip, ""},
		{Options{Obs: "lidar"}, 0, `unknown observation "lidar"`},
		{Options{MaxSteps: -1}, 0, "negative"},
	} {
		e, err := New(c.opts)
		switch {
		case c.err != "":
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("New(%+v): have error %v, want one containing %q", c.opts, err, c.err)
			}
		case err != nil:
			t.Errorf("New(%+v): %v", c.opts, err)
		default:
			if e.ObsSize() != c.obsSize || e.ActSize() != 3 || e.Name() != "racer" {
				t.Errorf("New(%+v): have obs %d act %d name %q, want %d 3 racer", c.opts, e.ObsSize(), e.ActSize(), e.Name(), c.obsSize)
			}
		}
	}
}

// TestTileCount checks Gym's track sizes over 50 seeds.
func TestTileCount(t *testing.T) {
	e := newEnv(t, Options{Obs: "rays"})
	lo, hi := 1<<30, 0
	for seed := int64(0); seed < 50; seed++ {
		e.Reset(seed)
		n := len(e.track.tiles)
		lo, hi = min(lo, n), max(hi, n)
		if n < 200 || n > 360 {
			t.Errorf("seed %d: have %d tiles, want 200..360", seed, n)
		}
	}
	t.Logf("tiles over 50 seeds: %d..%d", lo, hi)
}

// TestTrackCloses checks that every track is a closed chain of tiles whose
// neighbours share edges, and that the loop's seam is one step long.
func TestTrackCloses(t *testing.T) {
	e := newEnv(t, Options{Obs: "rays"})
	for seed := int64(0); seed < 50; seed++ {
		e.Reset(seed)
		tr := e.track
		n := len(tr.pts)
		// Gym keeps a loop whose ends meet within one step across the
		// road; along it the seam tile spans about two steps.
		dx, dy := tr.pts[0].x-tr.pts[n-1].x, tr.pts[0].y-tr.pts[n-1].y
		across := math.Hypot(math.Cos(tr.pts[0].beta)*dx, math.Sin(tr.pts[0].beta)*dy)
		if seam := math.Hypot(dx, dy); across > trackDetailStep || seam > 3*trackDetailStep {
			t.Errorf("seed %d: seam %.2f m long, %.2f m across; want ≤ %.2f and ≤ %.2f", seed, seam, across, 3*trackDetailStep, trackDetailStep)
		}
		for i := 0; i < n; i++ {
			prev := tr.tiles[(i+n-1)%n]
			cur := tr.tiles[i]
			if cur[3] != prev[0] || cur[2] != prev[1] {
				t.Fatalf("seed %d: tile %d does not share its edge with tile %d", seed, i, (i+n-1)%n)
			}
			step := math.Hypot(tr.pts[i].x-tr.pts[(i+n-1)%n].x, tr.pts[i].y-tr.pts[(i+n-1)%n].y)
			if step > 3*trackDetailStep {
				t.Fatalf("seed %d: step %d is %.2f m long", seed, i, step)
			}
		}
	}
}

// TestPilotCollectsTiles drives a scripted centre-line follower: > 90 % of
// the tiles within the default 1,000 steps on 10 seeds shows that tiles,
// contacts, rewards and car physics fit together.
func TestPilotCollectsTiles(t *testing.T) {
	e := newEnv(t, Options{Obs: "rays"})
	for seed := int64(100); seed < 110; seed++ {
		e.Reset(seed)
		p := newPilot(e)
		ret := 0.0
		var info physics.StepInfo
		for !info.Done {
			a := p.act(e)
			info = e.Step(a[:])
			ret += info.Reward
		}
		frac := float64(info.Tiles) / float64(info.TilesTotal)
		t.Logf("seed %d: %d/%d tiles, %d steps, %q, lap %.2f s, return %.1f", seed, info.Tiles, info.TilesTotal, e.Steps(), info.Reason, info.LapTime, ret)
		if frac <= 0.9 {
			t.Errorf("seed %d: have %.1f %% of tiles, want > 90 %%", seed, 100*frac)
		}
		if info.Reason == "lap" {
			if want := float64(e.Steps()) / FPS; math.Abs(info.LapTime-want) > 1e-9 {
				t.Errorf("seed %d: lap time %v, want %v", seed, info.LapTime, want)
			}
			// Return = 1000·visited/N − 0.1·steps.
			if want := 1000*frac - 0.1*float64(e.Steps()); math.Abs(ret-want) > 1e-6 {
				t.Errorf("seed %d: return %.4f, want %.4f", seed, ret, want)
			}
		}
	}
}

func TestEpisodeEnds(t *testing.T) {
	e := newEnv(t, Options{Obs: "rays", MaxSteps: 10})
	e.Reset(1)
	var info physics.StepInfo
	for i := 0; i < 10; i++ {
		if info.Done {
			t.Fatalf("done early at step %d: %q", i, info.Reason)
		}
		info = e.Step([]float32{0, 0, 0})
	}
	if !info.Done || info.Reason != "step limit" {
		t.Errorf("after 10 of 10 steps: have done %v %q, want step limit", info.Done, info.Reason)
	}
	if again := e.Step([]float32{0, 1, 0}); !again.Done || again.Reward != 0 || e.Steps() != 10 {
		t.Errorf("step after done: have %+v, steps %d; want done, no reward, 10 steps", again, e.Steps())
	}

	// Out of bounds: move the car outside the playfield.
	e = newEnv(t, Options{Obs: "rays"})
	e.Reset(1)
	e.car.hull.SetTransform(box2d.MakeB2Vec2(400, 0), e.car.hull.GetAngle())
	info = e.Step([]float32{0, 0, 0})
	if !info.Done || info.Reason != "out of bounds" || info.Reward != -100 {
		t.Errorf("outside the playfield: have %+v, want out of bounds, reward -100", info)
	}
}

// TestPhysicsFailure checks that a panic inside Step and a non-finite
// state end the episode with a "physics: " reason instead of escaping.
func TestPhysicsFailure(t *testing.T) {
	e := newEnv(t, Options{})
	e.Reset(2)
	e.car.wheels[0].joint = nil // a broken world: Step will dereference it
	info := e.Step([]float32{0, 1, 0})
	if !info.Done || !strings.HasPrefix(info.Reason, "physics: ") {
		t.Errorf("panic: have %+v, want done with a physics reason", info)
	}
	obs := make([]float32, e.ObsSize())
	e.Observe(obs) // must not panic

	e.Reset(2)
	e.car.hull.SetLinearVelocity(box2d.MakeB2Vec2(math.NaN(), 0))
	info = e.Step([]float32{0, 1, 0})
	if !info.Done || !strings.HasPrefix(info.Reason, "physics: ") {
		t.Errorf("NaN: have %+v, want done with a physics reason", info)
	}
	e.Observe(obs)
	for i, v := range obs {
		if v != v || v < 0 || v > 1 {
			t.Fatalf("obs[%d] = %v after a NaN state", i, v)
		}
	}
}

// TestDeterminism runs the same seed and actions twice in each mode.
func TestDeterminism(t *testing.T) {
	acts := pilotActions(t, 4, 300)
	for _, mode := range []string{"pixels", "rays"} {
		run := func() ([]physics.StepInfo, []float32) {
			e := newEnv(t, Options{Obs: mode})
			e.Reset(7) // a different track first, so Reset must clear it
			e.Step([]float32{0.3, 1, 0})
			e.Reset(4)
			obs := make([]float32, e.ObsSize())
			var infos []physics.StepInfo
			var sum []float32
			for _, a := range acts {
				e.Observe(obs)
				sum = append(sum, obs[len(obs)/2], obs[len(obs)-1])
				infos = append(infos, e.Step(a[:]))
			}
			return infos, sum
		}
		i1, o1 := run()
		i2, o2 := run()
		for k := range i1 {
			if i1[k] != i2[k] || o1[2*k] != o2[2*k] || o1[2*k+1] != o2[2*k+1] {
				t.Fatalf("%s: step %d differs: %+v vs %+v", mode, k, i1[k], i2[k])
			}
		}
	}
}
