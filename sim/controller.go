package sim

import "math/rand/v2"

// Controller is a network that drives a body. brain.Network implements it.
//
// Within one step the order is fixed (DESIGN.md §1): Forward on the
// observation → the action goes to the environment → the environment steps →
// Update with the activations of that same Forward. The update at step t
// first affects the action at step t+1.
type Controller interface {
	// Reset starts an episode: plastic weights are drawn fresh from rng.
	// A static controller keeps its evolved weights.
	Reset(rng *rand.Rand)
	// Forward maps an observation to an action. The returned slice is owned
	// by the controller and valid until the next Forward.
	Forward(obs []float32) []float32
	// Update applies the plasticity rule with the activations of the last
	// Forward (and normalises, if the rules say so). No-op when static.
	Update()
}
