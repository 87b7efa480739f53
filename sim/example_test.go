package sim_test

import (
	"fmt"

	"github.com/hebbsim/hebbsim/brain/evolve"
	"github.com/hebbsim/hebbsim/sim"
)

// Two generations of a tiny quadruped run: ask → evaluate on the worker
// pool → tell, with the healthy body and the one with a short front-left
// shin.
func ExampleTrainer() {
	tr, err := sim.NewTrainer(sim.TrainConfig{
		Env:      "quadruped",
		MaxSteps: 50,
		Protocol: sim.Protocol{Morphologies: []string{"healthy", "FL-short"}, Common: true},
		ES:       evolve.Config{Pop: 4},
		Seed:     1,
	}, 2)
	if err != nil {
		fmt.Println(err)
		return
	}
	for tr.Gen() < 2 {
		g, err := tr.Step()
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("generation %d: %d episodes\n", g.Gen, g.Episodes)
	}
	// Output:
	// generation 1: 8 episodes
	// generation 2: 8 episodes
}

func ExampleParseEvents() {
	ev, err := sim.ParseEvents("FL:shorten@300,FL:repair@600", "")
	fmt.Println(len(ev), ev[0].Step, ev[0].Damage.Target, ev[0].Damage.Kind, ev[1].Repair, err)
	// Output: 2 300 FL shorten true <nil>
}
