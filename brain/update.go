package brain

import "math"

// updateLayer applies the rule of kind k to L and returns the new max |w|.
//
// For output j with activation p = Post[j] every rule is rewritten so that
// the terms that depend only on j are hoisted out of the inner loop, e.g.
// ABCD_lr: Δw_ji = η_ji·(pre_i·(A_ji·p + B_ji) + C_ji·p + D_ji). The
// coefficients are read plane by plane (structure of arrays), so the inner
// loop streams K+2 contiguous float32 slices without bounds checks.
func updateLayer(k ruleKind, L *Layer) float32 {
	var mx uint32
	in := L.In
	if n8 := in &^ 7; useAVX2 && n8 > 0 {
		// AVX2 on the first n8 synapses of every row, the Go loop on the
		// rest: the same arithmetic, so the same bits.
		var pl [6][]float32 // A, B, C, D (or D_in), eta, D_out
		for c, idx := range planeSlots[k] {
			pl[idx] = L.planes[c]
		}
		for i := range pl {
			if pl[i] == nil {
				pl[i] = L.W // never read by this rule's kernel; any valid pointer
			}
		}
		kern := avxKernels[k]
		for j, p := range L.Post {
			lo := j * in
			m := kern(&L.W[lo], &L.DW[lo], &L.Pre[0], &pl[0][lo], &pl[1][lo], &pl[2][lo], &pl[3][lo], &pl[4][lo], &pl[5][lo], n8, p)
			mx = max(mx, m)
		}
		if n8 == in {
			return math.Float32frombits(mx)
		}
		return math.Float32frombits(max(mx, updateRows(k, L, n8)))
	}
	return math.Float32frombits(updateRows(k, L, 0))
}

// planeSlots maps each rule's coefficient columns (CoeffNames order) to
// the kernel's slots A, B, C, D, eta, D_out (0…5).
var planeSlots = [...][]int{
	kindA:            {0},
	kindAD:           {0, 3},
	kindADlr:         {0, 3, 4},
	kindABC:          {0, 1, 2},
	kindABClr:        {0, 1, 2, 4},
	kindABCD:         {0, 1, 2, 3},
	kindABCDlr:       {0, 1, 2, 3, 4},
	kindABCDlrDout:   {0, 1, 2, 5, 4},
	kindABCDlrDinout: {0, 1, 2, 3, 4, 5},
}

// updateRows runs the Go loop of rule k on columns [from, In) of every row
// and returns the max bits of |w| there.
func updateRows(k ruleKind, L *Layer, from int) uint32 {
	pl := L.planes
	var mx uint32
	in := L.In
	pre := L.Pre[from:]
	for j, p := range L.Post {
		lo, hi := j*in+from, (j+1)*in
		w, dw := L.W[lo:hi], L.DW[lo:hi]
		plane := func(c int) []float32 { return pl[c][lo:hi] }
		var m uint32
		switch k {
		case kindA:
			m = updA(w, dw, pre, plane(0), p)
		case kindAD:
			m = updAD(w, dw, pre, plane(0), plane(1), p)
		case kindADlr:
			m = updADlr(w, dw, pre, plane(0), plane(1), plane(2), p)
		case kindABC:
			m = updABC(w, dw, pre, plane(0), plane(1), plane(2), p)
		case kindABClr:
			m = updABClr(w, dw, pre, plane(0), plane(1), plane(2), plane(3), p)
		case kindABCD:
			m = updABCD(w, dw, pre, plane(0), plane(1), plane(2), plane(3), p)
		case kindABCDlr:
			m = updABCDlr(w, dw, pre, plane(0), plane(1), plane(2), plane(3), plane(4), p)
		case kindABCDlrDout:
			m = updABCDlrDout(w, dw, pre, plane(0), plane(1), plane(2), plane(3), plane(4), p)
		case kindABCDlrDinout:
			m = updABCDlrDinout(w, dw, pre, plane(0), plane(1), plane(2), plane(3), plane(4), plane(5), p)
		default:
			panic("brain: updateLayer: bad rule kind")
		}
		mx = max(mx, m)
	}
	return mx
}

// Products are wrapped in float32(...) wherever an add follows: the Go spec
// forbids fusing an explicitly converted product into an FMA, so arm64
// (which fuses x*y+z otherwise) computes the same bits as amd64 and the
// AVX2 kernels.

// absBits returns the bits of |v|; for non-NaN floats their order as uint32
// is the order of |v|, which makes a branch-free running max. A NaN weight
// compares above +Inf, so it surfaces as a non-finite MaxAbs.
func absBits(v float32) uint32 { return math.Float32bits(v) &^ (1 << 31) }

func updA(w, dw, pre, a []float32, p float32) (m uint32) {
	dw, pre, a = dw[:len(w)], pre[:len(w)], a[:len(w)]
	for i := range w {
		d := a[i] * (pre[i] * p)
		dw[i] = d
		v := w[i] + d
		w[i] = v
		m = max(m, absBits(v))
	}
	return m
}

func updAD(w, dw, pre, a, dd []float32, p float32) (m uint32) {
	dw, pre, a, dd = dw[:len(w)], pre[:len(w)], a[:len(w)], dd[:len(w)]
	for i := range w {
		d := float32(a[i]*(pre[i]*p)) + dd[i]
		dw[i] = d
		v := w[i] + d
		w[i] = v
		m = max(m, absBits(v))
	}
	return m
}

func updADlr(w, dw, pre, a, dd, eta []float32, p float32) (m uint32) {
	dw, pre, a, dd, eta = dw[:len(w)], pre[:len(w)], a[:len(w)], dd[:len(w)], eta[:len(w)]
	for i := range w {
		d := eta[i] * (float32(a[i]*(pre[i]*p)) + dd[i])
		dw[i] = d
		v := w[i] + d
		w[i] = v
		m = max(m, absBits(v))
	}
	return m
}

func updABC(w, dw, pre, a, b, c []float32, p float32) (m uint32) {
	dw, pre, a, b, c = dw[:len(w)], pre[:len(w)], a[:len(w)], b[:len(w)], c[:len(w)]
	for i := range w {
		d := float32(pre[i]*(float32(a[i]*p)+b[i])) + float32(c[i]*p)
		dw[i] = d
		v := w[i] + d
		w[i] = v
		m = max(m, absBits(v))
	}
	return m
}

func updABClr(w, dw, pre, a, b, c, eta []float32, p float32) (m uint32) {
	dw, pre, a, b, c, eta = dw[:len(w)], pre[:len(w)], a[:len(w)], b[:len(w)], c[:len(w)], eta[:len(w)]
	for i := range w {
		d := eta[i] * (float32(pre[i]*(float32(a[i]*p)+b[i])) + float32(c[i]*p))
		dw[i] = d
		v := w[i] + d
		w[i] = v
		m = max(m, absBits(v))
	}
	return m
}

func updABCD(w, dw, pre, a, b, c, dd []float32, p float32) (m uint32) {
	dw, pre, a, b, c, dd = dw[:len(w)], pre[:len(w)], a[:len(w)], b[:len(w)], c[:len(w)], dd[:len(w)]
	for i := range w {
		d := float32(pre[i]*(float32(a[i]*p)+b[i])) + float32(c[i]*p) + dd[i]
		dw[i] = d
		v := w[i] + d
		w[i] = v
		m = max(m, absBits(v))
	}
	return m
}

func updABCDlr(w, dw, pre, a, b, c, dd, eta []float32, p float32) (m uint32) {
	dw, pre, a, b, c, dd, eta = dw[:len(w)], pre[:len(w)], a[:len(w)], b[:len(w)], c[:len(w)], dd[:len(w)], eta[:len(w)]
	for i := range w {
		d := eta[i] * (float32(pre[i]*(float32(a[i]*p)+b[i])) + float32(c[i]*p) + dd[i])
		dw[i] = d
		v := w[i] + d
		w[i] = v
		m = max(m, absBits(v))
	}
	return m
}

func updABCDlrDout(w, dw, pre, a, b, c, dout, eta []float32, p float32) (m uint32) {
	dw, pre, a, b, c, dout, eta = dw[:len(w)], pre[:len(w)], a[:len(w)], b[:len(w)], c[:len(w)], dout[:len(w)], eta[:len(w)]
	for i := range w {
		d := float32(eta[i]*(float32(pre[i]*(float32(a[i]*p)+b[i]))+float32(c[i]*p))) + dout[i]
		dw[i] = d
		v := w[i] + d
		w[i] = v
		m = max(m, absBits(v))
	}
	return m
}

func updABCDlrDinout(w, dw, pre, a, b, c, din, eta, dout []float32, p float32) (m uint32) {
	dw, pre, a, b, c, din, eta, dout = dw[:len(w)], pre[:len(w)], a[:len(w)], b[:len(w)], c[:len(w)], din[:len(w)], eta[:len(w)], dout[:len(w)]
	for i := range w {
		d := float32(eta[i]*(float32(pre[i]*(float32(a[i]*p)+b[i]))+float32(c[i]*p)+din[i])) + dout[i]
		dw[i] = d
		v := w[i] + d
		w[i] = v
		m = max(m, absBits(v))
	}
	return m
}
