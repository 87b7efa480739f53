package sim

import (
	"github.com/hebbsim/hebbsim/brain"
	"github.com/hebbsim/hebbsim/physics"
	"github.com/hebbsim/hebbsim/physics/quadruped"
	"github.com/hebbsim/hebbsim/physics/racer"
)

// The built-in environments. Their defaults follow DESIGN.md §1 and §5;
// sim/doc.go says why each differs from the reference where it does.
func init() {
	Register(EnvSpec{
		Name:     "quadruped",
		ObsModes: []string{"state"},
		New: func(string) (physics.Env, error) {
			// The episode enforces MaxSteps; the env's own limit stays at
			// its default of 1,000 so an evaluation can ask for fewer.
			return quadruped.New(quadruped.Options{})
		},
		Arch: func(string) brain.Arch {
			return brain.Arch{Layers: []int{34, 128, 64, 8}, Output: brain.OutputTanh, Rule: brain.DefaultRule, Normalize: true}
		},
		EarlyStop: EarlyStop{Stall: 100, Progress: 0.05},
		MaxSteps:  1000,
		Fitness:   "distance",
		Doc:       "planar four-legged walker on Gym-style hills (34 observations, 8 motors)",
		// FL and FR hang from the front hip, BL and BR from the back one:
		// each pair is one leg twice (docs/adaptation.md).
		Mirrors: map[string]brain.Mirror{"front": legMirror(0, 1), "back": legMirror(2, 3)},
	})
	Register(EnvSpec{
		Name:     "racer",
		ObsModes: []string{"pixels", "pixels-wide", "rays", "grip", "traction", "compass"},
		New: func(obs string) (physics.Env, error) {
			return racer.New(racer.Options{Obs: obs})
		},
		Arch: func(obs string) brain.Arch {
			if obs == "rays" {
				// The reference's dense layers (128, 64) on the 12 rays
				// values: with 64, 32 the outputs stayed so near 0 that
				// every random network braked at sigmoid(0) = 0.5 (doc.go).
				return brain.Arch{Layers: []int{racer.ObsRays, 128, 64, 3}, Output: brain.OutputRacer, Rule: brain.DefaultRule, Normalize: true}
			}
			if obs == "grip" { // the rays and the car's sideways slip
				return brain.Arch{Layers: []int{racer.ObsGrip, 128, 64, 3}, Output: brain.OutputRacer, Rule: brain.DefaultRule, Normalize: true}
			}
			if obs == "traction" { // grip and the driven wheels' spin
				return brain.Arch{Layers: []int{racer.ObsTraction, 128, 64, 3}, Output: brain.OutputRacer, Rule: brain.DefaultRule, Normalize: true}
			}
			if obs == "compass" { // traction and the road's direction
				return brain.Arch{Layers: []int{racer.ObsCompass, 128, 64, 3}, Output: brain.OutputRacer, Rule: brain.DefaultRule, Normalize: true}
			}
			return brain.Arch{Layers: []int{brain.CNNFeatures, 128, 64, 3}, CNN: true, Output: brain.OutputRacer, Rule: brain.DefaultRule, Normalize: true}
		},
		// The reference breaks when neg_count > 20: on the 21st
		// negative-reward step in a row, counted from the first step.
		EarlyStop: EarlyStop{Run: 21},
		MaxSteps:  1000,
		Fitness:   "return",
		Doc:       "top-down car on a random closed track, from 84×84 pixels (48 m across, or Gym's 61.7 m: pixels-wide), 9 range-finder rays, the rays and the car's slip (grip), grip and the wheel spin (traction), or traction and the road's direction (compass)",
	})
}

// legMirror swaps quadruped legs a and b: their senses and their motors.
func legMirror(a, b int) brain.Mirror {
	var m brain.Mirror
	for k, i := range quadruped.LegObs(a) {
		m.In = append(m.In, [2]int{i, quadruped.LegObs(b)[k]})
	}
	for k, i := range quadruped.LegActs(a) {
		m.Out = append(m.Out, [2]int{i, quadruped.LegActs(b)[k]})
	}
	return m
}
