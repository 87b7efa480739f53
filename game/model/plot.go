package model

import (
	"image"
	"image/color"
	"math"
)

// History keeps per-step series of one episode at a stride that doubles
// whenever the buffers fill, so a plot always covers the whole episode in
// bounded memory: sample k holds step k·Stride.
type History struct {
	Cap    int
	Stride int
	Names  []string
	Series [][]float64
}

// NewHistory makes a history of the named series with room for capacity
// samples (even, ≥ 4).
func NewHistory(capacity int, names ...string) *History {
	if capacity < 4 || capacity%2 != 0 {
		panic("model: history capacity must be even and at least 4")
	}
	h := &History{Cap: capacity, Stride: 1, Names: names, Series: make([][]float64, len(names))}
	for i := range h.Series {
		h.Series[i] = make([]float64, 0, capacity)
	}
	return h
}

// Wants reports whether step is sampled at the current stride; callers
// compute costly values only then.
func (h *History) Wants(step int) bool { return step%h.Stride == 0 && step/h.Stride == h.Len() }

// Len is the number of samples held.
func (h *History) Len() int {
	if len(h.Series) == 0 {
		return 0
	}
	return len(h.Series[0])
}

// Add records the values of step (one per series) if Wants(step).
func (h *History) Add(step int, vals ...float64) {
	if len(vals) != len(h.Series) {
		panic("model: History.Add: wrong number of values")
	}
	if !h.Wants(step) {
		return
	}
	if h.Len() == h.Cap {
		for s := range h.Series {
			old := h.Series[s]
			for k := 0; k < h.Cap/2; k++ {
				old[k] = old[2*k]
			}
			h.Series[s] = old[:h.Cap/2]
		}
		h.Stride *= 2
		if !h.Wants(step) {
			return
		}
	}
	for s, v := range vals {
		h.Series[s] = append(h.Series[s], v)
	}
}

// Steps is the step span the history covers.
func (h *History) Steps() int { return h.Len() * h.Stride }

// Clear empties the history and resets the stride.
func (h *History) Clear() {
	h.Stride = 1
	for s := range h.Series {
		h.Series[s] = h.Series[s][:0]
	}
}

// Mark is an event on the plots' time axis (damage, repair, brain wipe).
type Mark struct {
	Step  int
	Label string
	Kind  MarkKind
}

// MarkKind colours a mark.
type MarkKind int

// The mark kinds.
const (
	MarkDamage MarkKind = iota
	MarkRepair
	MarkWipe
)

// MarkColors are the marks' colours by kind.
var MarkColors = []color.RGBA{
	{0xff, 0x55, 0x55, 0xff},
	{0x55, 0xdd, 0x77, 0xff},
	{0xc0, 0x80, 0xff, 0xff},
}

// Line is one series of a plot.
type Line struct {
	Label string
	Color color.RGBA
	Data  []float64
}

// PlotSpec is what one plot shows: lines over steps [0, Steps), marks.
type PlotSpec struct {
	Title    string
	Lines    []Line
	Stride   int // steps per sample
	Steps    int // the x range, in steps (≥ the data's span)
	Marks    []Mark
	ZeroLine bool // draw y = 0 when it is in range
	// NonNegative: the quantity cannot be below zero (a mean |Δw|), so
	// the axis never extends below 0.
	NonNegative bool
}

// Plot colours.
var (
	PlotBG   = color.RGBA{0x1a, 0x1c, 0x23, 0xff}
	PlotGrid = color.RGBA{0x33, 0x36, 0x42, 0xff}
)

// Range returns the y range of the plot's data, padded by 5 %; a flat or
// empty series gets a unit range around its value. With NonNegative the
// range never starts below 0.
func (p *PlotSpec) Range() (lo, hi float64) {
	lo, hi = p.rawRange()
	if p.NonNegative && lo < 0 {
		lo = 0
		if hi <= 0 {
			hi = 1
		}
	}
	return lo, hi
}

func (p *PlotSpec) rawRange() (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, l := range p.Lines {
		for _, v := range l.Data {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				continue
			}
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
	}
	if math.IsInf(lo, 1) {
		return -1, 1
	}
	if hi-lo < 1e-9 {
		d := math.Max(math.Abs(hi)*0.1, 1e-6)
		return lo - d, hi + d
	}
	pad := (hi - lo) * 0.05
	return lo - pad, hi + pad
}

// Render draws the plot into img (background, zero line, marks, lines)
// with plain one-pixel lines, and returns its y range for the labels the
// caller writes. It is pure Go so that it is cheap under software GL and
// testable without a display.
func (p *PlotSpec) Render(img *image.RGBA) (lo, hi float64) {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	fillRect(img, b, PlotBG)
	lo, hi = p.Range()
	steps := p.Steps
	if steps < 1 {
		steps = 1
	}
	xOf := func(step float64) int { return b.Min.X + int(step/float64(steps)*float64(w-1)+0.5) }
	yOf := func(v float64) int { return b.Min.Y + int((hi-v)/(hi-lo)*float64(h-1)+0.5) }
	for k := 1; k < 4; k++ { // horizontal grid
		y := b.Min.Y + k*h/4
		hline(img, b.Min.X, b.Max.X-1, y, PlotGrid)
	}
	if p.ZeroLine && lo < 0 && hi > 0 {
		hline(img, b.Min.X, b.Max.X-1, yOf(0), color.RGBA{0x55, 0x59, 0x66, 0xff})
	}
	for _, m := range p.Marks {
		if m.Step < 0 || m.Step > steps {
			continue
		}
		c := MarkColors[clampInt(int(m.Kind), 0, len(MarkColors)-1)]
		x := xOf(float64(m.Step))
		for y := b.Min.Y; y < b.Max.Y; y++ {
			if (y-b.Min.Y)%4 < 3 {
				img.SetRGBA(x, y, c)
			}
		}
	}
	stride := p.Stride
	if stride < 1 {
		stride = 1
	}
	for _, l := range p.Lines {
		px, py, have := 0, 0, false
		for k, v := range l.Data {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				have = false
				continue
			}
			x, y := xOf(float64(k*stride)), yOf(v)
			if have {
				line(img, px, py, x, y, l.Color)
			} else {
				img.SetRGBA(x, y, l.Color)
			}
			px, py, have = x, y, true
		}
	}
	return lo, hi
}

func fillRect(img *image.RGBA, r image.Rectangle, c color.RGBA) {
	r = r.Intersect(img.Bounds())
	for y := r.Min.Y; y < r.Max.Y; y++ {
		row := img.Pix[img.PixOffset(r.Min.X, y):img.PixOffset(r.Max.X, y)]
		for k := 0; k < len(row); k += 4 {
			row[k], row[k+1], row[k+2], row[k+3] = c.R, c.G, c.B, c.A
		}
	}
}

func hline(img *image.RGBA, x0, x1, y int, c color.RGBA) {
	for x := x0; x <= x1; x++ {
		img.SetRGBA(x, y, c)
	}
}

// line is Bresenham's line; SetRGBA clips.
func line(img *image.RGBA, x0, y0, x1, y1 int, c color.RGBA) {
	dx, dy := abs(x1-x0), -abs(y1-y0)
	sx, sy := 1, 1
	if x0 > x1 {
		sx = -1
	}
	if y0 > y1 {
		sy = -1
	}
	e := dx + dy
	for {
		img.SetRGBA(x0, y0, c)
		if x0 == x1 && y0 == y1 {
			return
		}
		e2 := 2 * e
		if e2 >= dy {
			e += dy
			x0 += sx
		}
		if e2 <= dx {
			e += dx
			y0 += sy
		}
	}
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
