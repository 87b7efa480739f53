// Package dist spreads a run's episodes over machines through NATS with
// JetStream: a Coordinator (a sim.Evaluator the Trainer uses instead of its
// local Pool), a Worker loop, and an embedded NATS server (Serve) so that
// one command, hebb evolve --serve ADDR, needs nothing else installed.
// docs/distributed.md is the user's guide and the scaling model.
//
// # Why the results do not depend on who evaluated
//
// The Trainer lays out a generation's jobs deterministically
// (sim.Protocol.TrainJobs: world seed and damage derive from run seed,
// generation, pair and episode), and an episode's result is a function of
// its job and its parameters only (sim.Pool). A worker receives the centre
// θ once per generation and rebuilds candidate i from θ, σ and the noise
// seed with evolve.Candidate — bit-identical to what the coordinator's ES
// asked for (float64(σ·ε) forbids a fused multiply-add on any
// architecture). The coordinator puts each result in its job's slot, so
// arrival order, duplicates and redeliveries change nothing.
//
// # Messages
//
//   - the generation: gob of the run's TrainConfig, θ, σ, the noise seed
//     and the population, in a JetStream object store (chunked, so the
//     3.7 MB θ of the pixel racer fits a 1 MB payload limit); workers fetch
//     it once per generation and cache it.
//   - a job: JSON {run, eval, gen, i, c, seed, morph, sched}, 73 bytes for
//     a healthy body, ~230 with a morphology and a damage event, on a
//     work-queue stream (each job goes to one worker; acked when done).
//   - a result: 77 bytes of binary (returns may be NaN and must arrive bit
//     for bit), on a second work-queue stream that the coordinator reads
//     with one continuous pull.
//   - a heartbeat: ~70 bytes of JSON per worker per second (core NATS),
//     so the coordinator can say who is there and that it is waiting.
//
// # Faults
//
// A worker pings its job (InProgress) every AckWait/3 while the episode
// runs; one that dies stops pinging and the broker redelivers its job
// after AckWait to another worker. Results carry the job's index and the
// coordinator's evaluation number; one that arrives twice (a slow worker
// and the one its job was redelivered to) is counted once, results of
// another run or evaluation are ignored, and the broker also drops
// republished messages by id (Nats-Msg-Id) within two minutes. A worker
// publishes the result before it acks the job, so a kill between the two
// costs a duplicate, never a loss. A coordinator that dies is resumed from
// its checkpoint (hebb evolve --resume): it recreates the streams empty
// under a new run id, and the workers, which reconnect for two minutes,
// find the new queue.
//
// # Measured
//
// TestDistributedEqualsLocal, TestRedeliveryAfterSilentWorker and
// TestDuplicateResultsCountedOnce compare θ bit for bit with the local
// pool; cmd/hebb's TestDistributedEvolveE2E does so for whole processes
// (SIGKILL of a worker mid-job and of the coordinator). hebb bench
// --distributed measures evaluations/s, CPU and bytes per evaluation
// (docs/distributed.md).
package dist
