package racer

import (
	"fmt"
	"testing"
)

// pilotActions records the pilot's actions on seed's track, to replay.
func pilotActions(tb testing.TB, seed int64, steps int) [][3]float32 {
	e, err := New(Options{Obs: "rays", MaxSteps: steps})
	if err != nil {
		tb.Fatal(err)
	}
	e.Reset(seed)
	p := newPilot(e)
	var acts [][3]float32
	for done := false; !done; {
		a := p.act(e)
		acts = append(acts, a)
		done = e.Step(a[:]).Done
	}
	return acts
}

// BenchmarkEnvStep measures one Observe + Step, the rollout loop's work per
// step, with the car driven round the track by replayed pilot actions.
func BenchmarkEnvStep(b *testing.B) {
	acts := pilotActions(b, 1, 1000)
	for _, mode := range []string{"pixels", "rays"} {
		b.Run(mode, func(b *testing.B) {
			e, err := New(Options{Obs: mode})
			if err != nil {
				b.Fatal(err)
			}
			e.Reset(1)
			obs := make([]float32, e.ObsSize())
			k := 0
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				e.Observe(obs)
				a := acts[k]
				k++
				if e.Step(a[:]).Done || k == len(acts) {
					b.StopTimer()
					e.Reset(1)
					k = 0
					b.StartTimer()
				}
			}
		})
	}
}

// BenchmarkRender measures the pixel view alone.
func BenchmarkRender(b *testing.B) {
	acts := pilotActions(b, 1, 200)
	e, _ := New(Options{})
	e.Reset(1)
	for _, a := range acts {
		e.Step(a[:])
	}
	obs := make([]float32, ObsPixels)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		e.Observe(obs)
	}
}

// BenchmarkSolver measures Step alone (rays mode, no Observe) under
// several Box2D iteration counts.
func BenchmarkSolver(b *testing.B) {
	acts := pilotActions(b, 1, 1000)
	for _, it := range [][2]int{{180, 60}, {30, 10}, {8, 3}, {6, 2}} {
		b.Run(fmt.Sprintf("vel%d-pos%d", it[0], it[1]), func(b *testing.B) {
			e, _ := New(Options{Obs: "rays"})
			e.velIters, e.posIters = it[0], it[1]
			e.Reset(1)
			k := 0
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				a := acts[k]
				k++
				if e.Step(a[:]).Done || k == len(acts) {
					b.StopTimer()
					e.Reset(1)
					k = 0
					b.StartTimer()
				}
			}
		})
	}
}
