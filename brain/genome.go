package brain

import (
	"fmt"
	"math"
)

// NumParams is the genome length: for a plastic network Σ_l Out·In·K (the
// coefficients of every layer, in file layout), for a static one Σ_l Out·In
// (the weights); then CNNParams conv weights if the network has the CNN.
// With mirrors each layer has one K-tuple (static: one weight) per orbit
// of synapses instead of per synapse, in the order of each orbit's first
// synapse.
func (n *Network) NumParams() int {
	p := 0
	for _, c := range n.LayerParams() {
		p += c
	}
	if n.cnn != nil {
		p += CNNParams
	}
	return p
}

// LayerParams is the genome length of each dense layer, in genome order.
func (n *Network) LayerParams() []int {
	k := max(n.rule.K, 1)
	ps := make([]int, len(n.layers))
	for l, L := range n.layers {
		ps[l] = L.In * L.Out * k
		if n.tie != nil {
			ps[l] = n.tie.count[l] * k
		}
	}
	return ps
}

// Params writes the genome into dst, which must have NumParams values.
func (n *Network) Params(dst []float64) {
	if len(dst) != n.NumParams() {
		panic(fmt.Sprintf("brain: Params: dst has %d values, want %d", len(dst), n.NumParams()))
	}
	o := 0
	k := max(n.rule.K, 1)
	for l, L := range n.layers {
		src := L.Coeffs
		if n.rule.Static() {
			src = L.W
		}
		if n.tie != nil {
			// Each slot from its orbit's first synapse (all are equal).
			for s, slot := range n.tie.slots[l] {
				for c := range k {
					dst[o+int(slot)*k+c] = float64(src[s*k+c])
				}
			}
			o += n.tie.count[l] * k
			continue
		}
		for _, v := range src {
			dst[o] = float64(v)
			o++
		}
	}
	if n.cnn != nil {
		for _, v := range n.cnn.w0 {
			dst[o] = float64(v)
			o++
		}
		for _, v := range n.cnn.w1 {
			dst[o] = float64(v)
			o++
		}
	}
}

// SetParams sets the genome (layout as in NumParams). Values are rounded
// to float32. A wrong length or a value that is not finite in float32 is
// an error and leaves the network unchanged.
func (n *Network) SetParams(theta []float64) error {
	if len(theta) != n.NumParams() {
		return fmt.Errorf("brain: genome has %d values, network %v/%s needs %d", len(theta), n.arch.Layers, n.rule.Name, n.NumParams())
	}
	for i, v := range theta {
		if f := float32(v); math.IsNaN(v) || math.IsInf(float64(f), 0) {
			return fmt.Errorf("brain: genome value %d is %v, not finite in float32", i, v)
		}
	}
	o := 0
	k := max(n.rule.K, 1)
	for l, L := range n.layers {
		dst := L.Coeffs
		if n.rule.Static() {
			dst = L.W
		}
		if n.tie != nil {
			for s, slot := range n.tie.slots[l] {
				for c := range k {
					dst[s*k+c] = float32(theta[o+int(slot)*k+c])
				}
			}
			o += n.tie.count[l] * k
		} else {
			for i := range dst {
				dst[i] = float32(theta[o])
				o++
			}
		}
		L.syncPlanes()
	}
	if n.cnn != nil {
		var w0 [cnnW0]float32
		var w1 [cnnW1]float32
		for i := range w0 {
			w0[i] = float32(theta[o])
			o++
		}
		for i := range w1 {
			w1[i] = float32(theta[o])
			o++
		}
		n.cnn.setWeights(w0[:], w1[:])
	}
	return nil
}

// syncPlanes copies Coeffs (Out, In, K) into the per-coefficient planes the
// update loop reads.
func (L *Layer) syncPlanes() {
	if L.K == 0 {
		return
	}
	for syn := range L.In * L.Out {
		row := L.Coeffs[syn*L.K : (syn+1)*L.K]
		for c, v := range row {
			L.planes[c][syn] = v
		}
	}
}

// GenomeFor returns n's genome laid out for a network of architecture to,
// which must be n's own or differ only in more inputs to the first layer
// (a sensor added to a body): the new inputs' synapses get zero
// coefficients (a static network: zero weights), so the network starts as
// n did (but for the normalisation, which also sees the new synapses'
// random starting weights) and evolution decides what the new sensor is
// worth. Used to fine-tune a rule file, also after adding an
// observation (a pixel network's only as it is).
func (n *Network) GenomeFor(to Arch) ([]float64, error) {
	from := n.Arch()
	if len(from.Mirrors) > 0 {
		return nil, fmt.Errorf("brain: GenomeFor: the source network has mirrors; save it to a rule file and load that")
	}
	if len(to.Mirrors) > 0 {
		return n.mirroredGenome(to, "it was not evolved with these mirrors (start the mirrored run from scratch, or leave out --mirror)")
	}
	same := len(to.Layers) == len(from.Layers) && to.CNN == from.CNN && to.Rule == from.Rule
	for i := 1; same && i < len(to.Layers); i++ {
		same = to.Layers[i] == from.Layers[i]
	}
	// A CNN network's genome starts with the convolutions': it can go on
	// (a fine-tune) but not grow inputs, which are the CNN's features.
	if !same || to.Layers[0] < from.Layers[0] || (to.CNN && to.Layers[0] != from.Layers[0]) {
		hint := "only more inputs to the first layer can be added"
		if to.CNN || from.CNN {
			hint = "a pixel network can only start from one of its own shape and rule"
		}
		return nil, fmt.Errorf("brain: a %v %s network cannot start from a %v %s one (%s)", to.Layers, to.Rule, from.Layers, from.Rule, hint)
	}
	theta := make([]float64, n.NumParams())
	n.Params(theta)
	in0, in1, k := from.Layers[0], to.Layers[0], max(n.rule.K, 1)
	if in1 == in0 {
		return theta, nil
	}
	out := make([]float64, 0, len(theta)+(in1-in0)*from.Layers[1]*k)
	first := theta[:in0*from.Layers[1]*k]
	for j := 0; j < from.Layers[1]; j++ { // layout (Out, In, K)
		out = append(out, first[j*in0*k:(j+1)*in0*k]...)
		out = append(out, make([]float64, (in1-in0)*k)...)
	}
	return append(out, theta[len(first):]...), nil
}
