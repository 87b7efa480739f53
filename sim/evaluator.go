package sim

import (
	"fmt"

	"github.com/hebbsim/hebbsim/brain"
	"github.com/hebbsim/hebbsim/brain/evolve"
	"github.com/hebbsim/hebbsim/physics"
)

// Batch is one generation's evaluation work: the jobs of
// Protocol.TrainJobs and the candidates they name. Params holds every
// candidate in full (what a local pool uses); Theta, Sigma, NoiseSeed and
// Pop say how to rebuild candidate i from the centre alone
// (evolve.Candidate), which is what a remote worker receives instead of
// Pop vectors.
type Batch struct {
	Gen       int         // 0-based generation
	Params    [][]float64 // candidate i's parameters; i ≥ Pop is the centre
	Theta     []float64   // the centre θ of this generation
	Sigma     float64     // this generation's σ
	NoiseSeed uint64      // the ES noise seed (evolve.Config.Seed)
	Pop       int         // the ES population; candidates ≥ Pop are θ
	Jobs      []Job
}

// Candidate rebuilds candidate i into dst from the centre and the noise
// seed: bit-identical to Params[i].
func (b *Batch) Candidate(dst []float64, i int) {
	evolve.Candidate(dst, b.Theta, b.Sigma, b.NoiseSeed, b.Gen, i, b.Pop)
}

// Evaluator runs one generation's jobs and returns their results in job
// order. The Trainer's default is its local Pool; sim/dist evaluates on
// other machines. An evaluator must return what the Pool would: each
// result a function of its job and its candidate only.
type Evaluator interface {
	Evaluate(b *Batch) ([]Result, error)
}

// Evaluate runs b on the pool's workers (the local Evaluator).
func (p *Pool) Evaluate(b *Batch) ([]Result, error) { return p.Run(b.Params, b.Jobs) }

// NewTrainPool builds the pool a run with cfg evaluates on: workers slots
// (0: all cores), each with the env and network cfg names. It returns cfg
// resolved (Resolve). Remote workers call it with the coordinator's
// TrainConfig, so they run exactly the episodes a local pool would.
func NewTrainPool(cfg TrainConfig, workers int) (*Pool, TrainConfig, EnvSpec, error) {
	cfg, spec, err := cfg.Resolve()
	if err != nil {
		return nil, cfg, spec, err
	}
	base := Config{MaxSteps: cfg.MaxSteps, EarlyStop: *cfg.EarlyStop}
	obs, arch := cfg.Obs, cfg.Arch
	pool, err := NewPool(workers, base,
		func() (physics.Env, error) { return spec.New(obs) },
		func() (Genome, error) { return brain.NewNetwork(arch) })
	if err != nil {
		return nil, cfg, spec, err
	}
	if err := cfg.Protocol.Validate(pool.Env()); err != nil {
		return nil, cfg, spec, err
	}
	if o, n := pool.Env().ObsSize(), pool.NumParams(); o <= 0 || n <= 0 {
		return nil, cfg, spec, fmt.Errorf("sim: %s/%s has no observation or no parameters", cfg.Env, cfg.Obs)
	}
	if o, n := pool.Env().ObsSize(), pool.slots[0].ctrl.(*brain.Network).ObsSize(); o != n {
		return nil, cfg, spec, fmt.Errorf("sim: %s/%s observes %d values but the network takes %d", cfg.Env, cfg.Obs, o, n)
	}
	return pool, cfg, spec, nil
}

// SetEvaluator makes the trainer evaluate generations with e (nil: its
// local pool again). The results, and so the run, do not change.
func (t *Trainer) SetEvaluator(e Evaluator) { t.eval = e }
