package brain

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

var benchArchs = []struct {
	name   string
	layers []int
}{
	{"34-128-64-8", []int{34, 128, 64, 8}},
	{"648-128-64-3", []int{648, 128, 64, 3}},
}

// benchNet returns a network with N(0,1)-ish coefficients scaled small,
// reset, after one Forward.
func benchNet(b testing.TB, layers []int, rule string, norm bool) (*Network, []float32) {
	n, err := NewNetwork(Arch{Layers: layers, Rule: rule, Normalize: norm})
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	th := make([]float64, n.NumParams())
	for i := range th {
		th[i] = 0.01 * rng.NormFloat64()
	}
	if err := n.SetParams(th); err != nil {
		b.Fatal(err)
	}
	n.Reset(rng)
	obs := make([]float32, n.ObsSize())
	for i := range obs {
		obs[i] = float32(rng.Float64()*2 - 1)
	}
	n.Forward(obs)
	return n, obs
}

func BenchmarkForward(b *testing.B) {
	for _, a := range benchArchs {
		b.Run(a.name, func(b *testing.B) {
			n, obs := benchNet(b, a.layers, "ABCD_lr", false)
			b.ReportAllocs()
			for b.Loop() {
				n.Forward(obs)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n.Synapses()), "ns/synapse")
		})
	}
}

func BenchmarkUpdate(b *testing.B) {
	for _, a := range benchArchs {
		for _, rule := range []string{"ABCD_lr", "A", "ABCD_lr_D_in_and_out"} {
			for _, norm := range []bool{false, true} {
				name := fmt.Sprintf("%s/%s", a.name, rule)
				if norm {
					name += "+normalise"
				}
				b.Run(name, func(b *testing.B) {
					n, _ := benchNet(b, a.layers, rule, norm)
					b.ReportAllocs()
					for b.Loop() {
						n.Update()
					}
					b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n.Synapses()), "ns/synapse")
				})
			}
		}
	}
}

func BenchmarkCNN(b *testing.B) {
	n, obs := benchNet(b, []int{CNNFeatures, 128, 64, 3}, "ABCD_lr", true)
	_ = n
	c := newCNN()
	rng := rand.New(rand.NewPCG(3, 4))
	var w0 [cnnW0]float32
	var w1 [cnnW1]float32
	for i := range w0 {
		w0[i] = float32(rng.NormFloat64() * 0.3)
	}
	for i := range w1 {
		w1[i] = float32(rng.NormFloat64() * 0.1)
	}
	c.setWeights(w0[:], w1[:])
	pix := make([]float32, PixelObsSize)
	for i := range pix {
		pix[i] = float32(rng.Float64())
	}
	feat := make([]float32, CNNFeatures)
	_ = obs
	b.ReportAllocs()
	for b.Loop() {
		c.forward(pix, feat)
	}
}
