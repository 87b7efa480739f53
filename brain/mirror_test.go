package brain

import (
	"bytes"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// One mirror swapping inputs 0↔1 and outputs 0↔1 of a 3→2→2 static
// network: the hidden layer is two blocks of one unit, swapped. Layer 0's
// synapses (j, i) pair up as (0,0)≡(1,1), (0,1)≡(1,0), (0,2)≡(1,2): three
// genes; layer 1's as (0,0)≡(1,1), (0,1)≡(1,0): two.
func TestMirrorTiesByHand(t *testing.T) {
	a := Arch{Layers: []int{3, 2, 2}, Rule: StaticName, Mirrors: []Mirror{{In: [][2]int{{0, 1}}, Out: [][2]int{{0, 1}}}}}
	n := MustNewNetwork(a)
	if got := n.NumParams(); got != 5 {
		t.Fatalf("NumParams = %d, want 5", got)
	}
	if err := n.SetParams([]float64{1, 2, 3, 4, 5}); err != nil {
		t.Fatal(err)
	}
	if w := n.Layers()[0].W; !slices.Equal(w, []float32{1, 2, 3, 2, 1, 3}) {
		t.Errorf("layer 0 weights %v, want [1 2 3 2 1 3]", w)
	}
	if w := n.Layers()[1].W; !slices.Equal(w, []float32{4, 5, 5, 4}) {
		t.Errorf("layer 1 weights %v, want [4 5 5 4]", w)
	}
	back := make([]float64, 5)
	n.Params(back)
	if !slices.Equal(back, []float64{1, 2, 3, 4, 5}) {
		t.Errorf("Params = %v, want the genome back", back)
	}
	// A plastic rule ties all K coefficients of a synapse together.
	a.Rule = DefaultRule
	p := MustNewNetwork(a)
	if got, k := p.NumParams(), p.Rule().K; got != 5*k {
		t.Fatalf("plastic NumParams = %d, want %d", got, 5*k)
	}
}

// A static network with mirrors is equivariant: mirroring the input
// mirrors the action. Two mirrors exercise the hidden blocks (4 per layer).
func TestMirrorEquivariance(t *testing.T) {
	m1 := Mirror{In: [][2]int{{0, 1}, {2, 3}}, Out: [][2]int{{0, 1}}}
	m2 := Mirror{In: [][2]int{{4, 5}}, Out: [][2]int{{2, 3}}}
	a := Arch{Layers: []int{7, 8, 12, 4}, Rule: StaticName, Mirrors: []Mirror{m1, m2}}
	n := newRandNet(t, a, 1, 2)
	x := []float32{0.3, -0.7, 0.1, 0.9, -0.4, 0.2, 0.5}
	base := slices.Clone(n.Forward(x))
	for k, m := range a.Mirrors {
		mx := slices.Clone(x)
		for _, p := range m.In {
			mx[p[0]], mx[p[1]] = mx[p[1]], mx[p[0]]
		}
		got := n.Forward(mx)
		want := slices.Clone(base)
		for _, p := range m.Out {
			want[p[0]], want[p[1]] = want[p[1]], want[p[0]]
		}
		for i := range want {
			if d := got[i] - want[i]; d > 1e-6 || d < -1e-6 {
				t.Fatalf("mirror %d: action %v, want the mirrored %v", k, got, want)
			}
		}
		if slices.Equal(got, base) {
			t.Fatalf("mirror %d: the action did not change at all; the test shows nothing", k)
		}
	}
}

// A rule file keeps every synapse's coefficients: a network evolved with
// mirrors loads as one without them that acts the same.
func TestMirrorRuleFileLoadsUntied(t *testing.T) {
	a := Arch{Layers: []int{4, 4, 2}, Rule: DefaultRule, Normalize: true, Mirrors: []Mirror{{In: [][2]int{{0, 1}}, Out: [][2]int{{0, 1}}}}}
	n := newRandNet(t, a, 1, 3)
	m, err := FromNetwork(n, Meta{Env: "toy"}).NewNetwork()
	if err != nil {
		t.Fatal(err)
	}
	if m.NumParams() != 4*4*m.Rule().K+4*2*m.Rule().K {
		t.Errorf("the loaded network has %d genes, want one per synapse coefficient", m.NumParams())
	}
	n.Reset(rand.New(rand.NewPCG(5, 6)))
	m.Reset(rand.New(rand.NewPCG(5, 6)))
	x := []float32{0.5, -0.25, 0.75, 1}
	for step := range 5 {
		an, am := slices.Clone(n.Forward(x)), m.Forward(x)
		if !slices.Equal(an, am) {
			t.Fatalf("step %d: tied %v, loaded %v", step, an, am)
		}
		n.Update()
		m.Update()
	}
}

func TestMirrorErrors(t *testing.T) {
	swap01 := Mirror{In: [][2]int{{0, 1}}, Out: [][2]int{{0, 1}}}
	for _, c := range []struct {
		a    Arch
		want string
	}{
		{Arch{Layers: []int{3, 5, 2}, Mirrors: []Mirror{swap01}}, "2 equal blocks; layer 1 has 5 units"},
		{Arch{Layers: []int{3, 4, 2}, Mirrors: []Mirror{{In: [][2]int{{0, 3}}}}}, "input 3 is out of range [0, 3)"},
		{Arch{Layers: []int{3, 4, 2}, Mirrors: []Mirror{{In: [][2]int{{0, 1}, {1, 2}}}}}, "input 1 appears twice"},
		{Arch{Layers: []int{3, 4, 2}, Mirrors: []Mirror{{Out: [][2]int{{0, 2}}}}}, "output 2 is out of range [0, 2)"},
		{Arch{Layers: []int{CNNFeatures, 4, 3}, CNN: true, Output: OutputRacer, Mirrors: []Mirror{swap01}}, "not the CNN"},
	} {
		err := c.a.Validate()
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: error %v, want one containing %q", c.a.Layers, err, c.want)
		}
	}
}

// A rule file evolved with mirrors can seed a mirrored run again (its
// genome comes back whole); a file without the symmetry is refused.
func TestMirroredGenomeFromFile(t *testing.T) {
	a := Arch{Layers: []int{3, 2, 2}, Rule: DefaultRule, Mirrors: []Mirror{{In: [][2]int{{0, 1}}, Out: [][2]int{{0, 1}}}}}
	n := MustNewNetwork(a)
	theta := make([]float64, n.NumParams())
	for i := range theta {
		theta[i] = float64(i) / 4
	}
	if err := n.SetParams(theta); err != nil {
		t.Fatal(err)
	}
	loaded, err := FromNetwork(n, Meta{Env: "toy"}).NewNetwork()
	if err != nil {
		t.Fatal(err)
	}
	g, err := loaded.GenomeFor(a)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(g, theta) {
		t.Errorf("genome from the file %v, want %v", g, theta)
	}
	plain := a
	plain.Mirrors = nil
	u := MustNewNetwork(plain)
	full := make([]float64, u.NumParams())
	for i := range full {
		full[i] = float64(i)
	}
	if err := u.SetParams(full); err != nil {
		t.Fatal(err)
	}
	if _, err := u.GenomeFor(a); err == nil || !strings.Contains(err.Error(), "not evolved with these mirrors") {
		t.Errorf("an asymmetric file seeded a mirrored run: error %v", err)
	}
}

// A rule file records the mirrors it was evolved with: EvolvedParams
// counts the tied genome, and a file whose coefficients no longer respect
// its mirrors is refused on load with a message that says what to do.
func TestMirrorRuleFileRecordsTying(t *testing.T) {
	swap := Mirror{In: [][2]int{{0, 1}}, Out: [][2]int{{0, 1}}}
	a := Arch{Layers: []int{3, 2, 2}, Rule: DefaultRule, Mirrors: []Mirror{swap}}
	n := newRandNet(t, a, 1, 3)
	var buf bytes.Buffer
	if err := FromNetwork(n, Meta{Env: "toy"}).Encode(&buf); err != nil {
		t.Fatal(err)
	}
	rf, err := Decode(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if len(rf.Meta.Mirrors) != 1 || !slices.Equal(rf.Meta.Mirrors[0].In, swap.In) {
		t.Fatalf("meta mirrors %v, want [%v]", rf.Meta.Mirrors, swap)
	}
	// By hand (TestMirrorTiesByHand): 3 orbits in layer 0, 2 in layer 1.
	got, err := rf.EvolvedParams()
	if err != nil {
		t.Fatal(err)
	}
	if want := (3 + 2) * n.Rule().K; got != want {
		t.Errorf("EvolvedParams = %d, want %d", got, want)
	}
	if _, err := FromNetwork(n, Meta{Env: "toy"}).EvolvedParams(); err != nil {
		t.Fatal(err)
	}
	rf.Coeffs[0][0] += 0.5 // synapse (0,0) no longer equals its image (1,1)
	buf.Reset()
	if err := rf.Encode(&buf); err != nil {
		t.Fatal(err)
	}
	if _, err := Decode(buf.Bytes()); err == nil || !strings.Contains(err.Error(), "differs from its mirror image") || !strings.Contains(err.Error(), `remove "mirrors"`) {
		t.Errorf("a tampered mirrored file loaded: error %v", err)
	}
}
