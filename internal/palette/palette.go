package palette

import (
	"image/color"
	"math"
)

// LUT is a 256-entry colour table; index 0 is the most negative value (or
// zero for a sequential scale) and 255 the most positive.
type LUT [256][4]byte

// Diverging is the signed scale: blue for negative, a dark neutral for
// zero (the app's background is dark) and orange-red for positive.
var Diverging = buildLUT([]stop{
	{0.00, 0x3d, 0xa5, 0xff},
	{0.25, 0x2a, 0x6f, 0xb8},
	{0.50, 0x22, 0x24, 0x2c},
	{0.75, 0xc0, 0x5a, 0x2a},
	{1.00, 0xff, 0xb0, 0x3a},
})

// Sequential is the unsigned scale for |Δw|: dark to yellow-white.
var Sequential = buildLUT([]stop{
	{0.00, 0x22, 0x24, 0x2c},
	{0.35, 0x5b, 0x2a, 0x86},
	{0.65, 0xc8, 0x3f, 0x5a},
	{0.85, 0xf5, 0x96, 0x2d},
	{1.00, 0xfc, 0xf0, 0xa8},
})

type stop struct {
	t       float64
	r, g, b float64
}

func buildLUT(stops []stop) *LUT {
	var l LUT
	for i := range l {
		t := float64(i) / 255
		k := 1
		for k < len(stops)-1 && stops[k].t < t {
			k++
		}
		a, b := stops[k-1], stops[k]
		f := (t - a.t) / (b.t - a.t)
		l[i] = [4]byte{
			byte(math.Round(a.r + (b.r-a.r)*f)),
			byte(math.Round(a.g + (b.g-a.g)*f)),
			byte(math.Round(a.b + (b.b-a.b)*f)),
			255,
		}
	}
	return &l
}

// Color returns the colour for value v on a scale of ±scale (signed) or
// [0, scale] (unsigned). Values beyond the scale saturate; NaN is magenta.
func (l *LUT) Color(v, scale float64, signed bool) color.RGBA {
	c := l[l.Index(v, scale, signed)]
	if math.IsNaN(v) {
		return color.RGBA{0xff, 0, 0xff, 0xff}
	}
	return color.RGBA{c[0], c[1], c[2], c[3]}
}

// Index is the table entry of v on a scale of ±scale (signed) or
// [0, scale]: 128 (signed) or 0 for NaN and a zero scale.
func (l *LUT) Index(v, scale float64, signed bool) int {
	if scale <= 0 || math.IsNaN(v) {
		if signed {
			return 128
		}
		return 0
	}
	var t float64
	if signed {
		t = 0.5 + 0.5*v/scale
	} else {
		t = v / scale
	}
	return clampInt(int(t*255+0.5), 0, 255)
}

func clampInt(v, lo, hi int) int { return max(lo, min(v, hi)) }
