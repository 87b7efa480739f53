// Package physics holds the bodies and worlds hebbsim simulates, built on
// ByteArena/box2d: the planar quadruped (physics/quadruped) and the top-down
// racer (physics/racer).
//
// This package defines what every environment shares: the Env interface, the
// StepInfo an Env reports, and the Drawer interface through which an Env
// draws itself (like Box2D's b2DebugDraw). Physics knows nothing of brains,
// of the app or of any drawing library.
//
// Every Env is a pure, fixed-step, deterministic function of its seed and
// the actions it is given: same seed and same actions give a bit-identical
// trajectory. Nothing reads the wall clock.
package physics
