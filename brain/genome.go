package brain

import (
	"fmt"
	"math"
)

// NumParams is the genome length: for a plastic network Σ_l Out·In·K (the
// coefficients of every layer, in file layout), for a static one Σ_l Out·In
// (the weights); then CNNParams conv weights if the network has the CNN.
func (n *Network) NumParams() int {
	k := max(n.rule.K, 1)
	p := 0
	for _, L := range n.layers {
		p += L.In * L.Out * k
	}
	if n.cnn != nil {
		p += CNNParams
	}
	return p
}

// Params writes the genome into dst, which must have NumParams values.
func (n *Network) Params(dst []float64) {
	if len(dst) != n.NumParams() {
		panic(fmt.Sprintf("brain: Params: dst has %d values, want %d", len(dst), n.NumParams()))
	}
	o := 0
	for _, L := range n.layers {
		src := L.Coeffs
		if n.rule.Static() {
			src = L.W
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
	for _, L := range n.layers {
		dst := L.Coeffs
		if n.rule.Static() {
			dst = L.W
		}
		for i := range dst {
			dst[i] = float32(theta[o])
			o++
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
