package quadruped

import (
	"math/rand/v2"
	"syscall"
	"testing"
	"time"
)

// cpuTime is the CPU time this process has used (user + system), which,
// unlike wall time, hardly grows when other programs share the cores.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkEnvStep times Step with uniform random actions in the training
// configuration (hills, 1000-step episodes), physics only: resets are
// excluded from the timing (but not from steps/cpu-s, which counts all
// CPU time of the process, resets and garbage collection included).
//
//	go test -run XXX -bench EnvStep -benchtime 20000x -cpu 1 ./physics/quadruped/
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
			cpu0 := cpuTime()
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
			if cpu := cpuTime() - cpu0; cpu > 0 {
				b.ReportMetric(float64(b.N)/cpu.Seconds(), "steps/cpu-s")
			}
		})
	}
}

// BenchmarkReset times building a new world: terrain for a 1,000-step
// episode and the robot.
func BenchmarkReset(b *testing.B) {
	e, err := New(Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		e.Reset(int64(i))
	}
}
