package racer_test

import (
	"fmt"

	"github.com/hebbsim/hebbsim/physics"
	"github.com/hebbsim/hebbsim/physics/racer"
)

// A rollout by hand: the range-finder observation, full gas straight
// ahead for one second, then a bent steering rack.
func Example() {
	env, err := racer.New(racer.Options{Obs: "rays"})
	if err != nil {
		panic(err)
	}
	env.Reset(42)
	obs := make([]float32, env.ObsSize())
	var info physics.StepInfo
	for env.Steps() < 50 {
		env.Observe(obs)
		info = env.Step([]float32{0, 1, 0})
	}
	fmt.Printf("%d inputs, %d of %d tiles after 1 s\n", env.ObsSize(), info.Tiles, info.TilesTotal)

	if err := env.ApplyDamage(physics.Damage{Target: "car", Kind: "steering"}); err != nil {
		panic(err)
	}
	fmt.Println(env.DamageState())
	_, err = racer.New(racer.Options{Obs: "sonar"})
	fmt.Println(err)
	// Output:
	// 12 inputs, 9 of 299 tiles after 1 s
	// map[car:steering]
	// racer: unknown observation "sonar" (want "pixels", "pixels-wide", "rays", "grip", "traction" or "compass")
}
