package sim

import (
	"bytes"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/hebbsim/hebbsim/brain"
	"github.com/hebbsim/hebbsim/brain/evolve"
)

func toyConfig(rule string) TrainConfig {
	return TrainConfig{
		Env: "toy",
		Protocol: Protocol{Episodes: 2, Morphologies: []string{"healthy", "L-short"},
			Damage: MidDamage{Prob: 0.5, From: 10, To: 40, Targets: []string{"R"}}},
		ES:         evolve.Config{Pop: 12, LR: 0.1, Sigma: 0.1, LRDecay: 0.999, L2: 0.01},
		Seed:       42,
		EvalCentre: true,
	}
}

func runGens(t *testing.T, tr *Trainer, gens int) {
	t.Helper()
	for tr.Gen() < gens {
		if _, err := tr.Step(); err != nil {
			t.Fatal(err)
		}
	}
}

func sameHistory(a, b []GenStats) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		x, y := a[i], b[i]
		x.Seconds, y.Seconds = 0, 0
		if x != y && !(math.IsNaN(x.Centre) && math.IsNaN(y.Centre)) {
			return false
		}
	}
	return true
}

func TestTrainerWorkerCountIndependent(t *testing.T) {
	for _, rule := range []string{"ABCD_lr", "static"} {
		var thetas [][]float64
		var hist [][]GenStats
		for _, w := range []int{1, 3} {
			cfg := toyConfig(rule)
			cfg.Arch.Rule = rule
			tr, err := NewTrainer(cfg, w)
			if err != nil {
				t.Fatal(err)
			}
			runGens(t, tr, 4)
			thetas = append(thetas, tr.Centre())
			hist = append(hist, tr.History)
		}
		for j := range thetas[0] {
			if thetas[0][j] != thetas[1][j] {
				t.Fatalf("%s: θ[%d] 1 worker %v, 3 workers %v", rule, j, thetas[0][j], thetas[1][j])
			}
		}
		if !sameHistory(hist[0], hist[1]) {
			t.Errorf("%s: histories differ:\n1: %+v\n3: %+v", rule, hist[0], hist[1])
		}
		t.Logf("%s: gen 4 best %.4f mean %.4f centre %.4f", rule, hist[0][3].Best, hist[0][3].Mean, hist[0][3].Centre)
	}
}

func TestTrainerResumeBitIdentical(t *testing.T) {
	full, err := NewTrainer(toyConfig("ABCD_lr"), 2)
	if err != nil {
		t.Fatal(err)
	}
	runGens(t, full, 6)

	part, _ := NewTrainer(toyConfig("ABCD_lr"), 2)
	runGens(t, part, 2)
	var buf bytes.Buffer
	if err := part.Save(&buf); err != nil {
		t.Fatal(err)
	}
	res, err := LoadTrainer(&buf, 1)
	if err != nil {
		t.Fatal(err)
	}
	runGens(t, res, 6)
	a, b := full.Centre(), res.Centre()
	for j := range a {
		if a[j] != b[j] {
			t.Fatalf("θ[%d] resumed %v, uninterrupted %v", j, b[j], a[j])
		}
	}
	if !sameHistory(full.History, res.History) {
		t.Errorf("histories differ:\nfull:    %+v\nresumed: %+v", full.History, res.History)
	}
}

func TestTrainerLearnsToy(t *testing.T) {
	cfg := toyConfig("ABCD_lr")
	cfg.Arch.Normalize = true
	cfg.ES.Pop = 32
	tr, err := NewTrainer(cfg, 0)
	if err != nil {
		t.Fatal(err)
	}
	runGens(t, tr, 40)
	first, last := tr.History[0], tr.History[len(tr.History)-1]
	t.Logf("mean fitness gen 1 %.3f → gen %d %.3f (best ever %.3f)", first.Mean, last.Gen, last.Mean, last.BestEver)
	if !(last.Mean > first.Mean+0.5) {
		t.Errorf("population mean did not improve: have %.3f want > %.3f", last.Mean, first.Mean+0.5)
	}
}

func TestTrainerBadConfig(t *testing.T) {
	cases := []struct {
		name string
		edit func(*TrainConfig)
	}{
		{"unknown env", func(c *TrainConfig) { c.Env = "moon" }},
		{"unknown obs", func(c *TrainConfig) { c.Obs = "sonar" }},
		{"unknown rule", func(c *TrainConfig) { c.Arch.Rule = "XYZ" }},
		{"unknown morphology", func(c *TrainConfig) { c.Protocol.Morphologies = []string{"three-legged"} }},
		{"bad damage target", func(c *TrainConfig) { c.Protocol.Damage.Targets = []string{"tail"} }},
		{"bad damage range", func(c *TrainConfig) { c.Protocol.Damage.From = 50; c.Protocol.Damage.To = 3 }},
		{"odd pop", func(c *TrainConfig) { c.ES.Pop = 5 }},
		{"bad fitness", func(c *TrainConfig) { c.Protocol.Fitness = "style" }},
	}
	for _, c := range cases {
		cfg := toyConfig("ABCD_lr")
		c.edit(&cfg)
		if _, err := NewTrainer(cfg, 1); err == nil {
			t.Errorf("%s: accepted", c.name)
		} else {
			t.Logf("%s: %v", c.name, err)
		}
	}
	if _, err := LoadTrainer(bytes.NewReader([]byte("not a checkpoint")), 1); err == nil {
		t.Error("LoadTrainer accepted garbage")
	}
}

// The real quadruped, with two bodies and mid-episode damage: 1 and 3
// workers give bit-identical runs.
func TestQuadrupedWorkerCountIndependent(t *testing.T) {
	var runs []*Trainer
	for _, w := range []int{1, 3} {
		cfg := TrainConfig{Env: "quadruped", MaxSteps: 100, Seed: 3, EvalCentre: true,
			Protocol: Protocol{Morphologies: []string{"healthy", "FL-short"}, Common: true,
				Damage: MidDamage{Prob: 0.5, From: 10, To: 60, Targets: []string{"FL", "FR", "BL"}}},
			ES: evolve.Config{Pop: 6, LR: 0.2, Sigma: 0.1, L2: 0.01}}
		cfg.Arch = brain.Arch{Layers: []int{34, 128, 64, 8}, Rule: "ABCD_lr", Normalize: true}
		tr, err := NewTrainer(cfg, w)
		if err != nil {
			t.Fatal(err)
		}
		runGens(t, tr, 2)
		runs = append(runs, tr)
	}
	a, b := runs[0].Centre(), runs[1].Centre()
	for j := range a {
		if a[j] != b[j] {
			t.Fatalf("θ[%d]: 1 worker %v, 3 workers %v", j, a[j], b[j])
		}
	}
	if !sameHistory(runs[0].History, runs[1].History) {
		t.Errorf("histories differ:\n1: %+v\n3: %+v", runs[0].History, runs[1].History)
	}
	t.Logf("gen 2: %+v", runs[0].History[1])
}

// Mark records the distance after exactly Mark steps.
func TestEpisodeMark(t *testing.T) {
	env := &toy{}
	net := brain.MustNewNetwork(brain.Arch{Layers: []int{4, 6, 2}})
	p := make([]float64, net.NumParams())
	for i := range p {
		p[i] = 0.3
	}
	if err := net.SetParams(p); err != nil {
		t.Fatal(err)
	}
	ep := NewEpisode(env, net, Config{MaxSteps: 30, Mark: 10})
	ep.Reset(5)
	var at10 float64
	for !ep.Done() {
		s := ep.Step()
		if s.Index == 9 {
			at10 = s.Distance
		}
	}
	r := ep.Result()
	if r.DistanceAtMark != at10 || r.Steps != 30 {
		t.Errorf("DistanceAtMark have %v want %v (steps %d)", r.DistanceAtMark, at10, r.Steps)
	}
}

// Result.LostSteps counts the steps whose StepInfo says Lost, afresh each
// episode: the toy is lost on every third of its 30 steps, so 10.
func TestLostStepsCounted(t *testing.T) {
	net := brain.MustNewNetwork(brain.Arch{Layers: []int{4, 6, 2}})
	ep := NewEpisode(&toy{}, net, Config{MaxSteps: 30})
	for _, seed := range []int64{5, 6} {
		if err := ep.Reset(seed); err != nil {
			t.Fatal(err)
		}
		if r := ep.Run(); r.LostSteps != 10 || r.Steps != 30 {
			t.Errorf("seed %d: %d lost of %d steps, want 10 of 30", seed, r.LostSteps, r.Steps)
		}
	}
}

// fixedAction always acts a and never learns.
type fixedAction struct{ a []float32 }

func (f fixedAction) Reset(*rand.Rand)            {}
func (f fixedAction) Forward([]float32) []float32 { return f.a }
func (f fixedAction) Update()                     {}

// Result's action magnitudes and mean speed, against the toy's dynamics
// replayed by hand: v ← 0.8v + 0.1(a₀ − a₁) + 0.01·drift, speed |v|.
func TestActionAndSpeedMeans(t *testing.T) {
	ep := NewEpisode(&toy{}, fixedAction{[]float32{0.5, -0.25}}, Config{MaxSteps: 20})
	if err := ep.Reset(3); err != nil {
		t.Fatal(err)
	}
	drift := ep.Env.(*toy).drift
	r := ep.Run()
	if len(r.ActionAbsMean) != 2 || r.ActionAbsMean[0] != 0.5 || r.ActionAbsMean[1] != 0.25 {
		t.Errorf("action |a| means %v, want [0.5 0.25]", r.ActionAbsMean)
	}
	v, sum := 0.0, 0.0
	for range 20 {
		v = 0.8*v + 0.1*(0.5+0.25) + 0.01*drift
		sum += math.Abs(v)
	}
	if want := sum / 20; math.Abs(r.SpeedMean-want) > 1e-12 {
		t.Errorf("mean speed %.15f, want %.15f", r.SpeedMean, want)
	}
	// A fresh episode starts its sums from zero.
	if err := ep.Reset(3); err != nil {
		t.Fatal(err)
	}
	if r2 := ep.Run(); r2.SpeedMean != r.SpeedMean || r2.ActionAbsMean[0] != 0.5 {
		t.Errorf("second episode: speed %v, |a| %v; want the first's %v, %v", r2.SpeedMean, r2.ActionAbsMean, r.SpeedMean, r.ActionAbsMean)
	}
}
