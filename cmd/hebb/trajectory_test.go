package main

import (
	"image/png"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hebbsim/hebbsim/brain"
)

// synthetic builds n rows of dimension D: x(t) = base + a(t)·u + b(t)·v
// (+ noise·N(0,1)) with u, v orthonormal, so the true PCs are known.
func synthetic(n, D int, a, b func(t int) float64, noise float64) [][]float32 {
	r := rand.New(rand.NewPCG(3, 4))
	u, v := make([]float64, D), make([]float64, D)
	// u, v: disjoint supports, unit norm.
	for j := 0; j < D/2; j++ {
		u[j] = 1 / math.Sqrt(float64(D/2))
	}
	for j := D / 2; j < D; j++ {
		v[j] = 1 / math.Sqrt(float64(D-D/2))
	}
	base := make([]float64, D)
	for j := range base {
		base[j] = r.Float64()
	}
	rows := make([][]float32, n)
	for t := range rows {
		rows[t] = make([]float32, D)
		for j := range rows[t] {
			rows[t][j] = float32(base[j] + a(t)*u[j] + b(t)*v[j] + noise*r.NormFloat64())
		}
	}
	return rows
}

func TestPCA2Synthetic(t *testing.T) {
	zero := func(int) float64 { return 0 }
	cases := []struct {
		name     string
		n, D     int
		a, b     func(int) float64
		noise    float64
		maxFit   int
		pc1, pc2 float64 // explained fractions wanted (±tol)
		tol      float64
		stride   int
	}{
		{"line", 101, 40, func(t int) float64 { return 0.1 * float64(t) }, zero, 0, 256, 1, 0, 1e-4, 1},
		{"line, fitted on every 5th", 1001, 40, func(t int) float64 { return 0.01 * float64(t) }, zero, 0, 200, 1, 0, 1e-4, 6},
		{"line + small noise", 201, 60, func(t int) float64 { return 0.05 * float64(t) }, zero, 1e-3, 64, 1, 0, 1e-3, 4},
		// 3·cos and 1·sin over whole periods: variances 9/2 and 1/2.
		{"ellipse 3:1", 400, 30, func(t int) float64 { return 3 * math.Cos(2*math.Pi*float64(t)/50) },
			func(t int) float64 { return math.Sin(2 * math.Pi * float64(t) / 50) }, 0, 100, 0.9, 0.1, 2e-3, 4},
	}
	for _, c := range cases {
		proj, ex, stride, err := pca2(synthetic(c.n, c.D, c.a, c.b, c.noise), c.maxFit)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		t.Logf("%s: have PC1 %.5f PC2 %.5f stride %d; want %.3f %.3f stride %d", c.name, ex[0], ex[1], stride, c.pc1, c.pc2, c.stride)
		if math.Abs(ex[0]-c.pc1) > c.tol || math.Abs(ex[1]-c.pc2) > c.tol || stride != c.stride {
			t.Errorf("%s: have PC1 %.5f PC2 %.5f stride %d, want %.3f %.3f (±%g) stride %d", c.name, ex[0], ex[1], stride, c.pc1, c.pc2, c.tol, stride)
		}
		if len(proj) != c.n {
			t.Errorf("%s: have %d projected points, want %d", c.name, len(proj), c.n)
		}
		if proj[c.n-1][0] < proj[0][0] {
			t.Errorf("%s: PC1 not oriented first→last: %g → %g", c.name, proj[0][0], proj[c.n-1][0])
		}
	}
	// On the noiseless line the projection is the line's own coordinate,
	// centred: 0.1·(t − 50).
	proj, _, _, _ := pca2(synthetic(101, 40, func(t int) float64 { return 0.1 * float64(t) }, zero, 0), 256)
	for _, tt := range []int{0, 37, 100} {
		if want := 0.1 * float64(tt-50); math.Abs(proj[tt][0]-want) > 1e-4 {
			t.Errorf("line: step %d projects to %g, want %g", tt, proj[tt][0], want)
		}
	}
	if _, _, _, err := pca2(synthetic(50, 10, zero, zero, 0), 256); err == nil || !strings.Contains(err.Error(), "do not change") {
		t.Errorf("constant rows: have error %v, want \"do not change\"", err)
	}
	if _, _, _, err := pca2(synthetic(1, 10, zero, zero, 0), 256); err == nil {
		t.Errorf("one row: no error")
	}
}

// TestAnalyseTrajectory checks the flattening, the synapse subsampling
// and the settling curve on a trace with known per-layer steps.
func TestAnalyseTrajectory(t *testing.T) {
	const T = 40
	layers := []int{3, 4, 2} // 12 + 8 synapses
	tr := &brain.Trace{Meta: brain.Meta{Layers: layers, Steps: T}}
	step := []float64{0.01, 0.03}
	for l := 0; l+1 < len(layers); l++ {
		n := layers[l] * layers[l+1]
		w := make([]float32, (T+1)*n)
		for s := 0; s <= T; s++ {
			for k := 0; k < n; k++ {
				sign := 1.0
				if k%2 == 1 {
					sign = -1
				}
				w[s*n+k] = float32(float64(k) + sign*step[l]*float64(s))
			}
		}
		tr.W = append(tr.W, w)
		tr.Coeffs = append(tr.Coeffs, make([]float32, n*5))
	}
	for _, c := range []struct{ maxSyn, stride, pcaSyn int }{{100, 1, 20}, {10, 2, 10}, {7, 3, 7}} {
		wt, err := analyseTrajectory(tr, c.maxSyn, 256)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("maxSyn %d: have stride %d, %d synapses in the PCA, PC1 %.4f; want %d, %d, 1", c.maxSyn, wt.SynStride, wt.PCASynapses, wt.Explained[0], c.stride, c.pcaSyn)
		if wt.SynStride != c.stride || wt.PCASynapses != c.pcaSyn || wt.Synapses != 20 {
			t.Errorf("maxSyn %d: have stride %d, %d of %d synapses; want %d, %d of 20", c.maxSyn, wt.SynStride, wt.PCASynapses, wt.Synapses, c.stride, c.pcaSyn)
		}
		// Every synapse moves linearly in t: one direction explains all.
		if math.Abs(wt.Explained[0]-1) > 1e-4 {
			t.Errorf("maxSyn %d: PC1 explains %g, want 1", c.maxSyn, wt.Explained[0])
		}
		if wt.Layers[0] != [2]int{4, 3} || wt.Layers[1] != [2]int{2, 4} {
			t.Errorf("layer shapes %v, want [[4 3] [2 4]]", wt.Layers)
		}
		for l := range step {
			for _, s := range []int{0, T - 1} {
				if math.Abs(wt.Delta[l][s]-step[l]) > 1e-5 {
					t.Errorf("layer %d step %d: mean |Δw| %g, want %g", l, s, wt.Delta[l][s], step[l])
				}
			}
		}
		if want := (12*0.01 + 8*0.03) / 20; math.Abs(wt.meanDelta(0, T)-want) > 1e-5 {
			t.Errorf("all synapses: mean |Δw| %g, want %g", wt.meanDelta(0, T), want)
		}
	}
	tr.Coeffs = nil
	if _, err := analyseTrajectory(tr, 100, 256); err == nil {
		t.Errorf("static trace: no error")
	}
}

func TestSettleWindows(t *testing.T) {
	have := settleWindows(1000, []int{300}, 50)
	want := [][2]int{{0, 50}, {250, 300}, {300, 350}, {950, 1000}}
	if len(have) != len(want) {
		t.Fatalf("have %v, want %v", have, want)
	}
	for i := range want {
		if have[i] != want[i] {
			t.Errorf("have %v, want %v", have, want)
		}
	}
	// Clipped to the episode, repeats dropped.
	if have := settleWindows(30, []int{10}, 50); len(have) != 3 || have[0] != [2]int{0, 30} || have[1] != [2]int{0, 10} || have[2] != [2]int{10, 30} {
		t.Errorf("short episode: have %v, want [[0 30] [0 10] [10 30]]", have)
	}
}

// randomRules writes a random quadruped rule file (ABCD_lr, or static).
func randomRules(t *testing.T, path, rule string) {
	t.Helper()
	n, err := brain.NewNetwork(brain.Arch{Layers: []int{34, 128, 64, 8}, Output: brain.Output(0), Rule: rule, Normalize: true})
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(5, 6))
	theta := make([]float64, n.NumParams())
	for i := range theta {
		theta[i] = r.NormFloat64()
	}
	if err := n.SetParams(theta); err != nil {
		t.Fatal(err)
	}
	if err := brain.FromNetwork(n, brain.Meta{Env: "quadruped", Obs: "state"}).Save(path); err != nil {
		t.Fatal(err)
	}
}

func TestTrajectoryWritesPNGs(t *testing.T) {
	dir := t.TempDir()
	rules := filepath.Join(dir, "r.npz")
	randomRules(t, rules, "ABCD_lr")
	out := filepath.Join(dir, "traj.png")
	code, stdout, stderr := hebb(t, "trajectory", "--rules", rules, "--steps", "120", "--damage", "BR:shorten@60", "--out", out)
	t.Log(stdout)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"PC1 explains", "steps   60– 109", "BR:shorten@60"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("stdout lacks %q", want)
		}
	}
	for _, p := range []string{out, filepath.Join(dir, "traj-settling.png")} {
		f, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(f)
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		if b := img.Bounds(); b.Dx() < 500 || b.Dy() < 300 {
			t.Errorf("%s: %v, want at least 500×300", p, b)
		}
	}
	// Same seed ⇒ same numbers.
	_, again, _ := hebb(t, "trajectory", "--rules", rules, "--steps", "120", "--damage", "BR:shorten@60", "--out", out)
	if again != stdout {
		t.Errorf("second run printed\n%s\nfirst\n%s", again, stdout)
	}
}

func TestTrajectoryBadInput(t *testing.T) {
	dir := t.TempDir()
	rules := filepath.Join(dir, "r.npz")
	randomRules(t, rules, "ABCD_lr")
	static := filepath.Join(dir, "s.npz")
	randomRules(t, static, "static")
	junk := filepath.Join(dir, "junk.npz")
	os.WriteFile(junk, []byte("not an npz"), 0o644)
	png := filepath.Join(dir, "t.png")
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"trajectory", "--rules", rules}, "--out"},
		{[]string{"trajectory", "--rules", rules, "--out", filepath.Join(dir, "t.svg")}, ".png"},
		{[]string{"trajectory", "--rules", rules, "--out", filepath.Join(dir, "no", "t.png")}, "no directory"},
		{[]string{"trajectory", "--rules", rules, "--out", png, "--steps", "0"}, "--steps"},
		{[]string{"trajectory", "--rules", rules, "--out", png, "--steps", "ten"}, "steps"},
		{[]string{"trajectory", "--rules", junk, "--out", png}, "junk"},
		{[]string{"trajectory", "--out", png}, "--rules"},
		{[]string{"trajectory", "--rules", static, "--out", png}, "static"},
		{[]string{"trajectory", "--rules", rules, "--out", png, "--damage", "tail:shorten@3"}, "tail"},
		{[]string{"trajectory", "--rules", rules, "--out", png, "--morphology", "tripod"}, "tripod"},
		{[]string{"trajectory", "--rules", rules, "--out", png, "--settling", filepath.Join(dir, "s.txt")}, "--settling"},
	}
	for _, c := range cases {
		code, _, stderr := hebb(t, c.args...)
		lines := strings.Split(strings.TrimSpace(stderr), "\n")
		t.Logf("hebb %s → %d: %s", strings.Join(c.args[1:], " "), code, strings.TrimSpace(stderr))
		if code != exitUsage || len(lines) != 1 || !strings.HasPrefix(lines[0], "hebb: ") || !strings.Contains(stderr, c.want) {
			t.Errorf("hebb %s: have exit %d, stderr %q; want exit %d and one line with %q", strings.Join(c.args, " "), code, stderr, exitUsage, c.want)
		}
	}
	if _, err := os.Stat(png); err == nil {
		t.Errorf("a failed run wrote %s", png)
	}
}

// TestPeriodAndRecurrence: weights on an exact 40-step orbit have PC1
// period 40 and return to where they were one period earlier.
func TestPeriodAndRecurrence(t *testing.T) {
	const T, P = 400, 40
	layers := []int{4, 5}
	tr := &brain.Trace{Meta: brain.Meta{Layers: layers, Steps: T}}
	n := 20
	w := make([]float32, (T+1)*n)
	for s := 0; s <= T; s++ {
		for k := 0; k < n; k++ {
			w[s*n+k] = float32(0.1*float64(k) + 0.5*math.Sin(2*math.Pi*float64(s)/P+float64(k)))
		}
	}
	tr.W, tr.Coeffs = [][]float32{w}, [][]float32{make([]float32, n*5)}
	wt, err := analyseTrajectory(tr, 100, 256)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("have period %d, PC1+PC2 %.4f, recurrence %.2g, half-period %.3g", wt.Period, wt.Explained[0]+wt.Explained[1], meanOver(wt.Recur, P, T+1), meanOver(wt.Half, P, T+1))
	if wt.Period != P {
		t.Errorf("period %d, want %d", wt.Period, P)
	}
	if math.Abs(wt.Explained[0]+wt.Explained[1]-1) > 1e-4 {
		t.Errorf("a sinusoid per synapse spans a plane: PC1+PC2 %g, want 1", wt.Explained[0]+wt.Explained[1])
	}
	if r, h := meanOver(wt.Recur, P, T+1), meanOver(wt.Half, P, T+1); r > 1e-5 || h < 0.3 {
		t.Errorf("one period back %g (want ~0), half a period back %g (want ≥ 0.3)", r, h)
	}
	// A straight line has no period.
	line := make([][2]float64, 300)
	for i := range line {
		line[i][0] = float64(i)
	}
	if p := period(line, 4, 100); p != 0 {
		t.Errorf("line: period %d, want 0", p)
	}
}
