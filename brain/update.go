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
	pl := L.planes
	plane := func(c int) []float32 { return pl[c] }
	var mx uint32
	in := L.In
	for j, p := range L.Post {
		lo, hi := j*in, (j+1)*in
		w, dw := L.W[lo:hi], L.DW[lo:hi]
		var m uint32
		switch k {
		case kindA:
			m = updA(w, dw, L.Pre, plane(0)[lo:hi], p)
		case kindAD:
			m = updAD(w, dw, L.Pre, plane(0)[lo:hi], plane(1)[lo:hi], p)
		case kindADlr:
			m = updADlr(w, dw, L.Pre, plane(0)[lo:hi], plane(1)[lo:hi], plane(2)[lo:hi], p)
		case kindABC:
			m = updABC(w, dw, L.Pre, plane(0)[lo:hi], plane(1)[lo:hi], plane(2)[lo:hi], p)
		case kindABClr:
			m = updABClr(w, dw, L.Pre, plane(0)[lo:hi], plane(1)[lo:hi], plane(2)[lo:hi], plane(3)[lo:hi], p)
		case kindABCD:
			m = updABCD(w, dw, L.Pre, plane(0)[lo:hi], plane(1)[lo:hi], plane(2)[lo:hi], plane(3)[lo:hi], p)
		case kindABCDlr:
			a, b, c, d, eta, pre := plane(0)[lo:hi], plane(1)[lo:hi], plane(2)[lo:hi], plane(3)[lo:hi], plane(4)[lo:hi], L.Pre
			if n8 := in &^ 7; useAVX2 && n8 > 0 {
				m = updABCDlrAVX2(&w[0], &dw[0], &pre[0], &a[0], &b[0], &c[0], &d[0], &eta[0], n8, p)
				w, dw, pre, a, b, c, d, eta = w[n8:], dw[n8:], pre[n8:], a[n8:], b[n8:], c[n8:], d[n8:], eta[n8:]
			}
			m = max(m, updABCDlr(w, dw, pre, a, b, c, d, eta, p))
		case kindABCDlrDout:
			m = updABCDlrDout(w, dw, L.Pre, plane(0)[lo:hi], plane(1)[lo:hi], plane(2)[lo:hi], plane(3)[lo:hi], plane(4)[lo:hi], p)
		case kindABCDlrDinout:
			m = updABCDlrDinout(w, dw, L.Pre, plane(0)[lo:hi], plane(1)[lo:hi], plane(2)[lo:hi], plane(3)[lo:hi], plane(4)[lo:hi], plane(5)[lo:hi], p)
		default:
			panic("brain: updateLayer: bad rule kind")
		}
		mx = max(mx, m)
	}
	return math.Float32frombits(mx)
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
