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
//
// # Box2D settings (quadruped)
//
// The quadruped steps its world with World.Step(1/50, 10, 4), continuous
// collision off, and splits a step into up to 8 sub-steps when a foot is
// about to hit the ground fast; its doc.go gives the measurements behind
// the choice (BenchmarkSolver). In short, on this 2-core machine, per CPU
// second of one process: 6/2 iterations 45k steps, 10/4 40k, 10/4 with
// sub-steps 35k, 30/10 29k, Gym's 180/60 11k. Continuous collision (v1.0.2
// turns it on by default and has no setter: set
// B2World.M_continuousPhysics) halves the speed and pulls joints apart by
// 11–28 cm, because it stops a body at its time of impact while its
// jointed partners move on; off, joints stay within 5 cm at 10/4, and
// without sub-steps a fast foot may overshoot up to 20 cm into the (solid)
// ground for one step. Ground is solid polygons on one static body, never edge chains
// (legs sank through edges, DESIGN.md §5). Collision filtering needs
// SetContactFilter on the world and an explicit Filter on every fixture.
package physics
