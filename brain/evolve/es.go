package evolve

import (
	"encoding/gob"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"reflect"
	"runtime"
	"sort"
	"sync"
)

// Shaping maps raw fitness values to the weights of the gradient estimate.
// It must not modify its argument and must be a pure function (the same
// input gives the same output), so that results never depend on workers.
type Shaping func(fitness []float64) []float64

// CentredRank is the fitness shaping of Salimans et al. (2017): the ranks
// 0…N−1 of the fitness values mapped linearly onto [−0.5, 0.5]. Ties are
// broken by index, so it is deterministic. A single value maps to 0.
func CentredRank(f []float64) []float64 {
	n := len(f)
	out := make([]float64, n)
	if n < 2 {
		return out
	}
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return less(f[idx[a]], f[idx[b]]) })
	for r, i := range idx {
		out[i] = float64(r)/float64(n-1) - 0.5
	}
	return out
}

// less orders NaN below every number, so a failed evaluation ranks last.
func less(a, b float64) bool {
	if math.IsNaN(a) {
		return !math.IsNaN(b)
	}
	if math.IsNaN(b) {
		return false
	}
	return a < b
}

// ZScore shapes fitness to (f − mean)/std, the alternative the reference
// code offers; a constant population maps to zeros.
func ZScore(f []float64) []float64 {
	n := float64(len(f))
	var m, v float64
	for _, x := range f {
		m += x
	}
	m /= n
	for _, x := range f {
		v += (x - m) * (x - m)
	}
	s := math.Sqrt(v / n)
	out := make([]float64, len(f))
	if s == 0 || math.IsNaN(s) {
		return out
	}
	for i, x := range f {
		out[i] = (x - m) / s
	}
	return out
}

// Config holds the settings of an ES run. Every zero value has a meaning,
// documented on its field; Defaults gives the reference values of
// DESIGN.md §1.
type Config struct {
	Pop   int     // population size; must be even (antithetic pairs). 0: 200
	LR    float64 // learning rate η. 0: 0.2
	Sigma float64 // noise standard deviation σ. 0: 0.1
	// LRDecay and SigmaDecay multiply LR and Sigma after every generation.
	// 0 means 1 (no decay). DESIGN.md §5: decay slowly (e.g. 0.999), or the
	// learning starves.
	LRDecay    float64
	SigmaDecay float64
	// LRMin and SigmaMin floor the decayed values. 0: no floor.
	LRMin    float64
	SigmaMin float64
	// L2 is the coefficient penalty: each candidate's fitness becomes
	// F − L2·mean(θ²) before shaping. 0: no penalty (the reference uses 0.01).
	L2 float64
	// Adam uses the Adam optimiser (β1 0.9, β2 0.999, ε 1e−8) on the
	// gradient estimate instead of plain gradient ascent.
	Adam bool
	// Shaping is the fitness shaping. nil: CentredRank. Save records
	// CentredRank and ZScore by name; a custom one must be passed again to
	// LoadWith.
	Shaping Shaping
	// Seed selects the noise. The noise of candidate pair k in generation
	// g is drawn from PCG(Seed, g<<32|k), so it never depends on who asks.
	Seed uint64
	// Workers generate the noise in parallel. 0: GOMAXPROCS. It never
	// changes the result.
	Workers int
}

// Defaults returns the reference settings of DESIGN.md §1 (pop 200,
// lr 0.2 ×0.995, σ 0.1 ×0.999, L2 0.01).
func Defaults() Config {
	return Config{Pop: 200, LR: 0.2, Sigma: 0.1, LRDecay: 0.995, SigmaDecay: 0.999, L2: 0.01}
}

func (c Config) withDefaults() Config {
	if c.Pop == 0 {
		c.Pop = 200
	}
	if c.LR == 0 {
		c.LR = 0.2
	}
	if c.Sigma == 0 {
		c.Sigma = 0.1
	}
	if c.LRDecay == 0 {
		c.LRDecay = 1
	}
	if c.SigmaDecay == 0 {
		c.SigmaDecay = 1
	}
	if c.Workers <= 0 {
		c.Workers = runtime.GOMAXPROCS(0)
	}
	return c
}

// Validate reports settings that cannot run.
func (c Config) Validate() error {
	c = c.withDefaults()
	switch {
	case c.Pop < 2 || c.Pop%2 != 0:
		return fmt.Errorf("evolve: population %d must be even and at least 2 (antithetic pairs)", c.Pop)
	case c.LR < 0 || math.IsNaN(c.LR) || math.IsInf(c.LR, 0):
		return fmt.Errorf("evolve: learning rate %v must be a positive number", c.LR)
	case c.Sigma < 0 || math.IsNaN(c.Sigma) || math.IsInf(c.Sigma, 0):
		return fmt.Errorf("evolve: sigma %v must be a positive number", c.Sigma)
	case c.LRDecay < 0 || c.LRDecay > 1 || c.SigmaDecay < 0 || c.SigmaDecay > 1:
		return fmt.Errorf("evolve: decays (%v, %v) must lie in (0, 1]", c.LRDecay, c.SigmaDecay)
	case c.L2 < 0:
		return fmt.Errorf("evolve: L2 penalty %v must not be negative", c.L2)
	}
	return nil
}

// State is everything an ES run needs to continue: Save writes it, Load
// reads it back, and a loaded run continues bit-identically.
type State struct {
	Gen   int       // generations told so far
	Theta []float64 // the centre of the search distribution
	LR    float64   // current learning rate
	Sigma float64   // current noise scale
	// Adam moments and step count (nil / 0 without Adam).
	M, V  []float64
	AdamT int
	// BestFitness and Best are the highest raw fitness any candidate has
	// scored and its parameters (nil before the first Tell).
	BestFitness float64
	BestGen     int
	Best        []float64
	// Last generation's raw-fitness statistics.
	LastMean, LastMax, LastMin float64
}

// ES is OpenAI-ES (Salimans et al. 2017, arXiv 1703.03864) with an ask/tell
// interface: Ask returns a population, the caller evaluates it in any order
// on any number of workers, Tell updates the centre:
//
//	θ ← θ + η/(N·σ) · Σᵢ Fᵢ·εᵢ
//
// with antithetic pairs εᵢ, −εᵢ and F the shaped (penalised) fitness.
type ES struct {
	cfg   Config
	st    State
	noise [][]float64 // pop/2 noise vectors of the current generation
	cands [][]float64 // pop candidates of the current generation
	asked int         // generation the noise was drawn for; -1 none
}

// Init draws the initial centre: each parameter N(0, std²) from seed (the
// reference uses N(0,1) for Hebbian coefficients).
func Init(dim int, std float64, seed uint64) []float64 {
	r := rand.New(rand.NewPCG(seed, 0x696e6974)) // "init"
	th := make([]float64, dim)
	for i := range th {
		th[i] = r.NormFloat64() * std
	}
	return th
}

// New starts an ES at theta (which it copies).
func New(cfg Config, theta []float64) (*ES, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if len(theta) == 0 {
		return nil, errors.New("evolve: no parameters to evolve")
	}
	cfg = cfg.withDefaults()
	es := &ES{cfg: cfg, asked: -1}
	es.st = State{
		Theta: append([]float64(nil), theta...),
		LR:    cfg.LR, Sigma: cfg.Sigma,
		BestFitness: math.Inf(-1), BestGen: -1,
	}
	if cfg.Adam {
		es.st.M = make([]float64, len(theta))
		es.st.V = make([]float64, len(theta))
	}
	return es, nil
}

// Config returns the run's settings (defaults filled in).
func (es *ES) Config() Config { return es.cfg }

// State returns the current state. Its slices are shared with the ES:
// copy them to keep them past the next Tell.
func (es *ES) State() State { return es.st }

// Gen is the number of generations told so far.
func (es *ES) Gen() int { return es.st.Gen }

// Dim is the number of parameters.
func (es *ES) Dim() int { return len(es.st.Theta) }

// Theta is the current centre (shared; copy to keep).
func (es *ES) Theta() []float64 { return es.st.Theta }

// NoiseSeed is the PCG seed pair of antithetic pair k in generation gen.
func NoiseSeed(seed uint64, gen, k int) (uint64, uint64) {
	return seed, uint64(gen)<<32 | uint64(k)
}

// Ask returns the population of the current generation: candidate 2k is
// θ+σεₖ and 2k+1 is θ−σεₖ. The slices are owned by the ES and valid until
// the next Ask; asking twice returns the same population.
func (es *ES) Ask() [][]float64 {
	if es.asked == es.st.Gen {
		return es.cands
	}
	dim, half := len(es.st.Theta), es.cfg.Pop/2
	if es.noise == nil {
		es.noise = make([][]float64, half)
		es.cands = make([][]float64, es.cfg.Pop)
		for k := range es.noise {
			es.noise[k] = make([]float64, dim)
		}
		for i := range es.cands {
			es.cands[i] = make([]float64, dim)
		}
	}
	sigma := es.st.Sigma
	parallel(half, es.cfg.Workers, func(k int) {
		r := rand.New(rand.NewPCG(NoiseSeed(es.cfg.Seed, es.st.Gen, k)))
		eps, plus, minus := es.noise[k], es.cands[2*k], es.cands[2*k+1]
		for j, th := range es.st.Theta {
			e := r.NormFloat64()
			eps[j] = e
			// float64(…) forbids a fused multiply-add (Go may fuse on
			// arm64): Candidate on another machine must get these bits.
			plus[j] = th + float64(sigma*e)
			minus[j] = th - float64(sigma*e)
		}
	})
	es.asked = es.st.Gen
	return es.cands
}

// Candidate rebuilds candidate i of generation gen into dst (len(theta))
// from the centre theta, the generation's sigma and the run's noise seed
// (Config.Seed): bit-identical to what Ask returns for it, so a remote
// worker needs only θ and a seed, not pop vectors. i ≥ pop is the centre.
func Candidate(dst, theta []float64, sigma float64, seed uint64, gen, i, pop int) {
	if len(dst) != len(theta) {
		panic("evolve: Candidate: dst and theta differ in length")
	}
	if i >= pop {
		copy(dst, theta)
		return
	}
	r := rand.New(rand.NewPCG(NoiseSeed(seed, gen, i/2)))
	if i%2 == 0 {
		for j, th := range theta {
			dst[j] = th + float64(sigma*r.NormFloat64())
		}
		return
	}
	for j, th := range theta {
		dst[j] = th - float64(sigma*r.NormFloat64())
	}
}

// parallel runs f(0…n−1) on up to w goroutines. Each index is independent,
// so the result does not depend on w.
func parallel(n, w int, f func(int)) {
	if w > n {
		w = n
	}
	if w <= 1 {
		for i := 0; i < n; i++ {
			f(i)
		}
		return
	}
	var wg sync.WaitGroup
	for g := 0; g < w; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := g; i < n; i += w {
				f(i)
			}
		}(g)
	}
	wg.Wait()
}

// Penalised returns each candidate's fitness minus L2·mean(θᵢ²).
func (es *ES) Penalised(fitness []float64) []float64 {
	out := append([]float64(nil), fitness...)
	if es.cfg.L2 == 0 {
		return out
	}
	for i, c := range es.cands {
		var s float64
		for _, x := range c {
			s += x * x
		}
		out[i] -= es.cfg.L2 * s / float64(len(c))
	}
	return out
}

// Tell takes the raw fitness of the population Ask returned (higher is
// better; NaN counts as the worst) and moves the centre. It returns an
// error when the fitness does not match the population.
func (es *ES) Tell(fitness []float64) error {
	if es.asked != es.st.Gen {
		return errors.New("evolve: Tell without Ask")
	}
	if len(fitness) != es.cfg.Pop {
		return fmt.Errorf("evolve: %d fitness values for a population of %d", len(fitness), es.cfg.Pop)
	}
	// Statistics and the best candidate, on raw fitness.
	mean, hi, lo, best := 0.0, math.Inf(-1), math.Inf(1), -1
	n := 0
	for i, f := range fitness {
		if math.IsNaN(f) {
			continue
		}
		mean += f
		n++
		if f > hi {
			hi, best = f, i
		}
		lo = math.Min(lo, f)
	}
	if n > 0 {
		mean /= float64(n)
	} else {
		mean = math.NaN()
	}
	es.st.LastMean, es.st.LastMax, es.st.LastMin = mean, hi, lo
	if best >= 0 && hi > es.st.BestFitness {
		es.st.BestFitness, es.st.BestGen = hi, es.st.Gen
		es.st.Best = append(es.st.Best[:0], es.cands[best]...)
	}

	shape := es.cfg.Shaping
	if shape == nil {
		shape = CentredRank
	}
	w := shape(es.Penalised(fitness))
	// g = 1/(Nσ) Σ Fᵢεᵢ; antithetic pairs contribute (F₂ₖ − F₂ₖ₊₁)·εₖ.
	dim, half := len(es.st.Theta), es.cfg.Pop/2
	scale := 1 / (float64(es.cfg.Pop) * es.st.Sigma)
	grad := make([]float64, dim)
	chunks := es.cfg.Workers
	parallel(chunks, chunks, func(c int) {
		lo, hi := c*dim/chunks, (c+1)*dim/chunks
		for k := 0; k < half; k++ {
			d := (w[2*k] - w[2*k+1]) * scale
			if d == 0 {
				continue
			}
			eps := es.noise[k][lo:hi]
			g := grad[lo:hi]
			for j, e := range eps {
				g[j] += d * e
			}
		}
	})
	lr := es.st.LR
	if es.cfg.Adam {
		const b1, b2, eps = 0.9, 0.999, 1e-8
		es.st.AdamT++
		t := float64(es.st.AdamT)
		a := lr * math.Sqrt(1-math.Pow(b2, t)) / (1 - math.Pow(b1, t))
		for j, g := range grad {
			es.st.M[j] = b1*es.st.M[j] + (1-b1)*g
			es.st.V[j] = b2*es.st.V[j] + (1-b2)*g*g
			es.st.Theta[j] += a * es.st.M[j] / (math.Sqrt(es.st.V[j]) + eps)
		}
	} else {
		for j, g := range grad {
			es.st.Theta[j] += lr * g
		}
	}
	es.st.LR = math.Max(es.st.LR*es.cfg.LRDecay, es.cfg.LRMin)
	es.st.Sigma = math.Max(es.st.Sigma*es.cfg.SigmaDecay, es.cfg.SigmaMin)
	es.st.Gen++
	return nil
}

// saved is the file form of an ES: its settings and its state.
type saved struct {
	Magic   string
	Config  Config
	State   State
	Shaping string // "centred-rank", "z-score" or "custom"
}

const magic = "hebbsim-es-v1"

// shapingName names the built-in shapings so that Load can restore them.
func shapingName(f Shaping) string {
	switch {
	case f == nil:
		return "centred-rank"
	case reflect.ValueOf(f).Pointer() == reflect.ValueOf(CentredRank).Pointer():
		return "centred-rank"
	case reflect.ValueOf(f).Pointer() == reflect.ValueOf(ZScore).Pointer():
		return "z-score"
	}
	return "custom"
}

// Save writes the ES's settings and state (gob; float64 bits exact).
func (es *ES) Save(w io.Writer) error {
	s := saved{Magic: magic, Config: es.cfg, State: es.st, Shaping: shapingName(es.cfg.Shaping)}
	if err := gob.NewEncoder(w).Encode(s); err != nil {
		return fmt.Errorf("evolve: save: %w", err)
	}
	return nil
}

// Load reads an ES that Save wrote; it continues bit-identically. The
// built-in shapings are restored by name; a state saved with a custom
// shaping needs LoadWith.
func Load(r io.Reader) (*ES, error) { return load(r, nil, false) }

// LoadWith is Load with the fitness shaping given (functions are not
// saved); it overrides whatever shaping the state was saved with.
func LoadWith(r io.Reader, shaping Shaping) (*ES, error) { return load(r, shaping, true) }

func load(r io.Reader, shaping Shaping, given bool) (*ES, error) {
	var s saved
	if err := gob.NewDecoder(r).Decode(&s); err != nil {
		return nil, fmt.Errorf("evolve: load: %w", err)
	}
	if s.Magic != magic {
		return nil, fmt.Errorf("evolve: load: not an ES state (magic %q)", s.Magic)
	}
	if err := s.Config.Validate(); err != nil {
		return nil, fmt.Errorf("evolve: load: %w", err)
	}
	if len(s.State.Theta) == 0 {
		return nil, errors.New("evolve: load: state has no parameters")
	}
	if s.Config.Adam && (len(s.State.M) != len(s.State.Theta) || len(s.State.V) != len(s.State.Theta)) {
		return nil, errors.New("evolve: load: Adam moments do not match the parameters")
	}
	if !given {
		switch s.Shaping {
		case "", "centred-rank":
			shaping = CentredRank
		case "z-score":
			shaping = ZScore
		default:
			return nil, errors.New("evolve: load: the state was saved with a custom fitness shaping; use LoadWith")
		}
	}
	s.Config.Shaping = shaping
	s.Config.Workers = 0
	cfg := s.Config.withDefaults()
	return &ES{cfg: cfg, st: s.State, asked: -1}, nil
}

// SetWorkers changes how many goroutines draw the noise; it never changes
// the result.
func (es *ES) SetWorkers(n int) {
	if n <= 0 {
		n = runtime.GOMAXPROCS(0)
	}
	es.cfg.Workers = n
}
