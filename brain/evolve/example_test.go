package evolve_test

import (
	"fmt"

	"github.com/hebbsim/hebbsim/brain/evolve"
)

// Maximise −(x−3)² in one dimension with ask/tell.
func Example() {
	es, err := evolve.New(evolve.Config{Pop: 20, LR: 0.1, Sigma: 0.1, LRDecay: 0.99, Seed: 1}, []float64{0})
	if err != nil {
		panic(err)
	}
	for es.Gen() < 300 {
		pop := es.Ask()
		fit := make([]float64, len(pop))
		for i, x := range pop {
			fit[i] = -(x[0] - 3) * (x[0] - 3)
		}
		if err := es.Tell(fit); err != nil {
			panic(err)
		}
	}
	fmt.Printf("x ≈ %.1f\n", es.Theta()[0])
	// Output: x ≈ 3.0
}
