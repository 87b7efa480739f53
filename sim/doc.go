// Package sim wires an environment (physics) to a controller (brain) for an
// episode. It holds the one rollout loop that the trainer, the evaluator and
// the desktop app all use, and the registry of environments.
package sim
