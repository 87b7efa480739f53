package quadruped

import (
	"math/rand/v2"
	"testing"
)

// BenchmarkEnvStep times Step with uniform random actions in the training
// configuration (hills, 1000-step episodes), physics only: resets are
// excluded from the timing.
func BenchmarkEnvStep(b *testing.B) {
	for _, terr := range Terrains {
		b.Run(terr, func(b *testing.B) {
			e, err := New(Options{Terrain: terr})
			if err != nil {
				b.Fatal(err)
			}
			rng := rand.New(rand.NewPCG(1, 2))
			act := make([]float32, actSize)
			obs := make([]float32, obsSize)
			seed := int64(0)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				for k := range act {
					act[k] = float32(2*rng.Float64() - 1)
				}
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
		})
	}
}
