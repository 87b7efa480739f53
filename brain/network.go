package brain

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
)

// Output says how the last layer's linear sums become the action.
// The zero value is OutputTanh.
type Output int

const (
	// OutputTanh: action = tanh(h) (the quadruped). The last layer's Post,
	// which the rule sees, is tanh(h) too.
	OutputTanh Output = iota
	// OutputRacer: action = [tanh(h0), sigmoid(h1), sigmoid(h2)] (steer,
	// gas, brake); the rule sees the raw h, as in the reference CarRacing
	// code. Needs 3 outputs.
	OutputRacer
	// OutputLinear: action = h; the rule sees h.
	OutputLinear
	// OutputRacerClip: action = [tanh(h0), clamp(h1, 0, 1), clamp(h2,
	// 0, 1)]; the rule sees the raw h. Gym's action bounds, reached by
	// clipping: h ≤ 0 is no gas and no brake. With sigmoids a network
	// whose sums stay within about ±1 (the evolved Hebbian racers') never
	// gets its gas much below 0.25, and traction control needs < 0.15
	// (docs/adaptation.md, R-H8).
	OutputRacerClip
)

var outputNames = []string{"tanh", "racer", "linear", "racer-clip"}

func (o Output) String() string {
	if o >= 0 && int(o) < len(outputNames) {
		return outputNames[o]
	}
	return fmt.Sprintf("Output(%d)", int(o))
}

// OutputNames lists the outputs by name, in ParseOutput's spelling.
func OutputNames() []string { return slices.Clone(outputNames) }

// ParseOutput turns "tanh", "racer", "linear" or "racer-clip" into an
// Output.
func ParseOutput(s string) (Output, error) {
	for i, n := range outputNames {
		if n == s {
			return Output(i), nil
		}
	}
	return 0, fmt.Errorf("brain: unknown output %q (valid: %s)", s, strings.Join(outputNames, ", "))
}

// Init is the distribution plastic weights are drawn from at every Reset.
// The zero value is U[-0.1, 0.1], the paper's.
type Init struct {
	// Dist is "uniform" (U[-Scale, Scale]; "" means uniform), "normal"
	// (N(0, Scale²)) or "xavier" (U[-b, b], b = Scale·sqrt(6/(in+out)),
	// Glorot & Bengio 2010).
	Dist string `json:"dist"`
	// Scale is 0.1 for uniform and normal and 1 (the gain) for xavier when
	// zero.
	Scale float32 `json:"scale"`
}

func (in Init) resolved() (Init, error) {
	if in.Dist == "" {
		in.Dist = "uniform"
	}
	switch in.Dist {
	case "uniform", "normal":
		if in.Scale == 0 {
			in.Scale = 0.1
		}
	case "xavier":
		if in.Scale == 0 {
			in.Scale = 1
		}
	default:
		return in, fmt.Errorf("brain: unknown init distribution %q (valid: uniform, normal, xavier)", in.Dist)
	}
	if !(in.Scale > 0) || math.IsInf(float64(in.Scale), 0) {
		return in, fmt.Errorf("brain: init scale %v is not a positive finite number", in.Scale)
	}
	return in, nil
}

// Arch describes a network. Zero values: Rule "" is ABCD_lr, Output is
// tanh, Init is U[-0.1, 0.1], no CNN, no normalisation.
type Arch struct {
	// Layers are the layer sizes, input first: {34, 128, 64, 8}. With CNN
	// the first must be CNNFeatures (648).
	Layers []int
	// CNN puts the racer CNN in front: observations are 84×84×3 pixels
	// (PixelObsSize floats, HWC, see doc.go).
	CNN       bool
	Output    Output
	Rule      string
	Normalize bool
	Init      Init
	// Mirrors tie the genome of synapses that are each other's mirror
	// image (see Mirror); none: every synapse has its own genes.
	Mirrors []Mirror
}

// Limits on what NewNetwork (and so Load) accepts, checked before any
// allocation.
const (
	MaxLayers   = 16
	MaxWidth    = 1 << 16
	MaxSynapses = 1 << 24 // 16.8 M synapses; ×6 coefficients ×4 bytes = 400 MB
)

// Validate checks the architecture and returns a one-line error naming the
// problem.
func (a Arch) Validate() error {
	_, _, err := a.check()
	return err
}

func (a Arch) check() (Rule, Init, error) {
	r, err := RuleByName(a.Rule)
	if err != nil {
		return r, Init{}, err
	}
	in, err := a.Init.resolved()
	if err != nil {
		return r, in, err
	}
	if len(a.Layers) < 2 {
		return r, in, fmt.Errorf("brain: layers %v: need at least an input and an output size", a.Layers)
	}
	if len(a.Layers) > MaxLayers+1 {
		return r, in, fmt.Errorf("brain: %d layer sizes, at most %d allowed", len(a.Layers), MaxLayers+1)
	}
	syn := 0
	for i, s := range a.Layers {
		if s < 1 || s > MaxWidth {
			return r, in, fmt.Errorf("brain: layer size %d at position %d is out of range [1, %d]", s, i, MaxWidth)
		}
		if i > 0 {
			syn += a.Layers[i-1] * s
		}
	}
	if syn > MaxSynapses {
		return r, in, fmt.Errorf("brain: layers %v have %d synapses, more than the limit %d", a.Layers, syn, MaxSynapses)
	}
	if err := a.checkMirrors(); err != nil {
		return r, in, err
	}
	if a.CNN && a.Layers[0] != CNNFeatures {
		return r, in, fmt.Errorf("brain: with the CNN the first layer size must be %d, not %d", CNNFeatures, a.Layers[0])
	}
	switch a.Output {
	case OutputTanh, OutputLinear:
	case OutputRacer, OutputRacerClip:
		if o := a.Layers[len(a.Layers)-1]; o != 3 {
			return r, in, fmt.Errorf("brain: racer output needs 3 outputs, layers end in %d", o)
		}
	default:
		return r, in, fmt.Errorf("brain: unknown output %d", int(a.Output))
	}
	return r, in, nil
}

// Layer is one dense layer, exposed for visualisation. Treat every field
// as read-only: change coefficients or weights through Network.SetParams.
type Layer struct {
	In, Out int
	K       int // coefficients per synapse (0 when static)
	// W holds the weights, row-major: W[j*In+i] is the synapse from input i
	// to output j.
	W []float32
	// DW is the Δw of the last Update (before normalisation), same layout.
	DW []float32
	// Pre is the layer's input in the last Forward; Post its output (after
	// tanh, or raw for a linear or racer last layer). Pre of layer l+1 is
	// Post of layer l.
	Pre, Post []float32
	// Coeffs holds the rule coefficients in file layout (Out, In, K):
	// coefficient c of synapse (j, i) is Coeffs[(j*In+i)*K+c]. Nil when
	// static.
	Coeffs []float32
	// MaxAbs is max|w| before the last normalisation (0 if none ran).
	MaxAbs float32

	// planes holds the same coefficients plane by plane (structure of
	// arrays: coefficient c of synapse s at planes[c][s]), the layout the
	// update loop streams fastest.
	planes [][]float32
}

// Network is a feed-forward network without biases whose dense weights
// change by a Hebbian rule during an episode. It implements sim.Controller.
// A Network is not safe for concurrent use; give each worker its own
// (Clone).
type Network struct {
	arch   Arch
	rule   Rule
	init   Init
	layers []*Layer
	cnn    *cnn
	tie    *tying // nil: every synapse has its own genes
	obsLen int
	action []float32
}

// NewNetwork builds a network for a. Its coefficients (or, if static, its
// weights) and conv weights are zero until SetParams; plastic weights are
// zero until Reset.
func NewNetwork(a Arch) (*Network, error) {
	r, in, err := a.check()
	if err != nil {
		return nil, err
	}
	a.Layers = append([]int(nil), a.Layers...)
	a.Mirrors = cloneMirrors(a.Mirrors)
	a.Rule = r.Name
	a.Init = in
	n := &Network{arch: a, rule: r, init: in, tie: newTying(a)}
	n.obsLen = a.Layers[0]
	if a.CNN {
		n.cnn = newCNN()
		n.obsLen = PixelObsSize
	}
	prev := make([]float32, a.Layers[0])
	for l := 1; l < len(a.Layers); l++ {
		L := &Layer{In: a.Layers[l-1], Out: a.Layers[l], K: r.K}
		s := L.In * L.Out
		// W, DW and the coefficient planes live in one slab, each region
		// starting at a different offset modulo 4 KiB (320 bytes apart): the
		// update streams K+2 arrays at once, and with regions 4 KiB-aligned
		// they would map to the same L1 sets and alias. Interleaved runs on
		// the quadruped net: ABCD_lr + normalise 0.54–0.65 ns per synapse
		// with the offsets, 0.66–1.16 without.
		stride := (s+1023)/1024*1024 + 80
		slab := make([]float32, (2+r.K)*stride)
		L.W = slab[0:s:s]
		L.DW = slab[stride : stride+s : stride+s]
		L.Pre = prev
		L.Post = make([]float32, L.Out)
		prev = L.Post
		if r.K > 0 {
			L.Coeffs = make([]float32, s*r.K)
			for c := 0; c < r.K; c++ {
				o := (2 + c) * stride
				L.planes = append(L.planes, slab[o:o+s:o+s])
			}
		}
		n.layers = append(n.layers, L)
	}
	n.action = make([]float32, a.Layers[len(a.Layers)-1])
	return n, nil
}

// MustNewNetwork is NewNetwork for architectures fixed in code; it panics
// on error.
func MustNewNetwork(a Arch) *Network {
	n, err := NewNetwork(a)
	if err != nil {
		panic(err)
	}
	return n
}

// Arch returns the network's architecture, with defaults filled in.
func (n *Network) Arch() Arch {
	a := n.arch
	a.Layers = append([]int(nil), a.Layers...)
	a.Mirrors = cloneMirrors(a.Mirrors)
	return a
}

// Rule returns the network's plasticity rule.
func (n *Network) Rule() Rule { return n.rule }

// Layers returns the dense layers, input side first. The pointers stay
// valid for the network's life.
func (n *Network) Layers() []*Layer { return n.layers }

// ObsSize is the length of the observation Forward expects.
func (n *Network) ObsSize() int { return n.obsLen }

// ActionSize is the length of the action Forward returns.
func (n *Network) ActionSize() int { return len(n.action) }

// Synapses counts the dense synapses.
func (n *Network) Synapses() int {
	s := 0
	for _, L := range n.layers {
		s += L.In * L.Out
	}
	return s
}

// Clone returns an independent copy (for parallel workers).
func (n *Network) Clone() *Network {
	c := MustNewNetwork(n.arch)
	for l, L := range n.layers {
		C := c.layers[l]
		copy(C.W, L.W)
		copy(C.DW, L.DW)
		copy(C.Pre, L.Pre)
		copy(C.Post, L.Post)
		copy(C.Coeffs, L.Coeffs)
		for c := range L.planes {
			copy(C.planes[c], L.planes[c])
		}
		C.MaxAbs = L.MaxAbs
	}
	if n.cnn != nil {
		c.cnn.setWeights(n.cnn.w0[:], n.cnn.w1[:])
	}
	copy(c.action, n.action)
	return c
}

// Reset starts an episode: every plastic weight is drawn fresh from rng
// (layer by layer, row-major) and the activations and Δw are cleared. A
// static network keeps its evolved weights.
func (n *Network) Reset(rng *rand.Rand) {
	for _, L := range n.layers {
		clear(L.DW)
		clear(L.Pre)
		clear(L.Post)
		L.MaxAbs = 0
		if n.rule.Static() {
			continue
		}
		switch n.init.Dist {
		case "uniform":
			s := float64(n.init.Scale)
			for i := range L.W {
				L.W[i] = float32((2*rng.Float64() - 1) * s)
			}
		case "normal":
			s := float64(n.init.Scale)
			for i := range L.W {
				L.W[i] = float32(rng.NormFloat64() * s)
			}
		case "xavier":
			s := float64(n.init.Scale) * math.Sqrt(6/float64(L.In+L.Out))
			for i := range L.W {
				L.W[i] = float32((2*rng.Float64() - 1) * s)
			}
		default:
			panic("brain: unreachable init " + n.init.Dist)
		}
	}
	clear(n.action)
}

// Forward maps an observation to an action. obs must have ObsSize values
// (a programmer error otherwise: it panics). The returned slice is owned by
// the network and valid until the next Forward. It does not allocate.
func (n *Network) Forward(obs []float32) []float32 {
	if len(obs) != n.obsLen {
		panic(fmt.Sprintf("brain: Forward: observation has %d values, want %d", len(obs), n.obsLen))
	}
	in := n.layers[0].Pre
	if n.cnn != nil {
		n.cnn.forward(obs, in)
	} else {
		copy(in, obs)
	}
	last := len(n.layers) - 1
	for l, L := range n.layers {
		matVec(L.W, L.Pre, L.Post)
		if l < last || n.arch.Output == OutputTanh {
			tanhInPlace(L.Post)
		}
	}
	out := n.layers[last].Post
	switch n.arch.Output {
	case OutputRacer:
		n.action[0] = tanh32(out[0])
		n.action[1] = sigmoid32(out[1])
		n.action[2] = sigmoid32(out[2])
	case OutputRacerClip:
		n.action[0] = tanh32(out[0])
		n.action[1] = min(max(out[1], 0), 1)
		n.action[2] = min(max(out[2], 0), 1)
	default:
		copy(n.action, out)
	}
	return n.action
}

// Update applies the rule to every layer with the Pre and Post of the last
// Forward, records Δw in DW and, if the architecture says Normalize,
// divides each layer's weights by their max |w|. No-op when static. It does
// not allocate.
func (n *Network) Update() {
	if n.rule.Static() {
		return
	}
	for _, L := range n.layers {
		m := updateLayer(n.rule.kind, L)
		if n.arch.Normalize {
			L.MaxAbs = m
			if m > 0 && !math.IsInf(float64(m), 0) {
				scale(L.W, 1/m)
			}
		}
	}
}

// matVec sets y = W·x for W of shape (len(y), len(x)), each row by dot8.
func matVec(w, x, y []float32) {
	in := len(x)
	if n8 := in &^ 7; useAVX2 && n8 > 0 {
		_ = w[len(y)*in-1]
		dotRowsAVX2(&w[0], &x[0], &y[0], len(y), n8, in)
		if n8 < in {
			for j := range y {
				y[j] = dotTail(w[j*in+n8:(j+1)*in], x[n8:], y[j])
			}
		}
		return
	}
	for j := range y {
		y[j] = dot8(w[j*in:(j+1)*in], x)
	}
}

// dot8 is Σ a_i·b_i in eight interleaved partial sums (lane k takes
// i ≡ k mod 8) reduced as ((s0+s4)+(s2+s6)) + ((s1+s5)+(s3+s7)), then the
// elements past the last multiple of 8 in order: the arithmetic of
// dotRowsAVX2 and dotTail, so both paths give the same bits. float32()
// around each product stops arm64 from fusing it into an FMA.
func dot8(a, b []float32) float32 {
	b = b[:len(a)]
	var s0, s1, s2, s3, s4, s5, s6, s7 float32
	n8 := len(a) &^ 7
	for i := 0; i < n8; i += 8 {
		aa := a[i : i+8 : i+8]
		bb := b[i : i+8 : i+8]
		s0 += float32(aa[0] * bb[0])
		s1 += float32(aa[1] * bb[1])
		s2 += float32(aa[2] * bb[2])
		s3 += float32(aa[3] * bb[3])
		s4 += float32(aa[4] * bb[4])
		s5 += float32(aa[5] * bb[5])
		s6 += float32(aa[6] * bb[6])
		s7 += float32(aa[7] * bb[7])
	}
	s := ((s0 + s4) + (s2 + s6)) + ((s1 + s5) + (s3 + s7))
	return dotTail(a[n8:], b[n8:], s)
}

// dotTail adds Σ a_i·b_i to s in order.
func dotTail(a, b []float32, s float32) float32 {
	b = b[:len(a)]
	for i := range a {
		s += float32(a[i] * b[i])
	}
	return s
}

func scale(w []float32, s float32) {
	if n8 := len(w) &^ 7; useAVX2 && n8 > 0 {
		scaleAVX2(&w[0], n8, s)
		w = w[n8:]
	}
	for i := range w {
		w[i] *= s
	}
}

// sigmoid32 is σ(x) = (1 + tanh(x/2))/2, through tanh32 so that it is
// the same on every platform (math.Exp has per-architecture assembly).
func sigmoid32(x float32) float32 {
	return 0.5 + float32(0.5*tanh32(0.5*x))
}

// tanhInPlace sets v[i] = tanh32(v[i]), 8 at a time with AVX2.
func tanhInPlace(v []float32) {
	if n8 := len(v) &^ 7; useAVX2 && n8 > 0 {
		tanhAVX2(&v[0], n8, &tanhConsts[0])
		v = v[n8:]
	}
	for i, x := range v {
		v[i] = tanh32(x)
	}
}

// tanhConsts are tanh32's constants as float32 bits, for tanhAVX2:
// clamp, -clamp, 0.0004, the abs mask, a13…a1, b6…b0.
var tanhConsts = [15]uint32{
	math.Float32bits(tanhClamp), math.Float32bits(-tanhClamp), math.Float32bits(tanhSmall), 0x7fffffff,
	math.Float32bits(tanhA13), math.Float32bits(tanhA11), math.Float32bits(tanhA9), math.Float32bits(tanhA7),
	math.Float32bits(tanhA5), math.Float32bits(tanhA3), math.Float32bits(tanhA1),
	math.Float32bits(tanhB6), math.Float32bits(tanhB4), math.Float32bits(tanhB2), math.Float32bits(tanhB0),
}

const (
	tanhClamp float32 = 7.90531110763549805
	tanhSmall float32 = 0.0004
	tanhA1    float32 = 4.89352455891786e-03
	tanhA3    float32 = 6.37261928875436e-04
	tanhA5    float32 = 1.48572235717979e-05
	tanhA7    float32 = 5.12229709037114e-08
	tanhA9    float32 = -8.60467152213735e-11
	tanhA11   float32 = 2.00018790482477e-13
	tanhA13   float32 = -2.76076847742355e-16
	tanhB0    float32 = 4.89352518554385e-03
	tanhB2    float32 = 2.26843463243900e-03
	tanhB4    float32 = 1.18534705686654e-04
	tanhB6    float32 = 1.19825839466702e-06
)

// tanh32 is a float32 rational approximation of tanh (the one Eigen and XLA
// use, "generic_fast_tanh_float"): a degree-13/6 odd/even polynomial ratio
// on [-7.9053, 7.9053], accurate to a few float32 ulps, and ~5× faster than
// math.Tanh. Beyond the clamp tanh is ±1 in float32.
func tanh32(x float32) float32 {
	if x != x {
		return x
	}
	if x > tanhClamp {
		x = tanhClamp
	} else if x < -tanhClamp {
		x = -tanhClamp
	}
	if x < tanhSmall && x > -tanhSmall {
		return x
	}
	x2 := x * x
	p := tanhA13
	p = float32(p*x2) + tanhA11
	p = float32(p*x2) + tanhA9
	p = float32(p*x2) + tanhA7
	p = float32(p*x2) + tanhA5
	p = float32(p*x2) + tanhA3
	p = float32(p*x2) + tanhA1
	p *= x
	q := tanhB6
	q = float32(q*x2) + tanhB4
	q = float32(q*x2) + tanhB2
	q = float32(q*x2) + tanhB0
	return p / q
}
