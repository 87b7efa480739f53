package quadruped_test

import (
	"fmt"

	"github.com/hebbsim/hebbsim/physics"
	"github.com/hebbsim/hebbsim/physics/quadruped"
)

// A short episode on flat ground with the front-left shin shortened from
// step 50: the controller (here a constant action) is never told.
func Example() {
	env, err := quadruped.New(quadruped.Options{Terrain: "flat", MaxSteps: 100})
	if err != nil {
		panic(err)
	}
	env.Reset(1)
	obs := make([]float32, env.ObsSize())
	act := make([]float32, env.ActSize())
	var info physics.StepInfo
	for !info.Done {
		if env.Steps() == 50 {
			env.ApplyDamage(physics.Damage{Target: "FL", Kind: quadruped.Shorten})
		}
		env.Observe(obs)
		info = env.Step(act)
	}
	fmt.Println(info.Reason, env.Steps(), env.DamageState())
	// Output: step limit 100 map[FL:shorten]
}
