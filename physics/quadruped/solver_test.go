package quadruped

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/hebbsim/hebbsim/physics"
)

// solverQuality runs 30 episodes of up to 300 steps with random actions
// (uniform in [-1, 1]; with bang, ±1 held for 10 steps, like the
// saturated actions of an evolved controller) and returns the deepest foot
// (m), the share of foot-steps deeper than 5 cm, the longest run of such
// steps and the widest joint gap (m).
func solverQuality(bang bool) (depth, deepShare float64, longest int, gap float64) {
	e, _ := New(Options{})
	rng := rand.New(rand.NewPCG(11, 12))
	act := make([]float32, actSize)
	deep, n := 0, 0
	for ep := 0; ep < 30; ep++ {
		e.Reset(int64(ep))
		var run [4]int
		for s := 0; s < 300; s++ {
			if !bang {
				randomAction(rng, act)
			} else if s%10 == 0 {
				for i := range act {
					act[i] = float32(physics.Sign(2*rng.Float64() - 1))
				}
			}
			info := e.Step(act)
			for i, l := range e.legs {
				d := e.terr.depth(e.footPoint(l))
				depth = math.Max(depth, d)
				n++
				if d > 0.05 {
					deep++
					run[i]++
					longest = max(longest, run[i])
				} else {
					run[i] = 0
				}
				gap = math.Max(gap, math.Max(jointGap(l.hip), jointGap(l.knee)))
			}
			if info.Done {
				break
			}
		}
	}
	return depth, float64(deep) / float64(n), longest, gap
}

// BenchmarkSolver compares solver settings: speed with uniform random
// actions, then (untimed) how deep feet sink and how far joints pull
// apart. doc.go quotes its output; the last configuration is the one in
// use (-short runs only that one).
//
//	go test -run XXX -bench Solver -benchtime 20000x -cpu 1 ./physics/quadruped/
func BenchmarkSolver(b *testing.B) {
	type config struct {
		vel, pos int
		ccd      bool
		sub      int     // most sub-steps
		tol      float64 // overshoot that triggers them
	}
	configs := []config{{6, 2, false, 1, 0}, {6, 2, true, 1, 0}, {10, 4, false, 1, 0}, {30, 10, false, 1, 0},
		{180, 60, false, 1, 0}, {180, 60, true, 1, 0}, {6, 2, false, 8, 0.02}, {30, 10, false, 8, 0.02}, {10, 4, false, 8, 0.02}}
	if testing.Short() {
		configs = configs[len(configs)-1:]
	}
	for _, c := range configs {
		b.Run(fmt.Sprintf("vel=%d/pos=%d/ccd=%v/sub=%d/tol=%g", c.vel, c.pos, c.ccd, c.sub, c.tol), func(b *testing.B) {
			v0, p0, c0, s0, t0 := velocityIterations, positionIterations, continuous, maxSubsteps, overshoot
			velocityIterations, positionIterations, continuous, maxSubsteps, overshoot = c.vel, c.pos, c.ccd, c.sub, c.tol
			defer func() {
				velocityIterations, positionIterations, continuous, maxSubsteps, overshoot = v0, p0, c0, s0, t0
			}()
			e, _ := New(Options{})
			rng := rand.New(rand.NewPCG(1, 2))
			act := make([]float32, actSize)
			obs := make([]float32, obsSize)
			seed := int64(0)
			b.ResetTimer()
			cpu0 := cpuTime()
			for i := 0; i < b.N; i++ {
				randomAction(rng, act)
				info := e.Step(act)
				e.Observe(obs)
				if info.Done {
					b.StopTimer()
					seed++
					e.Reset(seed)
					b.StartTimer()
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "steps/s")
			b.ReportMetric(float64(b.N)/(cpuTime()-cpu0).Seconds(), "steps/cpu-s")
			b.StopTimer()
			d, share, run, gap := solverQuality(false)
			b.ReportMetric(d, "depth-m")
			b.ReportMetric(100*share, "deep-%")
			b.ReportMetric(float64(run), "deep-run")
			b.ReportMetric(gap, "gap-m")
			d, share, run, gap = solverQuality(true)
			b.ReportMetric(d, "bang-depth-m")
			b.ReportMetric(100*share, "bang-deep-%")
			b.ReportMetric(float64(run), "bang-deep-run")
			b.ReportMetric(gap, "bang-gap-m")
		})
	}
}
