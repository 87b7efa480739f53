package main

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/hebbsim/hebbsim/assets"
	"github.com/hebbsim/hebbsim/brain"
	"github.com/hebbsim/hebbsim/brain/evolve"
	"github.com/hebbsim/hebbsim/sim"
	"github.com/hebbsim/hebbsim/sim/dist"
)

// distBench compares the local pool with a coordinator (embedded NATS
// server, this process) and worker processes on loopback, on the same
// generations of quadruped episodes (docs/distributed.md).
type distBench struct {
	Genome           string  `json:"genome"`
	Params           int     `json:"params"`
	Pop              int     `json:"pop"`
	Gens             int     `json:"gens"`
	Evals            int     `json:"evals"` // per measurement
	MeanSteps        float64 `json:"mean_steps"`
	Workers          int     `json:"workers"` // local pool slots = worker processes (1 slot each)
	LocalEvalsPerSec float64 `json:"local_evals_per_sec"`
	EvalsPerSec      float64 `json:"evals_per_sec"`
	Overhead         float64 `json:"overhead"` // 1 − distributed/local evaluations per second
	BytesPerEval     float64 `json:"bytes_per_eval"`
	GenBytes         int     `json:"generation_bytes"` // the generation message each worker downloads (settings + θ, gob)
	LocalCPUPerEval  float64 `json:"local_cpu_seconds_per_eval"`
	CPUPerEval       float64 `json:"cpu_seconds_per_eval"`            // coordinator + broker + workers
	CoordCPUPerGen   float64 `json:"coordinator_cpu_seconds_per_gen"` // coordinator + broker process
	ESSecondsPerGen  float64 `json:"es_ask_tell_seconds_per_gen"`     // the ES's own work (local or not)
	WorkerCPUPerEval float64 `json:"worker_cpu_seconds_per_eval"`     // worker processes only
	Repeats          int     `json:"repeats"`
	CPUMeasured      bool    `json:"cpu_measured"` // /proc was readable
}

// benchDistributed times gens generations of pop+1 quadruped episodes
// (the bundled rule, or rules) on the local pool with workers slots and
// on workers worker processes through an embedded broker, alternately,
// keeping each one's best of two.
func benchDistributed(pop, gens, workers int, rules string) (distBench, error) {
	db := distBench{Pop: pop, Gens: gens, Workers: workers, Repeats: 2}
	if rules == "" && assets.Has("quadruped-hebbian") {
		rules = "quadruped-hebbian"
	}
	cfg := sim.TrainConfig{Env: "quadruped", Seed: 1, EvalCentre: true, ES: evolve.Config{Pop: pop}}
	var theta []float64
	if rules != "" {
		rf, err := loadRules(rules)
		if err != nil {
			return db, err
		}
		net, err := rf.NewNetwork()
		if err != nil {
			return db, err
		}
		cfg.Arch = net.Arch()
		theta = make([]float64, net.NumParams())
		net.Params(theta)
		db.Genome = rules
	}
	pool, rcfg, _, err := sim.NewTrainPool(cfg, workers)
	if err != nil {
		return db, err
	}
	if theta == nil {
		net, _ := brain.NewNetwork(rcfg.Arch)
		theta, db.Genome = sim.InitGenome(net, 0, 1), "random N(0,1) genome"
	}
	db.Params = len(theta)
	// A rule file holds float32-exact values, which gob sends in ~5 bytes
	// each; a centre after one ES step needs all 8 (9 on the wire). Send
	// what a run sends.
	moved := make([]float64, len(theta))
	evolve.Candidate(moved, theta, 0.01, 99, 0, 0, 2)
	theta = moved
	// σ small enough that the candidates still walk like the rule.
	const sigma = 0.01
	var batches []*sim.Batch
	steps := 0
	for g := 0; g < gens; g++ {
		jobs, err := rcfg.Protocol.TrainJobs(pool.Env(), rcfg.Seed, g, pop+1, pop)
		if err != nil {
			return db, err
		}
		b := &sim.Batch{Gen: g, Theta: theta, Sigma: sigma, NoiseSeed: 7, Pop: pop, Jobs: jobs}
		b.Params = make([][]float64, pop+1)
		for i := range b.Params {
			b.Params[i] = make([]float64, len(theta))
			b.Candidate(b.Params[i], i)
		}
		batches = append(batches, b)
		db.Evals += len(jobs)
	}
	// The ES's own work per generation (ask and tell), the same wherever
	// the episodes run.
	es, _ := evolve.New(evolve.Config{Pop: pop, Sigma: sigma, Seed: 7}, theta)
	t0 := time.Now()
	for g := 0; g < 3; g++ {
		es.Ask()
		es.Tell(make([]float64, pop))
	}
	db.ESSecondsPerGen = time.Since(t0).Seconds() / 3

	tok := make([]byte, 12)
	rand.Read(tok)
	sec := dist.Security{Token: hex.EncodeToString(tok)}
	srv, err := dist.Serve("127.0.0.1:0", sec)
	if err != nil {
		return db, err
	}
	defer srv.Close()
	nc, err := srv.Connect("hebb bench")
	if err != nil {
		return db, err
	}
	defer nc.Close()
	coord, err := dist.NewCoordinator(nc, dist.Options{Cfg: rcfg, Queue: "bench", Status: func(s string) { fmt.Fprintln(os.Stderr, "hebb bench: "+s) }})
	if err != nil {
		return db, err
	}
	defer coord.Close()
	exe, err := os.Executable()
	if err != nil {
		return db, err
	}
	var procs []*exec.Cmd
	defer func() {
		for _, p := range procs {
			p.Process.Signal(syscall.SIGTERM)
			p.Wait()
		}
	}()
	for i := 0; i < workers; i++ {
		p := exec.Command(exe, "worker", "--broker", srv.URL(), "--workers", "1", "--queue", "bench", "--quiet")
		p.Env = append(os.Environ(), "HEBB_TOKEN="+sec.Token, "HEBB_RUN_MAIN=1")
		p.Stderr = os.Stderr
		if err := p.Start(); err != nil {
			return db, err
		}
		procs = append(procs, p)
	}
	for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		if ids, _ := coord.Workers(); len(ids) == workers {
			break
		}
		if time.Now().After(deadline) {
			return db, fmt.Errorf("bench: %d worker processes did not join in 60 s", workers)
		}
	}
	workerCPU := func() (float64, bool) {
		var s float64
		for _, p := range procs {
			c, ok := procCPU(p.Process.Pid)
			if !ok {
				return 0, false
			}
			s += c
		}
		return s, true
	}
	type meas struct{ sec, cpu, wcpu float64 }
	run := func(ev sim.Evaluator) (meas, error) {
		w0, _ := workerCPU()
		start, c0 := time.Now(), cpuSeconds()
		st := 0
		for _, b := range batches {
			res, err := ev.Evaluate(b)
			if err != nil {
				return meas{}, err
			}
			for _, r := range res {
				st += r.Steps
			}
		}
		steps = st
		w1, _ := workerCPU()
		return meas{time.Since(start).Seconds(), cpuSeconds() - c0, w1 - w0}, nil
	}
	// One untimed generation so the workers have built their bodies.
	if _, err := coord.Evaluate(batches[0]); err != nil {
		return db, err
	}
	var local, remote meas
	var in0, out0, in1, out1 int64
	for r := 0; r < db.Repeats; r++ {
		l, err := run(pool)
		if err != nil {
			return db, err
		}
		i0, o0 := srv.Bytes()
		d, err := run(coord)
		if err != nil {
			return db, err
		}
		i1, o1 := srv.Bytes()
		if os.Getenv("HEBB_BENCH_DEBUG") != "" {
			fmt.Fprintf(os.Stderr, "bench: distributed run %d: %.1f s, %d bytes in, %d out\n", r, d.sec, i1-i0, o1-o0)
		}
		if local.sec == 0 || l.sec < local.sec {
			local = l
		}
		if remote.sec == 0 || d.sec < remote.sec {
			remote, in0, out0, in1, out1 = d, i0, o0, i1, o1
		}
	}
	_, db.CPUMeasured = workerCPU()
	n := float64(db.Evals)
	db.MeanSteps = float64(steps) / n
	db.LocalEvalsPerSec, db.EvalsPerSec = n/local.sec, n/remote.sec
	db.Overhead = 1 - db.EvalsPerSec/db.LocalEvalsPerSec
	db.BytesPerEval = float64((in1-in0)+(out1-out0)) / n
	if spec, err := dist.GenerationSize(rcfg, theta, pop); err == nil {
		db.GenBytes = spec
	}
	db.LocalCPUPerEval = local.cpu / n
	db.CPUPerEval = (remote.cpu + remote.wcpu) / n
	db.WorkerCPUPerEval = remote.wcpu / n
	db.CoordCPUPerGen = remote.cpu / float64(gens)
	return db, nil
}

// procCPU is the user+system CPU seconds of process pid (Linux /proc).
func procCPU(pid int) (float64, bool) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0, false
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return 0, false
	}
	f := strings.Fields(s[i+1:])
	if len(f) < 13 {
		return 0, false
	}
	ut, e1 := strconv.ParseFloat(f[11], 64)
	st, e2 := strconv.ParseFloat(f[12], 64)
	if e1 != nil || e2 != nil {
		return 0, false
	}
	return (ut + st) / 100, true // USER_HZ is 100 on Linux
}
