package main

import (
	"fmt"
	"image/color"
	"io"
	"math"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// trajContext is what the plot titles and legends say about the run.
type trajContext struct {
	Rules, Env, Morph, Events, Result string
	Seed                              int64
	Marks                             []int // event steps
}

func (c trajContext) title(what string) string {
	ev := c.Events
	if ev == "" {
		ev = "no damage"
	}
	return fmt.Sprintf("%s — %s\n%s, body %s, seed %d, %s: %s", what, c.Rules, c.Env, c.Morph, c.Seed, ev, c.Result)
}

// viridisLike is a perceptually ordered dark-to-light map (anchors of
// matplotlib's viridis) whose light end stays visible on white.
func viridisLike() palette.ColorMap {
	cm, err := moreland.NewLuminance([]color.Color{
		color.NRGBA{0x44, 0x01, 0x54, 0xff},
		color.NRGBA{0x3b, 0x52, 0x8b, 0xff},
		color.NRGBA{0x21, 0x91, 0x8c, 0xff},
		color.NRGBA{0x5e, 0xc9, 0x62, 0xff},
		color.NRGBA{0xd8, 0xd2, 0x1f, 0xff},
	})
	if err != nil {
		panic("hebb: viridisLike: " + err.Error())
	}
	return cm
}

var (
	eventColor = color.NRGBA{0xd6, 0x27, 0x28, 0xff}
	layerColor = []color.Color{
		color.NRGBA{0x1f, 0x77, 0xb4, 0xff},
		color.NRGBA{0xff, 0x7f, 0x0e, 0xff},
		color.NRGBA{0x2c, 0xa0, 0x2c, 0xff},
		color.NRGBA{0x94, 0x67, 0xbd, 0xff},
		color.NRGBA{0x8c, 0x56, 0x4b, 0xff},
	}
)

// writeTrajectoryPNG draws the weights' path in the PC1–PC2 plane,
// coloured by step, with a colour bar, the start, the end and each event.
func writeTrajectoryPNG(path string, wt *weightTrajectory, c trajContext) error {
	T := wt.Steps
	cm := viridisLike()
	cm.SetMin(0)
	cm.SetMax(math.Max(float64(T), 1))

	p := plot.New()
	p.Title.Text = c.title("Weight trajectory") + fmt.Sprintf("\n%d plastic synapses, %s", wt.Synapses, wt.sampling())
	p.X.Label.Text = fmt.Sprintf("PC1 (%.1f %% of variance)", 100*wt.Explained[0])
	p.Y.Label.Text = fmt.Sprintf("PC2 (%.1f %% of variance)", 100*wt.Explained[1])
	p.Add(plotter.NewGrid())

	pts := make(plotter.XYs, T+1)
	for t, q := range wt.Proj {
		pts[t] = plotter.XY{X: q[0], Y: q[1]}
	}
	path1, err := plotter.NewLine(pts)
	if err != nil {
		return err
	}
	path1.Color = color.Gray{0xb0}
	path1.Width = vg.Points(0.5)
	p.Add(path1)
	sc, err := plotter.NewScatter(pts)
	if err != nil {
		return err
	}
	sc.GlyphStyleFunc = func(i int) draw.GlyphStyle {
		col, _ := cm.At(float64(i))
		return draw.GlyphStyle{Color: col, Radius: vg.Points(2), Shape: draw.CircleGlyph{}}
	}
	p.Add(sc)

	mark := func(t int, name string, g draw.GlyphStyle) error {
		s, err := plotter.NewScatter(plotter.XYs{pts[t]})
		if err != nil {
			return err
		}
		s.GlyphStyle = g
		p.Add(s)
		p.Legend.Add(name, s)
		return nil
	}
	black := color.Black
	if err := mark(0, "step 0 (random weights)", draw.GlyphStyle{Color: black, Radius: vg.Points(5), Shape: draw.RingGlyph{}}); err != nil {
		return err
	}
	events := strings.Split(c.Events, ",")
	for i, m := range c.Marks {
		name := fmt.Sprintf("step %d: event", m)
		if i < len(events) && len(c.Marks) == len(events) {
			name = fmt.Sprintf("step %d: %s", m, events[i])
		}
		if err := mark(m, name, draw.GlyphStyle{Color: eventColor, Radius: vg.Points(7), Shape: draw.PyramidGlyph{}}); err != nil {
			return err
		}
	}
	if err := mark(T, fmt.Sprintf("step %d (end)", T), draw.GlyphStyle{Color: black, Radius: vg.Points(5), Shape: draw.BoxGlyph{}}); err != nil {
		return err
	}
	p.Legend.Top, p.Legend.Left = true, true
	p.Legend.Padding = vg.Points(2)
	// Headroom above the data for the legend.
	ylo, yhi := math.Inf(1), math.Inf(-1)
	for _, q := range wt.Proj {
		ylo, yhi = math.Min(ylo, q[1]), math.Max(yhi, q[1])
	}
	p.Y.Max = yhi + 0.2*(yhi-ylo)

	bar := plot.New()
	bar.HideX()
	bar.Y.Label.Text = "step"
	bar.Add(&plotter.ColorBar{ColorMap: cm, Vertical: true})

	ts, err := pcTimePlot(wt, c)
	if err != nil {
		return err
	}

	const w, h, low = 9 * vg.Inch, 9.5 * vg.Inch, 2.8 * vg.Inch
	img := vgimg.New(w, h)
	dc := draw.New(img)
	dc.SetColor(color.White)
	dc.Fill(dc.Rectangle.Path())
	p.Draw(draw.Crop(dc, 0, -1.1*vg.Inch, low, 0))
	// The bar spans the data area's height, roughly: below the title,
	// above the x axis.
	bar.Draw(draw.Crop(dc, w-1.05*vg.Inch, -0.35*vg.Inch, low+0.6*vg.Inch, -1.0*vg.Inch))
	ts.Draw(draw.Crop(dc, 0, -1.1*vg.Inch, 0, low-h))
	return writePNG(path, img)
}

// pcTimePlot is the trajectory's lower panel: PC1 and PC2 against the
// step, with the events marked, so drift and settling read off directly.
func pcTimePlot(wt *weightTrajectory, c trajContext) (*plot.Plot, error) {
	p := plot.New()
	p.Title.Text = "the same projection against time"
	p.X.Label.Text = "step t"
	p.Y.Label.Text = "projection"
	p.Add(plotter.NewGrid())
	lo, hi := math.Inf(1), math.Inf(-1)
	for i := range 2 {
		pts := make(plotter.XYs, len(wt.Proj))
		for t, q := range wt.Proj {
			pts[t] = plotter.XY{X: float64(t), Y: q[i]}
			lo, hi = math.Min(lo, q[i]), math.Max(hi, q[i])
		}
		l, err := plotter.NewLine(pts)
		if err != nil {
			return nil, err
		}
		l.Color = layerColor[i]
		l.Width = vg.Points(0.7)
		p.Add(l)
		p.Legend.Add(fmt.Sprintf("PC%d", i+1), l)
	}
	for _, m := range c.Marks {
		v, err := plotter.NewLine(plotter.XYs{{X: float64(m), Y: lo}, {X: float64(m), Y: hi}})
		if err != nil {
			return nil, err
		}
		v.Color = eventColor
		v.Width = vg.Points(1.5)
		v.Dashes = []vg.Length{vg.Points(6), vg.Points(3)}
		p.Add(v)
	}
	// Room on the right for the legend, clear of the curves.
	p.X.Min, p.X.Max = 0, 1.09*float64(wt.Steps)
	p.Legend.Top = true
	return p, nil
}

// writeSettlingPNG draws mean |Δw| per synapse per step for each plastic
// layer and all together, on a log scale, with the events marked.
func writeSettlingPNG(path string, wt *weightTrajectory, c trajContext) error {
	p := plot.New()
	p.Title.Text = c.title("Weight settling") + "\nmean |w(t+1) − w(t)| per synapse; thin: every step, thick: 25-step running mean"
	p.X.Label.Text = "step t"
	p.Y.Label.Text = "mean |weight difference| per synapse (log scale)"
	p.Y.Scale = plot.LogScale{}
	p.Y.Tick.Marker = plot.LogTicks{Prec: -1}
	p.Add(plotter.NewGrid())

	lo, hi := math.Inf(1), math.Inf(-1)
	series := append([][]float64{}, wt.Delta...)
	series = append(series, wt.DeltaAll)
	for i, d := range series {
		col := color.Color(color.Black)
		name := fmt.Sprintf("all %d plastic synapses", wt.Synapses)
		if i < len(wt.Delta) {
			col = layerColor[i%len(layerColor)]
			s := wt.Layers[i]
			name = fmt.Sprintf("layer %d (%d synapses)", i, s[0]*s[1])
			if s[0] > 0 {
				name = fmt.Sprintf("layer %d: %d→%d", i, s[1], s[0])
			}
		}
		var raw, avg plotter.XYs
		for t, v := range d {
			if v > 0 && !math.IsInf(v, 0) && !math.IsNaN(v) {
				raw = append(raw, plotter.XY{X: float64(t), Y: v})
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
			if m := runningMean(d, t, 25); m > 0 {
				avg = append(avg, plotter.XY{X: float64(t), Y: m})
			}
		}
		if len(raw) == 0 {
			continue
		}
		if i < len(wt.Delta) { // the all-synapse series is shown smoothed only
			l, err := plotter.NewLine(raw)
			if err != nil {
				return err
			}
			l.Color = fade(col)
			l.Width = vg.Points(0.5)
			p.Add(l)
		}
		l, err := plotter.NewLine(avg)
		if err != nil {
			return err
		}
		l.Color = col
		l.Width = vg.Points(1.8)
		if i == len(wt.Delta) {
			l.Dashes = []vg.Length{vg.Points(4), vg.Points(2)}
		}
		p.Add(l)
		p.Legend.Add(name, l)
	}
	if math.IsInf(lo, 0) {
		return fmt.Errorf("no weight changed during the episode")
	}
	// Recurrence: how far the weights are from where they were one
	// period (and half a period) earlier; equal curves mean no orbit.
	for i, d := range [][]float64{wt.Recur, wt.Half} {
		if wt.Period == 0 {
			break
		}
		lag := wt.Period
		if i == 1 {
			lag /= 2
		}
		var avg plotter.XYs
		for t := lag; t < len(d); t++ {
			if m := runningMean(d[lag:], t-lag, 25); m > 0 {
				avg = append(avg, plotter.XY{X: float64(t), Y: m})
				lo, hi = math.Min(lo, m), math.Max(hi, m)
			}
		}
		if len(avg) == 0 {
			continue
		}
		l, err := plotter.NewLine(avg)
		if err != nil {
			return err
		}
		l.Color = color.Gray{0x70}
		l.Width = vg.Points(1.8)
		if i == 1 {
			l.Color = color.Gray{0xb8}
		}
		p.Add(l)
		p.Legend.Add(fmt.Sprintf("mean |w(t) − w(t−%d)|: %s", lag, map[int]string{0: "one PC1 period back", 1: "half a period back"}[i]), l)
	}
	events := strings.Split(c.Events, ",")
	for i, m := range c.Marks {
		v, err := plotter.NewLine(plotter.XYs{{X: float64(m), Y: lo}, {X: float64(m), Y: hi}})
		if err != nil {
			return err
		}
		v.Color = eventColor
		v.Width = vg.Points(1.5)
		v.Dashes = []vg.Length{vg.Points(6), vg.Points(3)}
		p.Add(v)
		name := fmt.Sprintf("step %d: event", m)
		if i < len(events) && len(c.Marks) == len(events) {
			name = fmt.Sprintf("step %d: %s", m, events[i])
		}
		p.Legend.Add(name, v)
	}
	p.X.Min, p.X.Max = 0, float64(wt.Steps)
	// Headroom above the data (a factor on the log scale) for the legend.
	p.Y.Min, p.Y.Max = lo, hi*math.Pow(hi/lo, 0.5)
	p.Legend.Top = true
	p.Legend.Padding = vg.Points(2)

	const w, h = 9 * vg.Inch, 5.5 * vg.Inch
	img := vgimg.New(w, h)
	dc := draw.New(img)
	dc.SetColor(color.White)
	dc.Fill(dc.Rectangle.Path())
	p.Draw(dc)
	return writePNG(path, img)
}

// runningMean is the mean of d over the window of width n centred on t
// (clipped at the ends).
func runningMean(d []float64, t, n int) float64 {
	a, b := max(0, t-n/2), min(len(d), t-n/2+n)
	s := 0.0
	for _, v := range d[a:b] {
		s += v
	}
	return s / float64(b-a)
}

func fade(c color.Color) color.Color {
	r, g, b, _ := c.RGBA()
	return color.NRGBA{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8), 0x60}
}

func writePNG(path string, img *vgimg.Canvas) error {
	return writeAtomic(path, func(w io.Writer) error {
		_, err := vgimg.PngCanvas{Canvas: img}.WriteTo(w)
		return err
	})
}
