package sim

import (
	"bytes"
	"encoding/gob"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"time"

	"github.com/hebbsim/hebbsim/brain"
	"github.com/hebbsim/hebbsim/brain/evolve"
)

// TrainConfig is everything that defines an evolution run. It is saved in
// every checkpoint, so a resumed run continues with exactly these settings.
// Zero values take the environment's defaults, as documented per field.
type TrainConfig struct {
	Env string // registry name, e.g. "quadruped"
	Obs string // observation mode; "": the env's first
	// Arch is the network. With no Layers the env's default for Obs is used
	// whole (normalisation included), keeping only a non-empty Rule and a
	// non-zero Init from Arch.
	Arch brain.Arch
	// Protocol is how candidates are evaluated.
	Protocol Protocol
	// ES holds the ES settings; its Seed is derived from Seed.
	ES evolve.Config
	// InitStd is the standard deviation of the initial genome: N(0,
	// InitStd²) per coefficient. 0: 1 for plastic rules (the reference),
	// and for static weights 1/√fan_in per layer. Conv weights always start
	// at N(0, 1), as the reference's (torch.randn(1362)).
	InitStd float64
	// MaxSteps per episode; 0: the env's default (1,000).
	MaxSteps int
	// EarlyStop; nil: the env's default.
	EarlyStop *EarlyStop
	// Seed is the run seed: initial genome, ES noise, worlds, damage.
	Seed uint64
	// EvalCentre also evaluates the centre θ every generation on pair 0's
	// worlds (one extra candidate's episodes), logged as GenStats.Centre.
	EvalCentre bool
	// Command records how the run was started (provenance).
	Command string
	// Settings are free-form settings the caller records with the run (the
	// CLI stores its flag values, to refuse a resume with different ones).
	Settings map[string]string
}

// GenStats describes one generation.
type GenStats struct {
	Gen                int     // 1-based: the number of generations done
	Best, Mean, Min    float64 // raw fitness of the population
	Centre             float64 // fitness of the centre (NaN unless EvalCentre)
	LR, Sigma          float64 // the values this generation used
	Episodes           int     // episodes run this generation
	EnvSteps           int64   // env steps this generation
	Seconds            float64 // wall time (the only non-deterministic field)
	BestEver           float64 // highest candidate fitness so far
	EarlyStops, Panics int     // episodes ended by early stop, by a panic
}

// Trainer evolves a network's genome on an environment: Step runs one
// generation (ask → parallel evaluation → tell). Its results depend only
// on the TrainConfig, never on the number of workers.
type Trainer struct {
	Cfg     TrainConfig
	History []GenStats

	spec EnvSpec
	es   *evolve.ES
	pool *Pool
	eval Evaluator      // nil: pool
	net  *brain.Network // a spare network for building rule files
	buf  [][]float64
}

// Resolve fills in cfg's zero values from the environment's spec and
// checks it.
func (cfg TrainConfig) Resolve() (TrainConfig, EnvSpec, error) {
	spec, err := Lookup(cfg.Env)
	if err != nil {
		return cfg, spec, err
	}
	if cfg.Obs, err = spec.CheckObs(cfg.Obs); err != nil {
		return cfg, spec, err
	}
	if len(cfg.Arch.Layers) == 0 {
		def := spec.Arch(cfg.Obs)
		if cfg.Arch.Rule != "" {
			def.Rule = cfg.Arch.Rule
		}
		if cfg.Arch.Init != (brain.Init{}) {
			def.Init = cfg.Arch.Init
		}
		cfg.Arch = def
	}
	if err := cfg.Arch.Validate(); err != nil {
		return cfg, spec, err
	}
	if cfg.Protocol.Fitness == "" {
		cfg.Protocol.Fitness = spec.Fitness
	}
	if cfg.MaxSteps == 0 {
		cfg.MaxSteps = spec.MaxSteps
	}
	if cfg.MaxSteps < 0 || cfg.MaxSteps > spec.MaxSteps {
		return cfg, spec, fmt.Errorf("sim: max steps %d must lie in [1, %d] for %s", cfg.MaxSteps, spec.MaxSteps, spec.Name)
	}
	if cfg.EarlyStop == nil {
		es := spec.EarlyStop
		cfg.EarlyStop = &es
	}
	if err := cfg.ES.Validate(); err != nil {
		return cfg, spec, err
	}
	if cfg.InitStd < 0 || math.IsNaN(cfg.InitStd) {
		return cfg, spec, fmt.Errorf("sim: init std %v must not be negative", cfg.InitStd)
	}
	cfg.ES.Seed = mix(cfg.Seed ^ 0x6573) // "es"
	return cfg, spec, nil
}

// NewTrainer starts a run from cfg's initial genome with workers
// evaluating in parallel (0: all cores).
func NewTrainer(cfg TrainConfig, workers int) (*Trainer, error) {
	return NewTrainerFrom(cfg, workers, nil)
}

// NewTrainerFrom starts a run whose centre begins at theta (a genome of
// the run's network, e.g. a rule file's, to fine-tune it on a new
// protocol); nil draws the initial genome as NewTrainer does. Record
// where theta came from in cfg.Settings: a checkpoint keeps the ES state,
// not theta.
func NewTrainerFrom(cfg TrainConfig, workers int, theta []float64) (*Trainer, error) {
	t, err := newTrainer(cfg, workers)
	if err != nil {
		return nil, err
	}
	if theta == nil {
		theta = InitGenome(t.net, t.Cfg.InitStd, t.Cfg.Seed)
	} else if len(theta) != t.net.NumParams() {
		return nil, fmt.Errorf("sim: the starting genome has %d parameters, the run's network %d", len(theta), t.net.NumParams())
	}
	t.es, err = evolve.New(t.Cfg.ES, append([]float64(nil), theta...))
	if err != nil {
		return nil, err
	}
	t.es.SetWorkers(workers)
	return t, nil
}

func newTrainer(cfg TrainConfig, workers int) (*Trainer, error) {
	pool, cfg, spec, err := NewTrainPool(cfg, workers)
	if err != nil {
		return nil, err
	}
	net, _ := brain.NewNetwork(cfg.Arch)
	return &Trainer{Cfg: cfg, spec: spec, pool: pool, net: net}, nil
}

// InitGenome draws a starting genome for net (see TrainConfig.InitStd).
func InitGenome(net *brain.Network, std float64, seed uint64) []float64 {
	r := rand.New(rand.NewPCG(mix(seed), 0x696e6974)) // "init"
	th := make([]float64, net.NumParams())
	static := net.Rule().Static()
	o := 0
	counts := net.LayerParams()
	for l, L := range net.Layers() {
		s, n := std, counts[l]
		if s == 0 {
			s = 1
			if static {
				s = 1 / math.Sqrt(float64(L.In))
			}
		}
		for i := 0; i < n; i++ {
			th[o] = r.NormFloat64() * s
			o++
		}
	}
	if net.Arch().CNN {
		// N(0, 1), as the reference draws its 1,362 conv weights. With
		// N(0, 1/fan_in) instead, the features were small (rms 0.2–0.6)
		// and 13 of 16 random pixel networks never got their brake below
		// the 0.18 at which the front tyres stop sliding, so most
		// candidates drove the same line and tied (doc.go); with N(0, 1)
		// the features are near ±1 and 8 of 16 leave that plateau.
		for ; o < len(th); o++ {
			th[o] = r.NormFloat64()
		}
	}
	return th
}

// Gen is the number of generations done.
func (t *Trainer) Gen() int { return t.es.Gen() }

// ES exposes the optimiser (read its State; do not Ask or Tell).
func (t *Trainer) ES() *evolve.ES { return t.es }

// Workers is the size of the evaluation pool.
func (t *Trainer) Workers() int { return t.pool.Workers() }

// Spec is the environment's registry entry.
func (t *Trainer) Spec() EnvSpec { return t.spec }

// Step runs one generation and appends its statistics to History.
func (t *Trainer) Step() (GenStats, error) {
	start := time.Now()
	gen := t.es.Gen()
	st := t.es.State()
	cands := t.es.Ask()
	pop := len(cands)
	params := append(t.buf[:0], cands...)
	if t.Cfg.EvalCentre {
		params = append(params, t.es.Theta())
	}
	t.buf = params
	jobs, err := t.Cfg.Protocol.TrainJobs(t.pool.Env(), t.Cfg.Seed, gen, len(params), pop)
	if err != nil {
		return GenStats{}, err
	}
	var ev Evaluator = t.pool
	if t.eval != nil {
		ev = t.eval
	}
	res, err := ev.Evaluate(&Batch{Gen: gen, Params: params, Theta: t.es.Theta(), Sigma: st.Sigma,
		NoiseSeed: t.es.Config().Seed, Pop: pop, Jobs: jobs})
	if err != nil {
		return GenStats{}, err
	}
	if len(res) != len(jobs) {
		return GenStats{}, fmt.Errorf("sim: evaluator returned %d results for %d jobs", len(res), len(jobs))
	}
	fit := t.Cfg.Protocol.FitnessOf(jobs, res, len(params))
	g := GenStats{Gen: gen + 1, LR: st.LR, Sigma: st.Sigma, Episodes: len(jobs), Centre: math.NaN()}
	if t.Cfg.EvalCentre {
		g.Centre = fit[pop]
	}
	for _, r := range res {
		g.EnvSteps += int64(r.Steps)
		switch {
		case r.Reason == "early stop" || r.Reason == "stalled":
			g.EarlyStops++
		case len(r.Reason) > 15 && r.Reason[:15] == "physics: panic:":
			g.Panics++
		}
	}
	if err := t.es.Tell(fit[:pop]); err != nil {
		return GenStats{}, err
	}
	st = t.es.State()
	g.Best, g.Mean, g.Min, g.BestEver = st.LastMax, st.LastMean, st.LastMin, st.BestFitness
	g.Seconds = time.Since(start).Seconds()
	t.History = append(t.History, g)
	return g, nil
}

// Centre returns the current centre θ (a copy).
func (t *Trainer) Centre() []float64 { return append([]float64(nil), t.es.Theta()...) }

// Best returns the best candidate seen so far, its fitness and the
// generation (1-based) it was found in; nil before the first generation.
func (t *Trainer) Best() ([]float64, float64, int) {
	st := t.es.State()
	return append([]float64(nil), st.Best...), st.BestFitness, st.BestGen + 1
}

// Network returns a network of the run's architecture holding params.
func (t *Trainer) Network(params []float64) (*brain.Network, error) {
	n, err := brain.NewNetwork(t.Cfg.Arch)
	if err != nil {
		return nil, err
	}
	return n, n.SetParams(params)
}

// checkpoint is the file form of a Trainer.
type checkpoint struct {
	Magic   string
	Cfg     TrainConfig
	History []GenStats
	ES      []byte
}

const ckptMagic = "hebbsim-checkpoint-v1"

// Save writes the whole run state: settings, history and ES state.
func (t *Trainer) Save(w io.Writer) error {
	var es bytes.Buffer
	if err := t.es.Save(&es); err != nil {
		return err
	}
	c := checkpoint{Magic: ckptMagic, Cfg: t.Cfg, History: t.History, ES: es.Bytes()}
	if err := gob.NewEncoder(w).Encode(c); err != nil {
		return fmt.Errorf("sim: save checkpoint: %w", err)
	}
	return nil
}

// LoadTrainer reads a checkpoint Save wrote and rebuilds the run with
// workers evaluating (0: all cores); it continues bit-identically.
func LoadTrainer(r io.Reader, workers int) (*Trainer, error) {
	var c checkpoint
	if err := gob.NewDecoder(r).Decode(&c); err != nil {
		return nil, fmt.Errorf("sim: read checkpoint: %w", err)
	}
	if c.Magic != ckptMagic {
		return nil, errors.New("sim: not a hebbsim checkpoint")
	}
	t, err := newTrainer(c.Cfg, workers)
	if err != nil {
		return nil, fmt.Errorf("sim: checkpoint: %w", err)
	}
	es, err := evolve.Load(bytes.NewReader(c.ES))
	if err != nil {
		return nil, err
	}
	if es.Dim() != t.net.NumParams() {
		return nil, fmt.Errorf("sim: checkpoint has %d parameters, the network %d", es.Dim(), t.net.NumParams())
	}
	es.SetWorkers(workers)
	t.es, t.History = es, c.History
	if len(t.History) > es.Gen() {
		t.History = t.History[:es.Gen()]
	}
	return t, nil
}

// SetNice runs the trainer's workers at niceness n (see Pool.Nice).
func (t *Trainer) SetNice(n int) { t.pool.Nice = n }
