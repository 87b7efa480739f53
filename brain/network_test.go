package brain

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// newRandNet returns a network with N(0, sd²) genome, reset with seed.
func newRandNet(t testing.TB, a Arch, sd float64, seed uint64) *Network {
	t.Helper()
	n, err := NewNetwork(a)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(seed, 99))
	theta := make([]float64, n.NumParams())
	for i := range theta {
		theta[i] = sd * rng.NormFloat64()
	}
	if err := n.SetParams(theta); err != nil {
		t.Fatal(err)
	}
	n.Reset(rng)
	return n
}

func randObs(rng *rand.Rand, n int) []float32 {
	o := make([]float32, n)
	for i := range o {
		o[i] = float32(rng.Float64()*2 - 1)
	}
	return o
}

func TestNormalizeMaxAbsOne(t *testing.T) {
	for _, r := range Rules() {
		n := newRandNet(t, Arch{Layers: []int{34, 128, 64, 8}, Rule: r.Name, Normalize: true}, 1, 1)
		rng := rand.New(rand.NewPCG(2, 3))
		for step := range 5 {
			n.Forward(randObs(rng, 34))
			var want [][]float32 // weights before the update
			for _, L := range n.Layers() {
				want = append(want, slices.Clone(L.W))
			}
			n.Update()
			for l, L := range n.Layers() {
				m := float32(0)
				for _, v := range L.W {
					m = max(m, float32(math.Abs(float64(v))))
				}
				if math.Abs(float64(m)-1) > 1e-7 {
					t.Errorf("%s step %d layer %d: max|w| = %v, want 1", r.Name, step, l, m)
				}
				// w = (w0 + Δw) / max|w0 + Δw|
				for i, v := range L.W {
					raw := want[l][i] + L.DW[i]
					if d := math.Abs(float64(v - raw/L.MaxAbs)); d > 1e-6 {
						t.Fatalf("%s layer %d synapse %d: have %v, want %v", r.Name, l, i, v, raw/L.MaxAbs)
					}
				}
			}
		}
	}
}

// TestUpdateFirstChangesNextAction: the update after step t changes the
// action of step t+1, not of step t.
func TestUpdateFirstChangesNextAction(t *testing.T) {
	a := newRandNet(t, Arch{Layers: []int{34, 128, 64, 8}, Normalize: true}, 1, 4)
	b := a.Clone()
	rng := rand.New(rand.NewPCG(5, 6))
	o0, o1 := randObs(rng, 34), randObs(rng, 34)
	a0 := slices.Clone(a.Forward(o0))
	b0 := slices.Clone(b.Forward(o0))
	if !slices.Equal(a0, b0) {
		t.Fatalf("clones act differently at step 0: %v vs %v", a0, b0)
	}
	a.Update() // b stays frozen
	a1 := slices.Clone(a.Forward(o1))
	b1 := slices.Clone(b.Forward(o1))
	if slices.Equal(a1, b1) {
		t.Fatalf("the update at step 0 did not change the action at step 1: %v", a1)
	}
	// And Forward alone never changes weights: the same observation twice
	// gives the same action.
	if x := slices.Clone(b.Forward(o1)); !slices.Equal(x, b1) {
		t.Fatalf("Forward is not pure: %v vs %v", x, b1)
	}
}

func TestZeroAllocs(t *testing.T) {
	for _, a := range []Arch{
		{Layers: []int{34, 128, 64, 8}, Normalize: true},
		{Layers: []int{CNNFeatures, 128, 64, 3}, CNN: true, Output: OutputRacer, Normalize: true},
		{Layers: []int{34, 128, 64, 8}, Rule: "ABCD_lr_D_in_and_out"},
		{Layers: []int{34, 128, 64, 8}, Rule: "static"},
	} {
		n := newRandNet(t, a, 0.1, 1)
		obs := randObs(rand.New(rand.NewPCG(1, 1)), n.ObsSize())
		allocs := testing.AllocsPerRun(50, func() {
			n.Forward(obs)
			n.Update()
		})
		if allocs != 0 {
			t.Errorf("%v cnn=%v %s: Forward+Update makes %v allocations, want 0", a.Layers, a.CNN, a.Rule, allocs)
		}
	}
}

// TestAVX2MatchesGo: the AVX2 kernels give bit-identical weights and
// actions to the portable loops over a whole episode.
func TestAVX2MatchesGo(t *testing.T) {
	if !useAVX2 {
		t.Skip("no AVX2 on this machine")
	}
	archs := []Arch{
		{Layers: []int{34, 128, 64, 8}, Normalize: true},
		{Layers: []int{CNNFeatures, 128, 64, 3}, CNN: true, Output: OutputRacer, Normalize: true},
	}
	for _, r := range Rules() {
		archs = append(archs, Arch{Layers: []int{37, 21, 5}, Rule: r.Name, Normalize: r.K%2 == 0})
	}
	for _, a := range archs {
		x := newRandNet(t, a, 0.5, 3)
		y := x.Clone()
		rng := rand.New(rand.NewPCG(9, 9))
		for step := range 20 {
			obs := randObs(rng, x.ObsSize())
			for i := range obs {
				obs[i] = obs[i]*0.5 + 0.5
			}
			useAVX2 = true
			ax := slices.Clone(x.Forward(obs))
			x.Update()
			useAVX2 = false
			ay := slices.Clone(y.Forward(obs))
			y.Update()
			useAVX2 = true
			if !slices.Equal(ax, ay) {
				t.Fatalf("%v %s step %d: AVX2 action %v, Go action %v", a.Layers, a.Rule, step, ax, ay)
			}
			for l := range x.Layers() {
				if !slices.Equal(x.Layers()[l].W, y.Layers()[l].W) {
					t.Fatalf("%v %s step %d layer %d: weights differ between AVX2 and Go", a.Layers, a.Rule, step, l)
				}
			}
		}
	}
}

func TestResetDraws(t *testing.T) {
	for _, tc := range []struct {
		init     Init
		lo, hi   float64 // bounds on every weight
		sd       float64 // expected standard deviation, layer 0 (34→128)
		hasBound bool
	}{
		{Init{}, -0.1, 0.1, 0.1 / math.Sqrt(3), true},
		{Init{Dist: "uniform", Scale: 0.5}, -0.5, 0.5, 0.5 / math.Sqrt(3), true},
		{Init{Dist: "normal", Scale: 0.2}, 0, 0, 0.2, false},
		{Init{Dist: "xavier"}, -math.Sqrt(6.0 / 162), math.Sqrt(6.0 / 162), math.Sqrt(6.0/162) / math.Sqrt(3), true},
	} {
		a := Arch{Layers: []int{34, 128}, Init: tc.init}
		n := MustNewNetwork(a)
		n.Reset(rand.New(rand.NewPCG(1, 2)))
		w := slices.Clone(n.Layers()[0].W)
		var s2 float64
		for _, v := range w {
			if tc.hasBound && (float64(v) < tc.lo || float64(v) > tc.hi) {
				t.Fatalf("%+v: weight %v outside [%v, %v]", tc.init, v, tc.lo, tc.hi)
			}
			s2 += float64(v) * float64(v)
		}
		sd := math.Sqrt(s2 / float64(len(w)))
		if math.Abs(sd-tc.sd) > 0.05*tc.sd {
			t.Errorf("%+v: weight sd %.4f, want %.4f", tc.init, sd, tc.sd)
		}
		// Same seed, same weights; another seed, other weights.
		n.Reset(rand.New(rand.NewPCG(1, 2)))
		if !slices.Equal(w, n.Layers()[0].W) {
			t.Errorf("%+v: same seed gave different weights", tc.init)
		}
		n.Reset(rand.New(rand.NewPCG(1, 3)))
		if slices.Equal(w, n.Layers()[0].W) {
			t.Errorf("%+v: different seeds gave the same weights", tc.init)
		}
	}
}

func TestStaticKeepsWeights(t *testing.T) {
	n := newRandNet(t, Arch{Layers: []int{5, 4, 2}, Rule: "static", Normalize: true}, 1, 1)
	theta := make([]float64, n.NumParams())
	n.Params(theta)
	if len(theta) != 5*4+4*2 {
		t.Fatalf("static genome has %d values, want %d", len(theta), 28)
	}
	w := slices.Clone(n.Layers()[0].W)
	if w[0] != float32(theta[0]) || n.Layers()[1].W[7] != float32(theta[27]) {
		t.Fatal("static genome is not the weights in (Out, In) order")
	}
	n.Reset(rand.New(rand.NewPCG(5, 5)))
	n.Forward([]float32{1, 2, 3, 4, 5})
	n.Update()
	if !slices.Equal(w, n.Layers()[0].W) {
		t.Fatal("Reset or Update changed a static network's weights")
	}
}

func TestGenomeLayout(t *testing.T) {
	n := MustNewNetwork(Arch{Layers: []int{CNNFeatures, 4, 3}, CNN: true, Rule: "ABC", Output: OutputRacer})
	want := CNNFeatures*4*3 + 4*3*3 + CNNParams
	if n.NumParams() != want {
		t.Fatalf("NumParams = %d, want %d", n.NumParams(), want)
	}
	theta := make([]float64, want)
	for i := range theta {
		theta[i] = float64(i)
	}
	if err := n.SetParams(theta); err != nil {
		t.Fatal(err)
	}
	L1 := n.Layers()[1]
	// Layer 1, synapse (j=2, i=1), coefficient C (index 2).
	idx := CNNFeatures*4*3 + (2*4+1)*3 + 2
	if got := L1.Coeffs[(2*4+1)*3+2]; got != float32(idx) {
		t.Errorf("Coeffs of layer 1 (2,1,C) = %v, want %v", got, idx)
	}
	if got := L1.planes[2][2*4+1]; got != float32(idx) {
		t.Errorf("plane C of layer 1 (2,1) = %v, want %v", got, idx)
	}
	if got := n.cnn.w0[0]; got != float32(want-CNNParams) {
		t.Errorf("conv_0[0] = %v, want genome index %d", got, want-CNNParams)
	}
	if got := n.cnn.w1[cnnW1-1]; got != float32(want-1) {
		t.Errorf("conv_1[last] = %v, want genome index %d", got, want-1)
	}
	back := make([]float64, want)
	n.Params(back)
	if !slices.Equal(theta, back) {
		t.Error("Params does not return what SetParams set")
	}
	for _, tc := range []struct {
		theta []float64
		msg   string
	}{
		{make([]float64, want-1), "needs"},
		{append(slices.Clone(theta[:want-1]), math.NaN()), "not finite"},
		{append(slices.Clone(theta[:want-1]), 1e39), "not finite"},
	} {
		err := n.SetParams(tc.theta)
		if err == nil || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("SetParams: have error %v, want one containing %q", err, tc.msg)
		}
	}
	n.Params(back)
	if !slices.Equal(theta, back) {
		t.Error("a rejected SetParams changed the genome")
	}
}

func TestArchErrors(t *testing.T) {
	for _, tc := range []struct {
		a   Arch
		msg string
	}{
		{Arch{Layers: []int{4}}, "at least"},
		{Arch{Layers: []int{4, 0}}, "out of range"},
		{Arch{Layers: []int{4, 3}, Rule: "Z"}, "unknown rule"},
		{Arch{Layers: []int{60000, 60000}}, "limit"},
		{Arch{Layers: []int{34, 3}, CNN: true}, "648"},
		{Arch{Layers: []int{4, 2}, Output: OutputRacer}, "3 outputs"},
		{Arch{Layers: []int{4, 2}, Output: 7}, "unknown output"},
		{Arch{Layers: []int{4, 2}, Init: Init{Dist: "cauchy"}}, "unknown init"},
		{Arch{Layers: []int{4, 2}, Init: Init{Scale: -1}}, "positive"},
	} {
		_, err := NewNetwork(tc.a)
		if err == nil || !strings.Contains(err.Error(), tc.msg) || !strings.HasPrefix(err.Error(), "brain: ") {
			t.Errorf("NewNetwork(%+v): have error %v, want one containing %q", tc.a, err, tc.msg)
		}
	}
}

func TestOutputs(t *testing.T) {
	n := newRandNet(t, Arch{Layers: []int{6, 3}, Output: OutputRacer}, 1, 1)
	L := n.Layers()[0]
	for i := range L.W {
		L.W[i] = float32(i%5) - 2
	}
	act := n.Forward([]float32{1, 0.5, -1, 0.25, 0, 2})
	h := L.Post
	want := []float64{math.Tanh(float64(h[0])), 1 / (1 + math.Exp(-float64(h[1]))), 1 / (1 + math.Exp(-float64(h[2])))}
	for i := range want {
		if math.Abs(float64(act[i])-want[i]) > 1e-6 {
			t.Errorf("racer action %d: have %v, want %v (h = %v)", i, act[i], want[i], h)
		}
	}
	for _, o := range []Output{OutputTanh, OutputRacer, OutputLinear, OutputRacerClip} {
		p, err := ParseOutput(o.String())
		if err != nil || p != o {
			t.Errorf("ParseOutput(%q) = %v, %v", o.String(), p, err)
		}
	}
}

// OutputRacerClip clips gas and brake to [0, 1]; the sums below are
// worked by hand from W[i] = i%5 − 2 (rows −2 −1 0 1 2 −2, −1 0 1 2 −2 −1,
// 0 1 2 −2 −1 0) and x = (1, .5, −1, .25, 0, 2): h = (−6.25, −3.5, −2),
// and for −x/5 and −x the same scaled.
func TestOutputRacerClip(t *testing.T) {
	n := newRandNet(t, Arch{Layers: []int{6, 3}, Output: OutputRacerClip}, 1, 1)
	L := n.Layers()[0]
	for i := range L.W {
		L.W[i] = float32(i%5) - 2
	}
	x := []float32{1, 0.5, -1, 0.25, 0, 2}
	for _, tc := range []struct {
		scale float32
		want  [3]float64
	}{
		{1, [3]float64{math.Tanh(-6.25), 0, 0}},
		{-0.2, [3]float64{math.Tanh(1.25), 0.7, 0.4}},
		{-1, [3]float64{math.Tanh(6.25), 1, 1}},
	} {
		obs := make([]float32, len(x))
		for i := range x {
			obs[i] = tc.scale * x[i]
		}
		act := n.Forward(obs)
		for i, w := range tc.want {
			if math.Abs(float64(act[i])-w) > 1e-6 {
				t.Errorf("x×%v: action %d = %v, want %v (h = %v)", tc.scale, i, act[i], w, L.Post)
			}
		}
		if want := -6.25 * float64(tc.scale); math.Abs(float64(L.Post[0])-want) > 1e-5 {
			t.Errorf("x×%v: the rule sees h0 = %v, want the raw sum %v", tc.scale, L.Post[0], want)
		}
	}
}

func TestTanh32(t *testing.T) {
	worst := 0.0
	for x := -12.0; x <= 12; x += 0.000731 {
		got := float64(tanh32(float32(x)))
		want := math.Tanh(float64(float32(x)))
		worst = max(worst, math.Abs(got-want))
	}
	// 5e-7 is a few float32 ulps near ±1.
	if worst > 5e-7 {
		t.Errorf("tanh32 max abs error %g, want ≤ 5e-7", worst)
	}
	if tanh32(0) != 0 || tanh32(100) != 1 || tanh32(-100) != -1 {
		t.Errorf("tanh32 at 0, ±100: %v %v %v", tanh32(0), tanh32(100), tanh32(-100))
	}
}

// TestTanhAVX2MatchesGo compares the vector tanh with tanh32 bit for bit,
// over a sweep and the edge cases (±0, tiny, the small-x branch edge, the
// clamp, ±Inf, NaN).
func TestTanhAVX2MatchesGo(t *testing.T) {
	if !useAVX2 {
		t.Skip("no AVX2 on this machine")
	}
	in := []float32{0, float32(math.Copysign(0, -1)), 1e-30, -1e-30, 0.0004, -0.0004, 0.00039999, 0.00040001,
		tanhClamp, -tanhClamp, 7.9053, 7.91, -7.91, 100, -100, float32(math.Inf(1)), float32(math.Inf(-1)), float32(math.NaN())}
	for x := float32(-10); x < 10; x += 0.00137 {
		in = append(in, x)
	}
	for len(in)%8 != 0 {
		in = append(in, 0.5)
	}
	got := slices.Clone(in)
	tanhAVX2(&got[0], len(got), &tanhConsts[0])
	for i, x := range in {
		if want := tanh32(x); math.Float32bits(got[i]) != math.Float32bits(want) {
			t.Fatalf("tanh(%v): AVX2 %v (%#x), Go %v (%#x)", x, got[i], math.Float32bits(got[i]), want, math.Float32bits(want))
		}
	}
}

// GenomeFor adds inputs with zero coefficients: the grown network, fed
// zero on the new input, acts exactly as the old one, weights and all.
func TestGenomeForAddsInputs(t *testing.T) {
	old := MustNewNetwork(Arch{Layers: []int{3, 5, 2}, Rule: DefaultRule, Normalize: true})
	theta := make([]float64, old.NumParams())
	for i := range theta {
		theta[i] = math.Sin(float64(i) * 1.7)
	}
	if err := old.SetParams(theta); err != nil {
		t.Fatal(err)
	}
	grownArch := Arch{Layers: []int{4, 5, 2}, Rule: DefaultRule, Normalize: true}
	g, err := old.GenomeFor(grownArch)
	if err != nil {
		t.Fatal(err)
	}
	grown := MustNewNetwork(grownArch)
	if err := grown.SetParams(g); err != nil {
		t.Fatal(err)
	}
	rng := func() *rand.Rand { return rand.New(rand.NewPCG(1, 2)) }
	old.Reset(rng())
	grown.Reset(rng())
	// Same random start on the old synapses: copy them across.
	for j := 0; j < 5; j++ {
		for i := 0; i < 3; i++ {
			grown.Layers()[0].W[j*4+i] = old.Layers()[0].W[j*3+i]
		}
	}
	copy(grown.Layers()[1].W, old.Layers()[1].W)
	for s := 0; s < 20; s++ {
		o := []float32{float32(math.Sin(float64(s))), 0.3, -0.2}
		a := old.Forward(o)
		b := grown.Forward(append(o[:3:3], 0))
		for i := range a {
			if a[i] != b[i] {
				t.Fatalf("step %d: action %d is %v, the grown network's %v", s, i, a[i], b[i])
			}
		}
		old.Update()
		grown.Update()
	}
	for _, bad := range []Arch{
		{Layers: []int{2, 5, 2}, Rule: DefaultRule},
		{Layers: []int{4, 6, 2}, Rule: DefaultRule},
		{Layers: []int{4, 5, 2}, Rule: "A"},
	} {
		if _, err := old.GenomeFor(bad); err == nil {
			t.Errorf("GenomeFor(%v %s) accepted", bad.Layers, bad.Rule)
		}
	}
}

// A pixel (CNN) network can be fine-tuned as it is: its genome, convolutions
// first, comes back whole; it cannot grow inputs (they are CNN features).
func TestGenomeForPixelNetwork(t *testing.T) {
	arch := Arch{Layers: []int{CNNFeatures, 8, 3}, CNN: true, Output: OutputRacerClip, Rule: DefaultRule, Normalize: true}
	n := MustNewNetwork(arch)
	theta := make([]float64, n.NumParams())
	for i := range theta {
		theta[i] = math.Cos(float64(i) * 0.37)
	}
	if err := n.SetParams(theta); err != nil {
		t.Fatal(err)
	}
	n.Params(theta) // as stored (float32)
	g, err := n.GenomeFor(arch)
	if err != nil {
		t.Fatal(err)
	}
	if len(g) != len(theta) {
		t.Fatalf("genome of %d values, want %d", len(g), len(theta))
	}
	for i := range g {
		if g[i] != theta[i] {
			t.Fatalf("genome[%d] = %v, want %v", i, g[i], theta[i])
		}
	}
	grown := arch
	grown.Layers = []int{CNNFeatures + 1, 8, 3}
	if _, err := n.GenomeFor(grown); err == nil {
		t.Error("a pixel network grew an input")
	}
}
