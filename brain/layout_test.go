package brain

import "testing"

// updABCDlrAoS is the ABCD_lr loop over coefficients in file layout
// (synapse-major, 5 per synapse), kept only to measure the layout choice.
func updABCDlrAoS(w, dw, pre, cf []float32, p float32) (m uint32) {
	dw, pre, cf = dw[:len(w)], pre[:len(w)], cf[:5*len(w)]
	for i := range w {
		c := cf[5*i : 5*i+5 : 5*i+5]
		d := c[4] * (float32(pre[i]*(float32(c[0]*p)+c[1])) + float32(c[2]*p) + c[3])
		dw[i] = d
		v := w[i] + d
		w[i] = v
		m = max(m, absBits(v))
	}
	return m
}

// BenchmarkLayout compares the coefficient layouts for the Go ABCD_lr loop
// on a 64×128 layer: aos is the file layout (Out, In, K), soa the planes
// the network uses.
func BenchmarkLayout(b *testing.B) {
	n := MustNewNetwork(Arch{Layers: []int{128, 64}})
	L := n.Layers()[0]
	for i := range L.Coeffs {
		L.Coeffs[i] = 0.01
	}
	L.syncPlanes()
	b.Run("aos", func(b *testing.B) {
		for b.Loop() {
			for j, p := range L.Post {
				lo, hi := j*L.In, (j+1)*L.In
				updABCDlrAoS(L.W[lo:hi], L.DW[lo:hi], L.Pre, L.Coeffs[5*lo:5*hi], p)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(L.In*L.Out), "ns/synapse")
	})
	b.Run("soa", func(b *testing.B) {
		for b.Loop() {
			updateRows(kindABCDlr, L, 0)
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(L.In*L.Out), "ns/synapse")
	})
}
