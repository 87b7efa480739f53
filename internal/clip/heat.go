package clip

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"math"
	"sort"

	"github.com/hebbsim/hebbsim/internal/palette"
)

// Layer is one weight matrix for a heatmap strip: W[j*In+i] is the
// weight from input i to output j (brain.Layer's layout).
type Layer struct {
	In, Out int
	W       []float32
}

// HeatStrip draws layers side by side into rectangle r of img, one cell
// per synapse on the app's diverging scale (internal/palette) at each
// layer's 98th percentile of |w|, each with a caption. Boxes get widths in
// proportion to the square root of their layer's input count, as in the
// app.
func HeatStrip(img *image.RGBA, r image.Rectangle, layers []Layer) {
	draw.Draw(img, r, image.NewUniform(color.RGBA{0x1d, 0x1f, 0x27, 0xff}), image.Point{}, draw.Src)
	if len(layers) == 0 {
		return
	}
	tot := 0.0
	for _, L := range layers {
		tot += math.Sqrt(math.Max(float64(L.In), 16))
	}
	c := &Canvas{Img: img}
	x := float64(r.Min.X)
	for k, L := range layers {
		bw := float64(r.Dx()) * math.Sqrt(math.Max(float64(L.In), 16)) / tot
		box := image.Rect(int(x)+4, r.Min.Y+16, int(x+bw)-4, r.Max.Y-4)
		x += bw
		scale := percentile98(L.W)
		c.Text(box.Min.X, r.Min.Y+2, fmt.Sprintf("L%d %d->%d +-%.2g", k+1, L.In, L.Out, scale), color.RGBA{0x95, 0x9b, 0xab, 0xff})
		if box.Dx() < 1 || box.Dy() < 1 || L.In < 1 || L.Out < 1 || len(L.W) < L.In*L.Out {
			continue
		}
		for py := box.Min.Y; py < box.Max.Y; py++ {
			j := (py - box.Min.Y) * L.Out / box.Dy()
			for px := box.Min.X; px < box.Max.X; px++ {
				i := (px - box.Min.X) * L.In / box.Dx()
				e := palette.Diverging[palette.Diverging.Index(float64(L.W[j*L.In+i]), scale, true)]
				o := img.PixOffset(px, py)
				copy(img.Pix[o:o+4], e[:])
			}
		}
	}
}

// percentile98 is the 98th percentile of |w| (at most 4,096 samples), so
// a few outliers saturate instead of darkening the rest.
func percentile98(w []float32) float64 {
	step := max(1, len(w)/4096)
	var buf []float64
	for k := 0; k < len(w); k += step {
		if a := math.Abs(float64(w[k])); !math.IsNaN(a) && !math.IsInf(a, 0) {
			buf = append(buf, a)
		}
	}
	if len(buf) == 0 {
		return 0
	}
	sort.Float64s(buf)
	return buf[int(0.98*float64(len(buf)-1))]
}
