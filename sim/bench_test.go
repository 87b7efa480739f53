package sim

import (
	"fmt"
	"testing"

	"github.com/hebbsim/hebbsim/brain"
	"github.com/hebbsim/hebbsim/physics"
)

// BenchmarkPool/quadruped/workers=N runs 16 whole quadruped episodes (a
// random N(0,1) ABCD_lr genome, up to 1,000 steps) per iteration.
func BenchmarkPool(b *testing.B) {
	spec, _ := Lookup("quadruped")
	arch := spec.Arch("state")
	net := brain.MustNewNetwork(arch)
	params := [][]float64{InitGenome(net, 0, 1)}
	jobs := make([]Job, 16)
	for i := range jobs {
		jobs[i] = Job{Seed: int64(i)}
	}
	for _, w := range []int{1, 2} {
		b.Run(fmt.Sprintf("quadruped/workers=%d", w), func(b *testing.B) {
			pool, err := NewPool(w, Config{MaxSteps: 1000},
				func() (physics.Env, error) { return spec.New("state") },
				func() (Genome, error) { return brain.NewNetwork(arch) })
			if err != nil {
				b.Fatal(err)
			}
			steps := 0
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				res, _ := pool.Run(params, jobs)
				for _, r := range res {
					steps += r.Steps
				}
			}
			b.ReportMetric(float64(steps)/b.Elapsed().Seconds(), "steps/s")
			b.ReportMetric(float64(len(jobs)*b.N)/b.Elapsed().Seconds(), "evals/s")
		})
	}
}
