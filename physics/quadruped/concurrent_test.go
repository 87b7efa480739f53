package quadruped

import (
	"sync"
	"testing"
)

// Worlds stepped in parallel goroutines give the trajectory one world
// gives alone. Box2D v1.0.2 fills its table of contact constructors
// lazily on the first contact, from whichever goroutine gets there first,
// with no lock; package physics fills it at init so that it never races
// (go test -race ./physics/... shows the race without that).
func TestParallelWorldsAgree(t *testing.T) {
	const n, steps = 4, 150
	out := make([][]float64, n)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			e, err := New(Options{})
			if err != nil {
				t.Error(err)
				return
			}
			e.Reset(11)
			act := make([]float32, e.ActSize())
			for s := 0; s < steps; s++ {
				for j := range act {
					act[j] = float32((s/10+j)%3) - 1
				}
				info := e.Step(act)
				out[i] = append(out[i], info.Distance)
			}
		}(i)
	}
	wg.Wait()
	for i := 1; i < n; i++ {
		for s := range out[0] {
			if out[i][s] != out[0][s] {
				t.Fatalf("world %d differs from world 0 at step %d: %v vs %v", i, s, out[i][s], out[0][s])
			}
		}
	}
}
