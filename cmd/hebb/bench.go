package main

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"runtime"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/hebbsim/hebbsim/assets"
	"github.com/hebbsim/hebbsim/brain"
	"github.com/hebbsim/hebbsim/physics"
	"github.com/hebbsim/hebbsim/sim"
)

type benchReport struct {
	Env    map[string]envBench   `json:"env"`
	Brain  map[string]brainBench `json:"brain"`
	Evolve *evolveBench          `json:"evolve,omitempty"`
	Dist   *distBench            `json:"distributed,omitempty"` // --distributed: benchdist.go
	CPUs   int                   `json:"cpus"`
	Note   string                `json:"note"`
}

type envBench struct {
	StepsPerSec float64 `json:"steps_per_sec"`
	Steps       int     `json:"steps"`
	Resets      int     `json:"resets"`
}

type brainBench struct {
	Layers             []int   `json:"layers"`
	Rule               string  `json:"rule"`
	Synapses           int     `json:"synapses"`
	ForwardNs          float64 `json:"forward_ns"`
	UpdateNs           float64 `json:"update_ns"`
	StepNs             float64 `json:"step_ns"`
	UpdateNsPerSynapse float64 `json:"update_ns_per_synapse"`
	StepsPerSec        float64 `json:"steps_per_sec"` // forward + update, one core
}

type evolveBench struct {
	Env                   string  `json:"env"`
	Genome                string  `json:"genome"`
	Episodes              int     `json:"episodes"`
	MaxSteps              int     `json:"max_steps"`
	MeanSteps             float64 `json:"mean_steps"`
	EvalsPerSec1Worker    float64 `json:"evals_per_sec_1_worker"`
	EvalsPerSecAllWorkers float64 `json:"evals_per_sec_all_workers"`
	Workers               int     `json:"workers"`
	Scaling               float64 `json:"scaling"`
	EnvStepsPerSec1Worker float64 `json:"env_steps_per_sec_1_worker"`
	EnvStepsPerSecAll     float64 `json:"env_steps_per_sec_all_workers"`
	Repeats               int     `json:"repeats"`
	Seconds1Worker        float64 `json:"seconds_1_worker"`
	SecondsAllWorkers     float64 `json:"seconds_all_workers"`
	// CPU seconds per evaluation: equal for 1 and N workers means the pool
	// adds no work, and wall-clock scaling is bounded only by free cores.
	CPUPerEval1Worker float64 `json:"cpu_seconds_per_eval_1_worker"`
	CPUPerEvalAll     float64 `json:"cpu_seconds_per_eval_all_workers"`
}

func newBench() *cobra.Command {
	var envs string
	var asJSON bool
	var dur time.Duration
	var episodes, workers int
	var rules string
	var distributed bool
	var distPop, distGens int
	cmd := &cobra.Command{
		Use:   "bench [flags]",
		Short: "measure env steps/s, brain ns per synapse and evaluations/s on 1 and all workers",
		Long: `bench measures, on this machine: each environment's steps per second under
random actions (resets included); the brain's forward and Hebbian-update time for
the default architectures; and the evaluations per second of the trainer's worker
pool with 1 worker and with all workers on the same quadruped episodes (whole
episodes of up to 1,000 steps of --rules, by default the bundled quadruped-hebbian
or, without one, a random ABCD_lr genome whose episodes end in early falls), and
their ratio.
Numbers are noisy when other programs run: close them, or repeat.`,
		Example: `  hebb bench
  hebb bench --json
  hebb bench --env quadruped --duration 5s`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			if err := checkBenchFlags(envs, dur, episodes, workers); err != nil {
				return err
			}
			if workers <= 0 {
				workers = runtime.GOMAXPROCS(0)
			}
			rep := benchReport{Env: map[string]envBench{}, Brain: map[string]brainBench{}, CPUs: runtime.NumCPU(),
				Note: "measured while whatever else runs on this machine; repeat for stable numbers"}
			want := list(envs)
			pick := func(name string) bool {
				if len(want) == 0 {
					return true
				}
				for _, w := range want {
					if w == name || strings.HasPrefix(name, w+"-") {
						return true
					}
				}
				return false
			}
			for _, spec := range sim.Envs() {
				for _, obs := range spec.ObsModes {
					name := spec.Name
					if len(spec.ObsModes) > 1 {
						name += "-" + obs
					}
					if !pick(name) {
						continue
					}
					eb, err := benchEnv(spec, obs, dur)
					if err != nil {
						return err
					}
					rep.Env[name] = eb
					if !asJSON {
						fmt.Fprintf(c.OutOrStdout(), "env    %-14s %9.0f steps/s (%d steps, %d resets)\n", name, eb.StepsPerSec, eb.Steps, eb.Resets)
					}
				}
			}
			for _, b := range []struct {
				name string
				arch brain.Arch
			}{
				{"quadruped", brain.Arch{Layers: []int{34, 128, 64, 8}, Rule: "ABCD_lr", Normalize: true}},
				{"racer", brain.Arch{Layers: []int{brain.CNNFeatures, 128, 64, 3}, CNN: true, Output: brain.OutputRacer, Rule: "ABCD_lr", Normalize: true}},
			} {
				if !pick(b.name) {
					continue
				}
				bb, err := benchBrain(b.arch, dur)
				if err != nil {
					return err
				}
				rep.Brain[b.name] = bb
				if !asJSON {
					fmt.Fprintf(c.OutOrStdout(), "brain  %-14s forward %8.0f ns, update %8.0f ns (%.2f ns/synapse), step %8.0f ns\n",
						b.name, bb.ForwardNs, bb.UpdateNs, bb.UpdateNsPerSynapse, bb.StepNs)
				}
			}
			if pick("quadruped") {
				eb, err := benchEvolve(episodes, workers, rules)
				if err != nil {
					return err
				}
				rep.Evolve = &eb
				if !asJSON {
					fmt.Fprintf(c.OutOrStdout(), "evolve quadruped      %.1f evals/s on 1 worker, %.1f on %d workers: ×%.2f (%d episodes, mean %.0f steps)\n",
						eb.EvalsPerSec1Worker, eb.EvalsPerSecAllWorkers, eb.Workers, eb.Scaling, eb.Episodes, eb.MeanSteps)
					fmt.Fprintf(c.OutOrStdout(), "                      CPU per evaluation %.1f ms on 1 worker, %.1f ms on %d\n",
						1e3*eb.CPUPerEval1Worker, 1e3*eb.CPUPerEvalAll, eb.Workers)
				}
			}
			if distributed {
				db, err := benchDistributed(distPop, distGens, workers, rules)
				if err != nil {
					return err
				}
				rep.Dist = &db
				if !asJSON {
					fmt.Fprintf(c.OutOrStdout(), "distributed quadruped %.1f evals/s through NATS on loopback with %d worker processes, %.1f on the local pool (%d slots): overhead %.1f %%, %.0f bytes/eval\n",
						db.EvalsPerSec, db.Workers, db.LocalEvalsPerSec, db.Workers, 100*db.Overhead, db.BytesPerEval)
					fmt.Fprintf(c.OutOrStdout(), "                      CPU per evaluation %.1f ms (local %.1f); coordinator + broker %.1f ms per generation of %d\n",
						1e3*db.CPUPerEval, 1e3*db.LocalCPUPerEval, 1e3*db.CoordCPUPerGen, db.Pop+1)
				}
			}
			if asJSON {
				enc := json.NewEncoder(c.OutOrStdout())
				enc.SetIndent("", "  ")
				return enc.Encode(rep)
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&envs, "env", "", "only these (comma-separated): quadruped, racer, racer-pixels, racer-pixels-wide, racer-rays, racer-grip, racer-traction, racer-compass; none: only what other flags ask for (--distributed)")
	f.BoolVar(&asJSON, "json", false, "print one JSON object")
	f.DurationVar(&dur, "duration", 2*time.Second, "time per env and brain measurement")
	f.IntVar(&episodes, "episodes", 128, "episodes per evaluation-throughput measurement")
	f.StringVar(&rules, "rules", "", "quadruped rule file for the evaluation measurement (default: the bundled quadruped-hebbian if any, else a random genome)")
	f.IntVar(&workers, "workers", 0, "workers for the all-workers measurement (0: all cores)")
	f.BoolVar(&distributed, "distributed", false, "also time the local pool against a coordinator and --workers worker processes over NATS on loopback (docs/distributed.md)")
	f.IntVar(&distPop, "dist-pop", 32, "with --distributed: population (pop+1 episodes a generation)")
	f.IntVar(&distGens, "dist-gens", 4, "with --distributed: generations per measurement")
	return cmd
}

func benchEnv(spec sim.EnvSpec, obs string, dur time.Duration) (envBench, error) {
	env, err := spec.New(obs)
	if err != nil {
		return envBench{}, err
	}
	r := rand.New(rand.NewPCG(1, 2))
	act := make([]float32, env.ActSize())
	o := make([]float32, env.ObsSize())
	var b envBench
	env.Reset(0)
	start := time.Now()
	for time.Since(start) < dur {
		for i := 0; i < 50; i++ {
			for j := range act {
				act[j] = float32(2*r.Float64() - 1)
			}
			env.Observe(o)
			info := env.Step(act)
			b.Steps++
			if info.Done || env.Steps() >= spec.MaxSteps {
				b.Resets++
				env.Reset(int64(b.Resets))
			}
		}
	}
	b.StepsPerSec = float64(b.Steps) / time.Since(start).Seconds()
	return b, nil
}

func benchBrain(a brain.Arch, dur time.Duration) (brainBench, error) {
	net, err := brain.NewNetwork(a)
	if err != nil {
		return brainBench{}, err
	}
	r := rand.New(rand.NewPCG(3, 4))
	p := make([]float64, net.NumParams())
	for i := range p {
		p[i] = r.NormFloat64()
	}
	if err := net.SetParams(p); err != nil {
		return brainBench{}, err
	}
	net.Reset(r)
	obs := make([]float32, net.ObsSize())
	for i := range obs {
		obs[i] = float32(r.Float64())
	}
	var fwd, upd time.Duration
	n := 0
	start := time.Now()
	for time.Since(start) < dur {
		for i := 0; i < 20; i++ {
			t0 := time.Now()
			net.Forward(obs)
			t1 := time.Now()
			net.Update()
			t2 := time.Now()
			fwd += t1.Sub(t0)
			upd += t2.Sub(t1)
			n++
		}
	}
	bb := brainBench{Layers: a.Layers, Rule: a.Rule, Synapses: net.Synapses(),
		ForwardNs: float64(fwd.Nanoseconds()) / float64(n), UpdateNs: float64(upd.Nanoseconds()) / float64(n)}
	bb.StepNs = bb.ForwardNs + bb.UpdateNs
	bb.UpdateNsPerSynapse = bb.UpdateNs / float64(bb.Synapses)
	bb.StepsPerSec = 1e9 / bb.StepNs
	return bb, nil
}

// benchEvolve times the trainer's pool on the same quadruped episodes with
// 1 worker and with all workers.
func benchEvolve(episodes, workers int, rules string) (evolveBench, error) {
	spec, err := sim.Lookup("quadruped")
	if err != nil {
		return evolveBench{}, err
	}
	arch := spec.Arch("state")
	net, err := brain.NewNetwork(arch)
	if err != nil {
		return evolveBench{}, err
	}
	genome, source := sim.InitGenome(net, 0, 1), "random N(0,1) genome"
	if rules == "" && assets.Has("quadruped-hebbian") {
		rules = "quadruped-hebbian"
	}
	if rules != "" {
		rf, err := loadRules(rules)
		if err != nil {
			return evolveBench{}, err
		}
		if net, err = rf.NewNetwork(); err != nil {
			return evolveBench{}, err
		}
		if rf.Meta.Env != "quadruped" {
			return evolveBench{}, usageErr("--rules %s is for %q, bench evolves the quadruped", rules, rf.Meta.Env)
		}
		arch = net.Arch()
		genome, source = make([]float64, net.NumParams()), rules
		net.Params(genome)
	}
	params := [][]float64{genome}
	jobs := make([]sim.Job, episodes)
	for i := range jobs {
		jobs[i] = sim.Job{Seed: int64(i)}
	}
	eb := evolveBench{Env: "quadruped", Genome: source, Episodes: episodes, MaxSteps: spec.MaxSteps, Workers: workers, Repeats: 2}
	pools := map[int]*sim.Pool{}
	for _, w := range []int{1, workers} {
		if pools[w], err = sim.NewPool(w, sim.Config{MaxSteps: spec.MaxSteps},
			func() (physics.Env, error) { return spec.New("state") },
			func() (sim.Genome, error) { return brain.NewNetwork(arch) }); err != nil {
			return eb, err
		}
	}
	// Interleave 1 and all workers and keep each one's best, so a burst of
	// load from other programs hurts both alike.
	best, cpu := map[int]float64{}, map[int]float64{}
	for rep := 0; rep < eb.Repeats; rep++ {
		for _, w := range []int{1, workers} {
			start, cpu0 := time.Now(), cpuSeconds()
			res, err := pools[w].Run(params, jobs)
			if err != nil {
				return eb, err
			}
			sec := time.Since(start).Seconds()
			if c := cpuSeconds() - cpu0; cpu[w] == 0 || c < cpu[w] {
				cpu[w] = c
			}
			steps := 0
			for _, r := range res {
				steps += r.Steps
			}
			eb.MeanSteps = float64(steps) / float64(len(res))
			if best[w] == 0 || sec < best[w] {
				best[w] = sec
			}
		}
	}
	steps := eb.MeanSteps * float64(episodes)
	eb.Seconds1Worker, eb.SecondsAllWorkers = best[1], best[workers]
	eb.CPUPerEval1Worker, eb.CPUPerEvalAll = cpu[1]/float64(episodes), cpu[workers]/float64(episodes)
	eb.EvalsPerSec1Worker, eb.EnvStepsPerSec1Worker = float64(episodes)/best[1], steps/best[1]
	eb.EvalsPerSecAllWorkers, eb.EnvStepsPerSecAll = float64(episodes)/best[workers], steps/best[workers]
	eb.Scaling = eb.EvalsPerSecAllWorkers / eb.EvalsPerSec1Worker
	return eb, nil
}
