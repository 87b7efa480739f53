// Package sim wires an environment (physics) to a controller (brain) for an
// episode. It holds the one rollout loop (Episode) that the trainer, the
// evaluator and the desktop app all use, the registry of environments
// (house rule 3), evaluation protocols as data, the worker pool and the
// Trainer that drives brain/evolve.
//
// # The rollout loop
//
// Episode.Reset(seed) builds the world from seed, applies the morphology
// and draws fresh random plastic weights from PCG(WeightSeed(seed)); each
// Step applies scheduled events, then Forward → env Step → Update, in the
// order of DESIGN.md §1. Early stops (EarlyStop): a run of negative-reward
// steps (Run, After; the reference's rule, the racer's default: Run 20), or
// no progress (Stall steps without getting Progress metres further than the
// best distance so far; the quadruped's default: 100 steps, 5 cm, as the
// DESIGN.md §5 prototype). The quadruped's reward is Gym's shaping minus an
// energy cost of 0.028·Σ|a| per step, so a walker at 4 cm/step with
// saturated motors earns a negative reward every step: the reference's
// "30 negative steps after step 200" would end exactly the slow steady
// gaits that evolution refines, which the progress stop does not.
//
// # Protocols and seeds
//
// A Protocol (episodes, morphologies, mid-episode damage, fitness measure)
// lays out a generation's jobs (TrainJobs). Training worlds come from
// TrainSeed(run, gen, pair, episode) ∈ [0, 10⁶); evaluation worlds start
// at EvalSeedStart = 10⁹, so no evaluation world was seen in training.
// With Common (the CLI's default) all candidates of a generation share
// their worlds, initial weights and damage (common random numbers), so
// ranks compare parameters rather than luck; either way the two members of
// an antithetic pair do.
//
// # Determinism
//
// Every job's randomness derives from (run seed, generation, pair,
// episode), every worker owns its env and network and resets both per
// episode, and fitness is reduced in job order: results are identical for
// 1 and 16 workers (TestTrainerWorkerCountIndependent,
// TestQuadrupedWorkerCountIndependent). Trainer.Save/LoadTrainer round-trip
// the whole run, and a resumed run is bit-identical
// (TestTrainerResumeBitIdentical; cmd/hebb kills a real process with
// SIGKILL in TestKillAndResumeBitIdentical). A Box2D panic inside an
// episode ends that episode with reason "physics: panic: …" (house rule 6).
//
// # Measured (this 2-core machine, shared with other work: noisy)
//
//	go test -run '^$' -bench Pool -benchtime 20x ./sim
//	GOGC=100: workers=1 226 evals/s, workers=2 429 evals/s (×1.90)
//	GOGC=400: workers=1 305 evals/s, workers=2 557 evals/s (×1.82)
//
// (16 quadruped episodes per op from a random genome, which then fell
// after ~63 steps, so resets weighed heavily; 28 MB and 507k allocations
// per op, almost all Box2D world building and stepping.) The spread between
// the two GOGC rows is mostly load from other programs: GODEBUG=gctrace=1
// puts the collector at 3 % of the CPU with GOGC=100 and under 1 % with
// 400. hebb runs with GOGC=400.
package sim
