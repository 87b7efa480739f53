package evolve

import (
	"bytes"
	"math"
	"testing"
)

// sphere is a 100-dim quadratic with its optimum at x*ᵢ = 0.5·sin(i).
func sphere(x []float64) float64 {
	var s float64
	for i, v := range x {
		d := v - 0.5*math.Sin(float64(i))
		s += d * d
	}
	return -s
}

func dist(x []float64) float64 { return math.Sqrt(-sphere(x)) }

func run(t *testing.T, es *ES, gens int) {
	t.Helper()
	for es.Gen() < gens {
		c := es.Ask()
		f := make([]float64, len(c))
		for i := range c {
			f[i] = sphere(c[i])
		}
		if err := es.Tell(f); err != nil {
			t.Fatal(err)
		}
	}
}

func TestConvergesOnQuadratic(t *testing.T) {
	cases := []struct {
		name string
		cfg  Config
		want float64 // final distance to the optimum must be below
	}{
		{"sgd", Config{Pop: 50, LR: 0.05, Sigma: 0.05, LRDecay: 0.995, Seed: 1}, 0.5},
		{"sgd-decay-l2", Config{Pop: 50, LR: 0.05, Sigma: 0.05, LRDecay: 0.995, SigmaDecay: 0.999, L2: 0.001, Seed: 2}, 0.5},
		{"adam", Config{Pop: 50, LR: 0.02, Sigma: 0.05, Adam: true, Seed: 3}, 0.5},
		{"zscore", Config{Pop: 50, LR: 0.01, Sigma: 0.05, Shaping: ZScore, Seed: 4}, 0.5},
	}
	for _, c := range cases {
		es, err := New(c.cfg, Init(100, 1, 7))
		if err != nil {
			t.Fatal(err)
		}
		start := dist(es.Theta())
		run(t, es, 300)
		have := dist(es.Theta())
		t.Logf("%s: distance %.3f → %.3f (want < %.2f)", c.name, start, have, c.want)
		if have >= c.want {
			t.Errorf("%s: distance to optimum have %.3f want < %.2f (start %.3f)", c.name, have, c.want, start)
		}
	}
}

func TestCentredRank(t *testing.T) {
	cases := []struct {
		in, want []float64
	}{
		{[]float64{3, 1, 2}, []float64{0.5, -0.5, 0}},
		{[]float64{5, 5}, []float64{-0.5, 0.5}}, // ties by index
		{[]float64{math.NaN(), 0, -1e9}, []float64{-0.5, 0.5, 0}},
		{[]float64{7}, []float64{0}},
	}
	for _, c := range cases {
		have := CentredRank(c.in)
		for i := range have {
			if have[i] != c.want[i] {
				t.Errorf("CentredRank(%v) have %v want %v", c.in, have, c.want)
				break
			}
		}
	}
}

func TestAntitheticAndWorkerIndependence(t *testing.T) {
	var thetas [][]float64
	for _, w := range []int{1, 3} {
		es, _ := New(Config{Pop: 10, Seed: 9, Workers: w, Adam: true, L2: 0.01}, Init(33, 1, 1))
		c := es.Ask()
		for k := 0; k < 5; k++ {
			for j := range c[0] {
				if a, b := c[2*k][j]-es.Theta()[j], es.Theta()[j]-c[2*k+1][j]; math.Abs(a-b) > 1e-12 {
					t.Fatalf("pair %d not antithetic at %d: %v vs %v", k, j, a, b)
				}
			}
		}
		run(t, es, 5)
		thetas = append(thetas, append([]float64(nil), es.Theta()...))
	}
	for j := range thetas[0] {
		if thetas[0][j] != thetas[1][j] {
			t.Fatalf("θ[%d] differs between 1 and 3 workers: %v vs %v", j, thetas[0][j], thetas[1][j])
		}
	}
}

func TestSaveLoadContinuesBitIdentically(t *testing.T) {
	for _, adam := range []bool{false, true} {
		cfg := Config{Pop: 20, LR: 0.05, Sigma: 0.05, LRDecay: 0.99, SigmaDecay: 0.995, L2: 0.01, Adam: adam, Seed: 5}
		full, _ := New(cfg, Init(100, 1, 3))
		run(t, full, 20)

		part, _ := New(cfg, Init(100, 1, 3))
		run(t, part, 8)
		part.Ask() // a kill between Ask and Tell must not matter
		var buf bytes.Buffer
		if err := part.Save(&buf); err != nil {
			t.Fatal(err)
		}
		resumed, err := Load(&buf)
		if err != nil {
			t.Fatal(err)
		}
		run(t, resumed, 20)
		a, b := full.State(), resumed.State()
		if a.LR != b.LR || a.Sigma != b.Sigma || a.Gen != b.Gen || a.BestFitness != b.BestFitness {
			t.Errorf("adam=%v: scalars differ: have %+v want %+v", adam, b.LR, a.LR)
		}
		for j := range a.Theta {
			if a.Theta[j] != b.Theta[j] {
				t.Fatalf("adam=%v: θ[%d] have %v want %v", adam, j, b.Theta[j], a.Theta[j])
			}
		}
	}
}

func TestBadInput(t *testing.T) {
	cases := []struct {
		name string
		cfg  Config
		dim  int
	}{
		{"odd pop", Config{Pop: 7}, 3},
		{"negative lr", Config{LR: -1}, 3},
		{"decay > 1", Config{LRDecay: 1.5}, 3},
		{"no params", Config{}, 0},
	}
	for _, c := range cases {
		if _, err := New(c.cfg, make([]float64, c.dim)); err == nil {
			t.Errorf("%s: New accepted %+v", c.name, c.cfg)
		} else {
			t.Logf("%s: %v", c.name, err)
		}
	}
	es, _ := New(Config{Pop: 4}, make([]float64, 3))
	if err := es.Tell([]float64{1, 2, 3, 4}); err == nil {
		t.Error("Tell without Ask accepted")
	}
	es.Ask()
	if err := es.Tell([]float64{1, 2}); err == nil {
		t.Error("Tell with 2 values for a population of 4 accepted")
	}
	if _, err := Load(bytes.NewReader([]byte("garbage"))); err == nil {
		t.Error("Load accepted garbage")
	}
}

// The built-in shapings survive Save/Load by name; a custom one needs
// LoadWith.
func TestSaveLoadShaping(t *testing.T) {
	custom := func(f []float64) []float64 { return CentredRank(f) }
	cases := []struct {
		name    string
		shaping Shaping
		loadErr bool
	}{
		{"default", nil, false},
		{"z-score", ZScore, false},
		{"custom", custom, true},
	}
	for _, c := range cases {
		cfg := Config{Pop: 10, LR: 0.05, Sigma: 0.05, Shaping: c.shaping, Seed: 11}
		full, _ := New(cfg, Init(20, 1, 1))
		run(t, full, 6)
		part, _ := New(cfg, Init(20, 1, 1))
		run(t, part, 3)
		var buf bytes.Buffer
		part.Save(&buf)
		data := buf.Bytes()
		res, err := Load(bytes.NewReader(data))
		if (err != nil) != c.loadErr {
			t.Errorf("%s: Load err %v, want error %v", c.name, err, c.loadErr)
			continue
		}
		if err != nil {
			if res, err = LoadWith(bytes.NewReader(data), c.shaping); err != nil {
				t.Fatal(err)
			}
		}
		run(t, res, 6)
		for j := range full.Theta() {
			if full.Theta()[j] != res.Theta()[j] {
				t.Fatalf("%s: θ[%d] resumed %v, uninterrupted %v", c.name, j, res.Theta()[j], full.Theta()[j])
			}
		}
	}
}

func TestCandidateMatchesAsk(t *testing.T) {
	cfg := Config{Pop: 6, Sigma: 0.3, SigmaDecay: 0.9, Seed: 77}
	es, err := New(cfg, Init(50, 1, 3))
	if err != nil {
		t.Fatal(err)
	}
	for g := 0; g < 3; g++ {
		theta := append([]float64(nil), es.Theta()...)
		sigma := es.State().Sigma
		cands := es.Ask()
		dst := make([]float64, len(theta))
		for i := 0; i <= len(cands); i++ {
			Candidate(dst, theta, sigma, es.Config().Seed, g, i, len(cands))
			want := theta
			if i < len(cands) {
				want = cands[i]
			}
			for j := range dst {
				if math.Float64bits(dst[j]) != math.Float64bits(want[j]) {
					t.Fatalf("gen %d candidate %d [%d]: have %v, want %v", g, i, j, dst[j], want[j])
				}
			}
		}
		fit := make([]float64, len(cands))
		for i := range fit {
			fit[i] = float64(i % 4)
		}
		if err := es.Tell(fit); err != nil {
			t.Fatal(err)
		}
	}
}
