package brain

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// naiveCNN is the reference network written the way PyTorch runs it
// (DESIGN.md §1): conv, tanh, then max-pool, in float64, OIHW weights,
// CHW flatten.
func naiveCNN(obs, w0, w1 []float32) []float64 {
	conv := func(in []float64, c, h, w int, wt []float32, o, k, stride int) ([]float64, int, int) {
		oh, ow := (h-k)/stride+1, (w-k)/stride+1
		out := make([]float64, o*oh*ow)
		for oc := 0; oc < o; oc++ {
			for y := 0; y < oh; y++ {
				for x := 0; x < ow; x++ {
					var s float64
					for ic := 0; ic < c; ic++ {
						for ky := 0; ky < k; ky++ {
							for kx := 0; kx < k; kx++ {
								s += in[(ic*h+y*stride+ky)*w+x*stride+kx] * float64(wt[((oc*c+ic)*k+ky)*k+kx])
							}
						}
					}
					out[(oc*oh+y)*ow+x] = math.Tanh(s)
				}
			}
		}
		return out, oh, ow
	}
	pool := func(in []float64, c, h, w int) ([]float64, int, int) {
		oh, ow := h/2, w/2
		out := make([]float64, c*oh*ow)
		for ch := 0; ch < c; ch++ {
			for y := 0; y < oh; y++ {
				for x := 0; x < ow; x++ {
					m := math.Inf(-1)
					for dy := 0; dy < 2; dy++ {
						for dx := 0; dx < 2; dx++ {
							m = math.Max(m, in[(ch*h+2*y+dy)*w+2*x+dx])
						}
					}
					out[(ch*oh+y)*ow+x] = m
				}
			}
		}
		return out, oh, ow
	}
	chw := make([]float64, PixelObsSize)
	for y := 0; y < PixelH; y++ {
		for x := 0; x < PixelW; x++ {
			for c := 0; c < PixelC; c++ {
				chw[(c*PixelH+y)*PixelW+x] = float64(obs[(y*PixelW+x)*PixelC+c])
			}
		}
	}
	a, h, w := conv(chw, 3, 84, 84, w0, 6, 3, 1)
	a, h, w = pool(a, 6, h, w)
	a, h, w = conv(a, 6, h, w, w1, 8, 5, 2)
	a, _, _ = pool(a, 8, h, w)
	return a
}

func TestCNNMatchesReference(t *testing.T) {
	if CNNFeatures != 648 || CNNParams != 1362 {
		t.Fatalf("CNN sizes %d features, %d weights; want 648, 1362", CNNFeatures, CNNParams)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	w0 := make([]float32, cnnW0)
	w1 := make([]float32, cnnW1)
	for i := range w0 {
		w0[i] = float32(rng.NormFloat64() * 0.4)
	}
	for i := range w1 {
		w1[i] = float32(rng.NormFloat64() * 0.2)
	}
	obs := make([]float32, PixelObsSize)
	for i := range obs {
		obs[i] = float32(rng.Float64())
	}
	want := naiveCNN(obs, w0, w1)
	if len(want) != CNNFeatures {
		t.Fatalf("reference gives %d features", len(want))
	}
	for _, avx := range []bool{false, true} {
		if avx && !useAVX2 {
			continue
		}
		saved := useAVX2
		useAVX2 = avx
		c := newCNN()
		c.setWeights(w0, w1)
		feat := make([]float32, CNNFeatures)
		c.forward(obs, feat)
		useAVX2 = saved
		worst := 0.0
		for i := range feat {
			worst = max(worst, math.Abs(float64(feat[i])-want[i]))
		}
		if worst > 2e-5 {
			t.Errorf("avx2=%v: CNN features differ from the reference by up to %g", avx, worst)
		}
	}
}

// TestCNNInNetwork checks that the CNN's features feed layer 0 and that
// conv weights come from the genome's tail.
func TestCNNInNetwork(t *testing.T) {
	n := newRandNet(t, Arch{Layers: []int{CNNFeatures, 16, 3}, CNN: true, Output: OutputRacer}, 0.3, 5)
	theta := make([]float64, n.NumParams())
	n.Params(theta)
	tail := theta[len(theta)-CNNParams:]
	w0, w1 := make([]float32, cnnW0), make([]float32, cnnW1)
	for i := range w0 {
		w0[i] = float32(tail[i])
	}
	for i := range w1 {
		w1[i] = float32(tail[cnnW0+i])
	}
	rng := rand.New(rand.NewPCG(3, 3))
	obs := make([]float32, PixelObsSize)
	for i := range obs {
		obs[i] = float32(rng.Float64())
	}
	n.Forward(obs)
	want := naiveCNN(obs, w0, w1)
	for i, v := range n.Layers()[0].Pre {
		if math.Abs(float64(v)-want[i]) > 2e-5 {
			t.Fatalf("feature %d: have %v, want %v", i, v, want[i])
		}
	}
	// Reset redraws the dense weights but keeps the evolved conv weights.
	before := slices.Clone(n.Layers()[0].Pre)
	n.Reset(rng)
	n.Forward(obs)
	if !slices.Equal(before, n.Layers()[0].Pre) {
		t.Error("Reset changed the conv features")
	}
}
