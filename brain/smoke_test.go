package brain

import (
	"math/rand/v2"
	"testing"
)

func TestSmoke(t *testing.T) {
	for _, r := range RuleNames() {
		n, err := NewNetwork(Arch{Layers: []int{34, 128, 64, 8}, Rule: r, Normalize: true})
		if err != nil {
			t.Fatal(err)
		}
		th := make([]float64, n.NumParams())
		rng := rand.New(rand.NewPCG(1, 2))
		for i := range th {
			th[i] = rng.NormFloat64()
		}
		if err := n.SetParams(th); err != nil {
			t.Fatal(err)
		}
		n.Reset(rng)
		obs := make([]float32, 34)
		for s := 0; s < 10; s++ {
			a := n.Forward(obs)
			n.Update()
			_ = a
		}
		rf := FromNetwork(n, Meta{Env: "quadruped"})
		p := t.TempDir() + "/f.npz"
		if err := rf.Save(p); err != nil {
			t.Fatal(err)
		}
		if _, err := Load(p); err != nil {
			t.Fatal(err)
		}
	}
}
