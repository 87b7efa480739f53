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
// steps (Run, After; the reference's rule, the racer's default: Run 21,
// as the reference's "neg_count > 20" counted from the first step), or
// no progress (Stall steps without getting Progress metres further than the
// best distance so far; the quadruped's default: 100 steps, 5 cm, as the
// DESIGN.md §5 prototype). The quadruped's reward is Gym's shaping minus an
// energy cost of 0.028·Σ|a| per step, so a walker at 4 cm/step with
// saturated motors earns a negative reward every step: the reference's
// "30 negative steps after step 200" would end exactly the slow steady
// gaits that evolution refines, which the progress stop does not.
//
// # The racer's plateau (why its rays defaults are what they are)
//
// With the rays network 12→64→32→3 and rays in units of 50 m, every
// candidate of hebb evolve --env racer --obs rays had the same fitness in
// every generation (best = mean ≈ 6.5, ~37 steps an episode). The early
// stop was not the cause: with --early-stop none all 33 candidates of each
// of 8 generations still tied over 1,000 steps. The cause is the brake: the
// outputs of those networks stayed near 0 (rms 0.26), so brake =
// sigmoid(o2) ≈ 0.5, and any brake above ~0.18 makes the front tyres slide
// at their friction limit, which caps the speed at 4.9 m/s whatever the gas
// and makes steering ineffective (physics/racer doc.go). Every candidate
// then drives the same straight line, a tile every ~36 steps, and the run
// of 20 negative steps ends it: ES sees no differences at all. Holding the
// early stop off for the first 50 steps (neg:20:50) changed nothing in 40
// generations. What fixed it: the rays in road half-widths (physics/racer),
// the reference's dense layer sizes 128, 64 for the rays network, and
// --sigma 0.3, so that a share of each population leaves the plateau
// (10 of 32 random networks, against 0) and ranks mean something. Measured,
// pop 64, 40 generations from seed 1: σ 0.1 climbed after a 30-generation
// walk on the plateau (centre 63 at generation 39), σ 0.3 from generation
// 8 (centre 119 at generation 32), σ 0.5 mostly stayed on it. The pixel
// network met the same plateau (3 of 16 random networks ever braked below
// 0.18) until its conv weights started at N(0, 1) as the reference's do
// (InitGenome; 8 of 16).
//
// Step size: the reference divides the centred ranks by their standard
// deviation (0.29–0.30 for 32–200 candidates) before the update, brain/evolve
// does not, so the reference's lr 0.2 is a step of about 0.68 here. For the
// pixel network it mattered (pop 32, σ 0.3, seed 1): with --lr 0.2 the
// centre was at 38 after 99 generations, with --lr 0.6 at 305 after 60.
//
// Runs, one worker, on the 2-core machine beside two quadruped evolutions:
//
//	hebb evolve --env racer --obs rays --pop 64 --sigma 0.3 --gens 400 --seed 1 --workers 1
//	  400 generations in 453 s (7.5 min); centre 926 at generation 400
//	hebb eval --rules runs/racer-hebbian-rays/best.npz --episodes 100
//	  return 924.6 ± 23.7, tiles 0.998 ± 0.020, 98 laps of 100 unseen tracks
//	hebb evolve --env racer --obs pixels --pop 32 --sigma 0.3 --lr 0.6 --gens 400 --seed 1 --workers 1
//	  400 generations in 1,785 s (0.6 s a generation while episodes end
//	  early, 4.6 s over generations 301–400 at ~4,600 steps/s)
//	hebb eval --rules runs/racer-hebbian-pixels/best.npz --episodes 100
//	  return 773.0 ± 204.9, tiles 0.866 ± 0.197, 57 laps
//
// Both fall apart under oil at step 200 (--perturb oil@200: rays
// 244.5 ± 123.6, pixels 227.9 ± 169.7): neither saw a perturbation in
// training.
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
//
// # One way to configure a run
//
// RunSettings are an evolution run's settings as a person gives them:
// `hebb evolve` binds its flags to one, the app's Evolve panel edits one,
// and RunSettings.TrainConfig builds the TrainConfig both hand to the one
// Trainer — so the same settings and seed give the same rule files from
// either (tested in game/model and game/e2e). Presets name the training
// protocols the panel offers: healthy only, the quadruped's damage menu
// (every kind on any leg, mid-episode, half the episodes) and the
// racer's perturbations (oil, engine, steering: damage of its target
// "car"). Trainer.RuleFile and CentreFile write a rule file's provenance
// the same way for both.
//
// Pool.Nice runs the workers on OS threads of their own at a lower
// priority (Linux): the app evolves in the process that draws the window.
package sim
