// Command hebb is hebbsim's headless tool: evolve, eval, trace, record,
// bench, inspect, worker (spf13/cobra; --help on each; docs/cli.md). It never imports
// Ebitengine (internal/layout tests it), so it runs on a server with no
// display.
//
//	hebb evolve  OpenAI-ES (brain/evolve) over sim.Trainer: checkpoint, log.csv,
//	             fitness.png (gonum/plot), best.npz (centre θ), best-candidate.npz
//	hebb eval    sim.Evaluate on evaluation seeds (≥ 10⁹), mean ± std, --json
//	hebb trace   sim.Trace: brain.TraceRecorder on one episode → .npz
//	hebb trajectory  sim.Trace on one episode → the plastic weights on their first
//	             two principal components (stat.PC) and the mean |Δw| settling curve,
//	             PNGs (docs/weights-trajectory.png); 1,000 quadruped steps with 13,056
//	             synapses: 2.4 s wall, 1.2 s CPU at load average 4 (SVD on every 4th step)
//	hebb record  sim.Prepare on one episode, drawn every 50/fps steps through the
//	             physics' Drawer by internal/clip → an animated GIF for slides
//	hebb bench   env steps/s, brain ns/synapse, pool evaluations/s 1 vs N workers
//	hebb inspect rule-file metadata, architecture, coefficient statistics
//	hebb worker  evaluates episodes of an evolve --serve/--broker run on other
//	             machines through NATS JetStream (sim/dist; distflags.go, worker.go;
//	             docs/distributed.md; TestDistributedEvolveE2E)
//
// Every error is one line on stderr and exit code 2 (TestBadInputIsOneLineAndExit2).
// Every flag's range is checked in flags.go, through internal/flagcheck,
// before any work or file is written (TestEveryFlagIsChecked: each bad
// value refused with the flag and its range named, each edge accepted).
// A run killed with SIGKILL at random moments and resumed ends bit-identical
// to an uninterrupted one (TestKillAndResumeBitIdentical).
//
// Measured on this 2-core machine while four other programs were building
// and testing (load average 3–8), so every number is a floor:
//
//	hebb bench --env quadruped
//	env    quadruped          33839 steps/s (random actions, 165 resets)
//	brain  quadruped      forward 5107 ns, update 8512 ns (0.65 ns/synapse)
//	hebb evolve --env quadruped --pop 16 --gens 3 --out /tmp/q   0.4 s
//
// The pool's scaling from 1 to 2 workers, with the machine otherwise busy,
// measured ×1.82–1.90 in BenchmarkPool (sim/doc.go) and ×1.06–1.16 in hebb
// bench while another 2-worker evolution ran; the CPU time per evaluation
// was the same on 1 and 2 workers (38.5 ms for a 1,000-step walker episode,
// hebb bench --env quadruped --rules <evolved walker>), so the pool adds no
// work and the wall-clock scaling is bounded only by free cores.
package main
