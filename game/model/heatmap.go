package model

import (
	"fmt"
	"math"
	"sort"

	"github.com/hebbsim/hebbsim/internal/palette"
)

// Layer is what the app reads of one plastic layer of a network; the
// layouts are those of brain.Layer: W[j*In+i] is the weight from input i to
// output j and Coeffs[(j*In+i)*K+c] its c-th rule coefficient.
type Layer struct {
	In, Out, K int
	W, DW      []float32 // weights and the last update
	Pre, Post  []float32 // the last forward pass's input and output
	Coeffs     []float32 // K per synapse; nil for a static network
	MaxAbs     float32   // max |w| the last normalisation divided by (0: none)
}

// View is what a heatmap shows.
type View int

// The heatmap views.
const (
	ViewW     View = iota // the weights
	ViewDW                // the last update Δw (signed)
	ViewAbsDW             // |Δw|
	ViewCoef              // one rule coefficient per synapse
	numViews
)

// ViewNames are the command arguments of the views, in order.
var ViewNames = []string{"w", "dw", "absdw", "coef"}

// ViewLabels are the labels the panel shows.
var ViewLabels = []string{"w", "Δw", "|Δw|", "rule"}

// ParseView maps a view name to a View.
func ParseView(s string) (View, bool) {
	for i, n := range ViewNames {
		if n == s {
			return View(i), true
		}
	}
	return 0, false
}

// Next cycles the views.
func (v View) Next() View { return (v + 1) % numViews }

// coefLabels returns names if it has k entries, else c0, c1, ….
func coefLabels(names []string, k int) []string {
	if len(names) == k {
		return names
	}
	out := make([]string, k)
	for i := range out {
		out[i] = fmt.Sprintf("c%d", i)
	}
	return out
}

// LUT is the heatmaps' colour table (internal/palette, shared with the
// headless clips of `hebb record`).
type LUT = palette.LUT

// Diverging is the signed scale, Sequential the one for |Δw|
// (internal/palette).
var (
	Diverging  = palette.Diverging
	Sequential = palette.Sequential
)

// Heatmap holds the pixels of one layer's heatmap: one pixel per synapse,
// x = input i, y = output j, RGBA bytes ready for WritePixels.
type Heatmap struct {
	W, H   int
	Pix    []byte
	Scale  float64 // the value mapped to the ends of the colour scale
	Signed bool
}

// values returns the slice and stride/offset a view reads.
func viewValues(l *Layer, v View, coef int) (vals []float32, stride, off int) {
	switch v {
	case ViewDW, ViewAbsDW:
		return l.DW, 1, 0
	case ViewCoef:
		if l.K == 0 || len(l.Coeffs) < l.In*l.Out*l.K {
			return nil, 1, 0
		}
		return l.Coeffs, l.K, clampInt(coef, 0, l.K-1)
	}
	return l.W, 1, 0
}

// Fill paints layer l in view v into h (resizing it). The scale is the
// 98th percentile of |value| in the layer (ScaleOf), smoothed against the
// previous frame's so the colours do not flicker: it follows a rising
// value at once and a falling one slowly.
func (h *Heatmap) Fill(l *Layer, v View, coef int) { h.FillOrdered(l, v, coef, nil, nil) }

// FillOrdered is Fill with the rows and columns in an order: pixel (x, y)
// shows the synapse from input cols[x] to output rows[y] (nil: natural).
func (h *Heatmap) FillOrdered(l *Layer, v View, coef int, rows, cols []int) {
	n := l.In * l.Out
	if len(rows) != l.Out || len(cols) != l.In {
		rows, cols = nil, nil
	}
	h.W, h.H = l.In, l.Out
	if cap(h.Pix) < 4*n {
		h.Pix = make([]byte, 4*n)
	}
	h.Pix = h.Pix[:4*n]
	vals, stride, off := viewValues(l, v, coef)
	h.Signed = v != ViewAbsDW
	lut := Diverging
	if !h.Signed {
		lut = Sequential
	}
	if len(vals) < n*stride {
		for p := 0; p < n; p++ {
			copy(h.Pix[4*p:], lut[0][:])
			h.Pix[4*p+3] = 255
		}
		h.Scale = 0
		return
	}
	maxAbs := ScaleOf(vals, n, stride, off)
	if maxAbs > h.Scale || h.Scale > 20*maxAbs {
		h.Scale = maxAbs
	} else {
		h.Scale += (maxAbs - h.Scale) * 0.05
	}
	scale := h.Scale
	for p := 0; p < n; p++ {
		q := p
		if rows != nil {
			q = rows[p/l.In]*l.In + cols[p%l.In]
		}
		x := float64(vals[q*stride+off])
		if !h.Signed {
			x = math.Abs(x)
		}
		c := lut[lut.Index(x, scale, h.Signed)]
		copy(h.Pix[4*p:4*p+4], c[:])
	}
}

// Cell maps a point inside the heatmap drawn into rect r to the synapse
// (i, j) under it.
func Cell(r Rect, in, out int, x, y float64) (i, j int, ok bool) {
	if !r.Contains(x, y) || in <= 0 || out <= 0 {
		return 0, 0, false
	}
	i = clampInt(int((x-r.X)/r.W*float64(in)), 0, in-1)
	j = clampInt(int((y-r.Y)/r.H*float64(out)), 0, out-1)
	return i, j, true
}

// SynapseInfo is the hover read-out of one synapse.
// names are the rule's coefficient names (Brain.CoefNames).
func SynapseInfo(l *Layer, names []string, i, j int) string {
	if i < 0 || j < 0 || i >= l.In || j >= l.Out {
		return ""
	}
	p := j*l.In + i
	s := fmt.Sprintf("i=%d j=%d", i, j)
	if p < len(l.W) {
		s += fmt.Sprintf("  w=%+.4f", l.W[p])
	}
	if p < len(l.DW) {
		s += fmt.Sprintf("  Δw=%+.2e", l.DW[p])
	}
	if l.K > 0 && len(l.Coeffs) >= (p+1)*l.K {
		for c, name := range coefLabels(names, l.K) {
			s += fmt.Sprintf("  %s=%+.3f", name, l.Coeffs[p*l.K+c])
		}
	}
	return s
}

// FitRect places a w×h image into box, filling it, but stretching cells
// to at most maxAspect:1 (and whole pixels when a cell is at least two
// pixels wide, so cells look even). It returns the drawn rectangle,
// centred in box.
func FitRect(box Rect, w, h int, maxAspect float64) Rect {
	if w <= 0 || h <= 0 || box.W <= 0 || box.H <= 0 {
		return Rect{box.X, box.Y, 0, 0}
	}
	sx, sy := box.W/float64(w), box.H/float64(h)
	if sx > sy*maxAspect {
		sx = sy * maxAspect
	}
	if sy > sx*maxAspect {
		sy = sx * maxAspect
	}
	if sx >= 2 {
		sx = math.Floor(sx)
	}
	if sy >= 2 {
		sy = math.Floor(sy)
	}
	dw, dh := float64(w)*sx, float64(h)*sy
	return Rect{box.X + (box.W-dw)/2, box.Y + (box.H-dh)/2, dw, dh}
}

// ScaleOf returns the 98th percentile of |vals[p*stride+off]| over n
// synapses, estimated from at most 4,096 evenly spaced samples: a few
// outliers (|Δw| has them) then saturate instead of turning every other
// cell black. Non-finite values are skipped.
func ScaleOf(vals []float32, n, stride, off int) float64 {
	step := 1
	if n > 4096 {
		step = n / 4096
	}
	buf := make([]float64, 0, min(n, 4096)+1)
	for p := 0; p < n; p += step {
		a := math.Abs(float64(vals[p*stride+off]))
		if !math.IsInf(a, 0) && !math.IsNaN(a) {
			buf = append(buf, a)
		}
	}
	if len(buf) == 0 {
		return 0
	}
	sort.Float64s(buf)
	return buf[int(0.98*float64(len(buf)-1))]
}
