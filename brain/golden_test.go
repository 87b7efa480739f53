package brain

import (
	"hash/fnv"
	"math"
	"math/rand/v2"
	"testing"
)

// TestGolden pins the exact bits of an episode: a fixed genome, fixed
// random weights and fixed observations must give the same actions and
// weights on every platform and after every optimisation. If a change
// means to alter the numerics, update the hashes and say why.
func TestGolden(t *testing.T) {
	for _, tc := range []struct {
		name string
		a    Arch
		want uint64
	}{
		{"quadruped", Arch{Layers: []int{34, 128, 64, 8}, Normalize: true}, 0x2ba38725276f70de},
		{"racer-cnn", Arch{Layers: []int{CNNFeatures, 32, 3}, CNN: true, Output: OutputRacer, Normalize: true}, 0xa00f329d9d37fae4},
		{"D_in_and_out", Arch{Layers: []int{10, 9, 4}, Rule: "ABCD_lr_D_in_and_out"}, 0xbf0e0ceb25b526df},
	} {
		n := newRandNet(t, tc.a, 0.2, 17)
		rng := rand.New(rand.NewPCG(23, 29))
		h := fnv.New64a()
		put := func(v []float32) {
			var b [4]byte
			for _, x := range v {
				u := math.Float32bits(x)
				b[0], b[1], b[2], b[3] = byte(u), byte(u>>8), byte(u>>16), byte(u>>24)
				h.Write(b[:])
			}
		}
		obs := make([]float32, n.ObsSize())
		for step := 0; step < 30; step++ {
			for i := range obs {
				obs[i] = float32(rng.Float64())
			}
			put(n.Forward(obs))
			n.Update()
		}
		for _, L := range n.Layers() {
			put(L.W)
		}
		if got := h.Sum64(); got != tc.want {
			t.Errorf("%s: hash %#x, want %#x", tc.name, got, tc.want)
		}
	}
}
