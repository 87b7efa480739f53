package brain

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// coeffValue gives every coefficient name one value, chosen as binary
// fractions so that each hand-computed Δw below is exact in float32.
var coeffValue = map[string]float32{"A": 0.5, "B": 0.25, "C": -1, "D": 0.125, "D_in": 0.125, "D_out": 1, "eta": 2}

// TestRulesHandComputed checks every rule on a 2×3 layer (3 inputs, 2
// outputs) against Δw worked out by hand from DESIGN.md §1 with
// pre = (1, -2, 0.5), post = (0.5, -1), so pre·post = [[0.5, -1, 0.25],
// [-1, 2, -0.5]] (rows: outputs j, columns: inputs i).
func TestRulesHandComputed(t *testing.T) {
	pre := []float32{1, -2, 0.5}
	post := []float32{0.5, -1}
	cases := []struct {
		rule string
		want [6]float32 // Δw, row-major (j, i)
	}{
		// 0.5·pp
		{"A", [6]float32{0.25, -0.5, 0.125, -0.5, 1, -0.25}},
		// 0.5·pp + 0.125
		{"AD", [6]float32{0.375, -0.375, 0.25, -0.375, 1.125, -0.125}},
		// 2·(0.5·pp + 0.125)
		{"AD_lr", [6]float32{0.75, -0.75, 0.5, -0.75, 2.25, -0.25}},
		// 0.5·pp + 0.25·pre − post
		{"ABC", [6]float32{0, -1.5, -0.25, 0.75, 1.5, 0.875}},
		{"ABC_lr", [6]float32{0, -3, -0.5, 1.5, 3, 1.75}},
		{"ABCD", [6]float32{0.125, -1.375, -0.125, 0.875, 1.625, 1}},
		{"ABCD_lr", [6]float32{0.25, -2.75, -0.25, 1.75, 3.25, 2}},
		// 2·ABC + D_out(1)
		{"ABCD_lr_D_out", [6]float32{1, -2, 0.5, 2.5, 4, 2.75}},
		// 2·(ABC + D_in(0.125)) + D_out(1)
		{"ABCD_lr_D_in_and_out", [6]float32{1.25, -1.75, 0.75, 2.75, 4.25, 3}},
	}
	if len(cases) != len(Rules()) {
		t.Fatalf("%d cases for %d rules", len(cases), len(Rules()))
	}
	for _, tc := range cases {
		t.Run(tc.rule, func(t *testing.T) {
			n := MustNewNetwork(Arch{Layers: []int{3, 2}, Rule: tc.rule, Output: OutputLinear})
			r := n.Rule()
			theta := make([]float64, 0, n.NumParams())
			for range 6 {
				for _, name := range r.CoeffNames {
					v, ok := coeffValue[name]
					if !ok {
						t.Fatalf("no value for coefficient %q", name)
					}
					theta = append(theta, float64(v))
				}
			}
			if err := n.SetParams(theta); err != nil {
				t.Fatal(err)
			}
			L := n.Layers()[0]
			copy(L.Pre, pre)
			copy(L.Post, post)
			n.Update()
			for s := range 6 {
				if L.W[s] != tc.want[s] || L.DW[s] != tc.want[s] {
					t.Errorf("%s synapse (j=%d, i=%d): have w %v Δw %v, want %v", tc.rule, s/3, s%3, L.W[s], L.DW[s], tc.want[s])
				}
			}
		})
	}
}

// reference is the rule exactly as DESIGN.md writes it, coefficient by
// name, for one synapse.
func reference(rule string, c map[string]float32, pre, post float32) float32 {
	A, B, C, D, eta := c["A"], c["B"], c["C"], c["D"], c["eta"]
	switch rule {
	case "A":
		return A * pre * post
	case "AD":
		return A*pre*post + D
	case "AD_lr":
		return eta * (A*pre*post + D)
	case "ABC":
		return A*pre*post + B*pre + C*post
	case "ABC_lr":
		return eta * (A*pre*post + B*pre + C*post)
	case "ABCD":
		return A*pre*post + B*pre + C*post + D
	case "ABCD_lr":
		return eta * (A*pre*post + B*pre + C*post + D)
	case "ABCD_lr_D_out":
		return eta*(A*pre*post+B*pre+C*post) + c["D_out"]
	case "ABCD_lr_D_in_and_out":
		return eta*(A*pre*post+B*pre+C*post+c["D_in"]) + c["D_out"]
	}
	panic("unknown rule " + rule)
}

// TestRulesPerSynapse gives every synapse its own random coefficients on
// layers wide enough for the AVX2 path and its tail (19 inputs), and
// compares with the equation read coefficient by coefficient from the
// documented genome layout.
func TestRulesPerSynapse(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for _, r := range Rules() {
		n := MustNewNetwork(Arch{Layers: []int{19, 5, 3}, Rule: r.Name})
		theta := make([]float64, n.NumParams())
		for i := range theta {
			theta[i] = rng.NormFloat64()
		}
		if err := n.SetParams(theta); err != nil {
			t.Fatal(err)
		}
		n.Reset(rng)
		obs := make([]float32, 19)
		for i := range obs {
			obs[i] = float32(rng.Float64()*2 - 1)
		}
		n.Forward(obs)
		var before [][]float32
		for _, L := range n.Layers() {
			before = append(before, slices.Clone(L.W))
		}
		n.Update()
		off := 0
		for l, L := range n.Layers() {
			for j := 0; j < L.Out; j++ {
				for i := 0; i < L.In; i++ {
					c := map[string]float32{}
					for k, name := range r.CoeffNames {
						c[name] = float32(theta[off+(j*L.In+i)*r.K+k])
					}
					want := reference(r.Name, c, L.Pre[i], L.Post[j])
					got := L.DW[j*L.In+i]
					if d := math.Abs(float64(got - want)); d > 1e-5*(1+math.Abs(float64(want))) {
						t.Errorf("%s layer %d (j=%d, i=%d): have Δw %v, want %v", r.Name, l, j, i, got, want)
					}
					if w := before[l][j*L.In+i] + got; L.W[j*L.In+i] != w {
						t.Errorf("%s layer %d (j=%d, i=%d): have w %v, want w0+Δw %v", r.Name, l, j, i, L.W[j*L.In+i], w)
					}
				}
			}
			off += L.In * L.Out * r.K
		}
	}
}

func TestRuleByName(t *testing.T) {
	for _, name := range RuleNames() {
		r, err := RuleByName(name)
		if err != nil || r.Name != name || len(r.CoeffNames) != r.K {
			t.Errorf("RuleByName(%q) = %+v, %v", name, r, err)
		}
	}
	if r, _ := RuleByName(""); r.Name != DefaultRule {
		t.Errorf("RuleByName(\"\") = %q, want %q", r.Name, DefaultRule)
	}
	if r, _ := RuleByName("static"); !r.Static() || r.K != 0 {
		t.Errorf("static rule: %+v", r)
	}
	_, err := RuleByName("ABCDE")
	if err == nil || !strings.Contains(err.Error(), "ABCD_lr_D_in_and_out") || !strings.Contains(err.Error(), "static") {
		t.Errorf("unknown rule error %v should list the valid names", err)
	}
	// Rules returns copies: editing them leaves the registry alone.
	rs := Rules()
	rs[0].CoeffNames[0] = "X"
	if Rules()[0].CoeffNames[0] != "A" {
		t.Error("Rules exposes its internal slices")
	}
}
