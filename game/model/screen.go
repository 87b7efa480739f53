package model

import (
	"fmt"
	"image"
	"math"
	"strings"
)

// This file places every caption, title, tick label and overlay line the
// game draws, so that one test (screen_test.go) can lay out a whole
// screen without a display and check that nothing overlaps at the
// minimum window size and at 1280×720. The game draws at exactly these
// rectangles.

// MinW and MinH are the smallest window (device-independent pixels) the
// app allows: every button, caption and help line has room down to it.
const (
	MinW = 960
	MinH = 600
)

// Text faces the game draws with, besides the UI face (Layout.Measure):
// their sizes at scale 1 and line heights.
const (
	SmallSize = 11.0 // captions, ticks, HUD
	BoldSize  = 12.0 // headers, plot titles
	MonoSize  = 13.0 // the help
	SmallH    = 14.0
	BoldH     = 16.0
	MonoH     = 17.0
)

// Faces measures text in the game's faces; nil entries use estimates.
type Faces struct {
	Small, Bold, Mono func(string) float64
}

func est(size float64) func(string) float64 {
	return func(s string) float64 { return float64(len([]rune(s))) * CharW * size / FontSize }
}

func (l *Layout) small(s string) float64 {
	if l.Faces.Small != nil {
		return l.Faces.Small(s)
	}
	return est(SmallSize * l.S)(s)
}

func (l *Layout) bold(s string) float64 {
	if l.Faces.Bold != nil {
		return l.Faces.Bold(s)
	}
	return est(BoldSize*l.S)(s) * 1.08
}

func (l *Layout) mono(s string) float64 {
	if l.Faces.Mono != nil {
		return l.Faces.Mono(s)
	}
	return float64(len([]rune(s))) * 7.8 * l.S
}

// Widest values the number fields of captions take, measured to reserve
// room (a real value is never wider).
const (
	heatScaleWidest = "±0.00088"
	tickWidest      = "-8.8e-05"
)

// HeatCaption is the caption over heatmap i: "L1 12→128 ±0.19".
func HeatCaption(i, in, out int, scale float64, signed bool) string {
	sc := fmt.Sprintf("±%.2g", scale)
	if !signed {
		sc = fmt.Sprintf("≤%.2g", scale)
	}
	return fmt.Sprintf("L%d %d→%d %s", i+1, in, out, sc)
}

// FmtTick formats a plot's axis value in at most len(tickWidest)
// characters.
func FmtTick(v float64) string {
	a := math.Abs(v)
	switch {
	case a == 0:
		return "0"
	case a < 0.01 || a >= 1e5:
		return fmt.Sprintf("%.1e", v)
	case a < 10:
		return fmt.Sprintf("%.2f", v)
	}
	return fmt.Sprintf("%.0f", v)
}

// SetFaces sets the measures of the game's faces and places again what
// depends on text widths (heatmap boxes, legend, plot frames); ins are
// the layers' input counts, as for ComputeLayout.
func (l *Layout) SetFaces(ui func(string) float64, f Faces, ins []int) {
	l.Measure, l.Faces = ui, f
	if l.Heat.W <= 0 {
		return
	}
	l.HeatBoxes, l.HeatCaps, l.HeatPics, l.PlotFrames = nil, nil, nil, nil
	heat := Rect{l.Heat.X, l.Heat.Y, l.Heat.W, l.Legend.Y - l.Heat.Y}
	l.placeHeat(heat, ins)
	l.placeLegend()
	l.placePlots()
}

// placeHeat gives each heatmap box a caption row and a picture area,
// every box at least as wide as its widest caption.
func (l *Layout) placeHeat(heat Rect, ins []int) {
	s := l.S
	if len(ins) == 0 {
		return
	}
	minW := make([]float64, len(ins))
	tot, need := 0.0, 0.0
	for i, n := range ins {
		minW[i] = l.small(fmt.Sprintf("L%d %d→%d %s", i+1, n, 8888, heatScaleWidest)) + 8*s
		need += minW[i]
		tot += math.Sqrt(math.Max(float64(n), 16))
	}
	// Boxes get widths in proportion to the square root of their layer's
	// input count (the racer's 648-wide first layer gets room without
	// squeezing the 8-row last one out), but never less than their
	// caption needs.
	spare := math.Max(heat.W-need, 0)
	x := heat.X
	for i, n := range ins {
		bw := minW[i] + spare*math.Sqrt(math.Max(float64(n), 16))/tot
		box := Rect{x, heat.Y, bw, heat.H}.Inset(4 * s)
		l.HeatBoxes = append(l.HeatBoxes, box)
		capR := Rect{box.X, box.Y, box.W, SmallH * s}
		l.HeatCaps = append(l.HeatCaps, capR)
		l.HeatPics = append(l.HeatPics, Rect{box.X, box.Y + (SmallH+2)*s, box.W, box.H - (SmallH+2)*s})
		x += bw
	}
}

// placeLegend lays out the colour legend: the bar, its three labels and
// the two lines of information (the hovered synapse) beside it.
func (l *Layout) placeLegend() {
	s := l.S
	lg := l.Legend
	bar := Rect{lg.X + 8*s, lg.Y + 4*s, math.Min(200*s, lg.W/3), 8 * s}
	l.LegendBar = bar
	y := bar.Y + bar.H + 1*s
	hi := l.small("+max")
	l.LegendLabels = [3]Rect{
		{bar.X, y, l.small("−max"), SmallH * s},
		{bar.X + bar.W/2 - 3*s, y, l.small("0"), SmallH * s},
		{bar.X + bar.W - hi, y, hi, SmallH * s},
	}
	ix := bar.X + bar.W + 12*s
	l.LegendInfo = Rect{ix, lg.Y + 1*s, lg.X + lg.W - ix - 4*s, 2 * 13 * s}
}

// PlotFrame is where one plot's parts go.
type PlotFrame struct {
	Box    Rect // the whole plot, snapped to whole pixels (its image)
	Title  Rect // the title, top left
	Legend Rect // the row right of the title where line labels go
	Area   Rect // the data
	Hi, Lo Rect // the y range's labels, left of the data
	X0, X1 Rect // "0" and "step N" under the data
}

// placePlots lays out the four plots' titles, axes and labels.
func (l *Layout) placePlots() {
	s := l.S
	for _, p := range l.Plots {
		b := Rect{math.Round(p.X), math.Round(p.Y), math.Floor(p.W), math.Floor(p.H)}
		margin := math.Round(l.small(tickWidest) + 4*s)
		top := math.Round((BoldH + 2) * s)
		bottom := math.Round((SmallH + 1) * s)
		area := Rect{b.X + margin, b.Y + top, b.W - margin, b.H - top - bottom}
		f := PlotFrame{Box: b, Area: area,
			Title: Rect{b.X, b.Y, b.W, BoldH * s},
			Hi:    Rect{b.X, area.Y, margin - 2*s, SmallH * s},
			Lo:    Rect{b.X, area.Y + area.H - SmallH*s, margin - 2*s, SmallH * s},
			X0:    Rect{area.X, area.Y + area.H + 1*s, l.small("0"), SmallH * s},
		}
		xw := l.small("step 8888888")
		f.X1 = Rect{area.X + area.W - xw, f.X0.Y, xw, SmallH * s}
		l.PlotFrames = append(l.PlotFrames, f)
	}
}

// PlotHeader places plot k's title and as many of its line labels as fit
// on the title row; it returns their rectangles (labels in order).
func (l *Layout) PlotHeader(k int, title string, labels []string) (Rect, []Rect) {
	f := l.PlotFrames[k]
	s := l.S
	tr := Rect{f.Title.X, f.Title.Y, math.Min(l.bold(title), f.Box.W), BoldH * s}
	var out []Rect
	if len(labels) < 2 {
		return tr, nil
	}
	x := tr.X + tr.W + 10*s
	for _, lab := range labels {
		w := l.small(lab)
		if x+w > f.Box.X+f.Box.W {
			break
		}
		out = append(out, Rect{x, f.Title.Y + 1*s, w, SmallH * s})
		x += w + 8*s
	}
	return tr, out
}

// ShortLabel is a lane label as a plot legend shows it ("static").
func ShortLabel(s string) string {
	if len(s) > 9 {
		return strings.Fields(s)[0]
	}
	return s
}

// World overlays: the HUD (top left of the world), the observation inset
// (top right of the main lane, or under the HUD where the lane is
// narrow), each lane's caption in compare mode and the end-of-episode
// banner (at a lane's bottom, above its caption).

// hudTemplate are the HUD's lines at their widest plausible values.
var hudTemplate = []string{
	"step 88888   return -8888.8   track 100%   seed 8888888888",
	"speed max   88888 steps/s   FPS 888   TPS 888",
	"ms per frame: physics 88.88  brain 88.88  draw 88.88",
}

// The inset's captions.
const (
	InsetCaptionPixels   = "what the car sees (84×84)"
	InsetCaptionRays     = "what the network sees: 12 values"
	InsetLegendRays      = "9 rays · speed · yaw · offset"
	InsetCaptionGrip     = "what the network sees: 13 values"
	InsetLegendGrip      = "9 rays · speed · yaw · offset · slip"
	InsetCaptionTraction = "what the network sees: 14 values"
	InsetLegendTraction  = "9 rays · speed · yaw · offset · slip · spin"
	InsetCaptionCompass  = "what the network sees: 16 values"
	InsetLegendCompass   = "9 rays · speed · yaw · offset · slip · spin · road"
)

// Overlays is where the world's overlays go for the current state.
type Overlays struct {
	HUD      Rect   // background box
	HUDLines []Rect // one per line
	// Inset (zero when the scene has none): box, picture, caption and,
	// for the rays, a legend line.
	Inset, InsetPicture, InsetCaption, InsetLegend Rect
	LaneCaps                                       []Rect // compare mode: a caption at each lane's bottom
	LaneEnded                                      []Rect // where "episode ended" goes in each lane
}

// HUDLines are the HUD's text lines beyond the measured ones: the rules,
// then warnings (no evolved rules) and the pause notice.
func (a *App) HUDExtra() (lines []string, warn []string) {
	sc := a.cur()
	lines = []string{"rules: " + sc.Rules.Name}
	if e := a.EvolveHUD(); e != "" {
		lines[0] = e
	}
	if !sc.Rules.Evolved {
		warn = append(warn, "no evolved rules loaded: random coefficients")
	}
	if a.Paused {
		warn = append(warn, "PAUSED — Space to run, . to step")
	}
	return lines, warn
}

// PlaceOverlays lays out the world's overlays for the app's state; hud
// are the HUD's lines as the game will draw them.
func (a *App) PlaceOverlays(l *Layout, hud []string) Overlays {
	s := l.S
	sc := a.cur()
	var o Overlays
	w := 0.0
	for _, t := range append(append([]string(nil), hudTemplate...), hud...) {
		w = math.Max(w, l.small(t))
	}
	x0, y0 := l.World.X+8*s, l.World.Y+8*s
	lh := 15 * s
	w = math.Min(w, l.World.W-16*s-16*s)
	o.HUD = Rect{x0, y0, w + 16*s, float64(len(hud))*lh + 10*s}
	for i := range hud {
		o.HUDLines = append(o.HUDLines, Rect{x0 + 8*s, y0 + 5*s + float64(i)*lh, w, SmallH * s})
	}
	if len(l.Lanes) == 0 {
		return o
	}
	lane := l.Lanes[0]
	if _, ok := sc.Main().Env.(interface{ ObservationImage() *image.RGBA }); ok {
		capW := math.Max(l.small(InsetCaptionCompass), math.Max(l.small(InsetCaptionPixels), l.small(InsetLegendCompass)))
		for _, k := range []float64{math.Floor(2 * s), math.Max(1, math.Floor(s))} {
			pic := 84 * k
			bw := math.Max(pic, capW) + 8*s
			bh := pic + 8*s + 2*SmallH*s
			box := Rect{lane.X + lane.W - bw - 6*s, lane.Y + 6*s, bw, bh}
			if box.X < o.HUD.X+o.HUD.W+6*s { // no room beside the HUD: under it
				box.Y = o.HUD.Y + o.HUD.H + 6*s
			}
			if box.Y+box.H > lane.Y+lane.H-60*s && k > 1 {
				continue // too tall: try ×1
			}
			o.Inset = box
			o.InsetPicture = Rect{box.X + (bw-pic)/2, box.Y + 4*s, pic, pic}
			o.InsetCaption = Rect{box.X + 4*s, box.Y + 4*s + pic + 2*s, bw - 8*s, SmallH * s}
			o.InsetLegend = Rect{box.X + 4*s, o.InsetCaption.Y + SmallH*s, bw - 8*s, SmallH * s}
			break
		}
	}
	for _, r := range l.Lanes {
		capR := Rect{r.X, r.Y + r.H - 24*s, r.W, 24 * s}
		if len(l.Lanes) > 1 {
			o.LaneCaps = append(o.LaneCaps, capR)
		}
		o.LaneEnded = append(o.LaneEnded, Rect{r.X + 8*s, capR.Y - 36*s, r.W - 16*s, 30 * s})
	}
	return o
}

// HelpText is every line of the F1 overlay: a title, the keys, a note.
func HelpText() []string {
	lines := append([]string{"hebbsim — keys (F1 closes)", ""}, HelpLines()...)
	return append(lines, "", "Every episode starts from random weights; the loaded rule changes every synapse each step: Δw = η(A·pre·post + B·pre + C·post + D).")
}

// HelpBox is the help overlay: its box and each line's text and place,
// in as many columns as the screen's height needs, lines wrapped to the
// column with the key column kept.
type HelpBox struct {
	Box   Rect
	Lines []Item // Text and R; the first is the title
}

// LayoutHelp places the help on l.
func (l *Layout) LayoutHelp() HelpBox {
	s := l.S
	lines := HelpText()
	lh := MonoH * s
	pad := 16 * s
	natural := 0.0
	for _, t := range lines {
		natural = math.Max(natural, l.mono(t))
	}
	natural = math.Min(natural, 620*s) // longer lines read better wrapped
	maxH := l.H - 8*s
	for cols := 1; ; cols++ {
		colW := math.Min(natural, (l.W-2*pad-float64(cols-1)*pad-8*s)/float64(cols))
		var wrapped []string
		keyed := len(HelpLines())
		for i, t := range lines {
			wrapped = append(wrapped, l.wrapHelp(t, colW, i >= 2 && i < 2+keyed)...)
		}
		perCol := int(math.Ceil(float64(len(wrapped)) / float64(cols)))
		h := float64(perCol)*lh + 24*s
		if h > maxH && cols < 4 {
			continue
		}
		w := float64(cols)*colW + float64(cols-1)*pad + 2*pad
		box := Rect{l.W/2 - w/2, math.Max(4*s, l.H/2-h/2), w, h}
		hb := HelpBox{Box: box}
		for i, t := range wrapped {
			c, r := i/perCol, i%perCol
			hb.Lines = append(hb.Lines, Item{Text: t, R: Rect{box.X + pad + float64(c)*(colW+pad), box.Y + 12*s + float64(r)*lh, l.mono(t), lh}})
		}
		return hb
	}
}

// wrapHelp wraps a help line to w; a key line's continuation is indented
// under its description (the key column is 15 characters).
func (l *Layout) wrapHelp(t string, w float64, keyed bool) []string {
	if l.mono(t) <= w {
		return []string{t}
	}
	head, indent := "", ""
	body := t
	if keyed && len(t) > 15 {
		head, body, indent = t[:15], t[15:], strings.Repeat(" ", 15)
	}
	var out []string
	line := head
	for _, wd := range strings.Fields(body) {
		cand := line + wd
		if line != head && line != indent {
			cand = line + " " + wd
		}
		if l.mono(cand) > w && line != head && line != indent {
			out = append(out, line)
			line = indent + wd
			continue
		}
		line = cand
	}
	return append(out, line)
}

// SpreadLabels moves labels (in order) down until none overlaps an
// earlier one, keeping each one's x: the damage labels of legs that share
// a hip would otherwise be drawn over each other.
func SpreadLabels(rs []Rect, gap float64) []Rect {
	out := make([]Rect, len(rs))
	for i, r := range rs {
		for moved := true; moved; {
			moved = false
			for _, q := range out[:i] {
				if r.X < q.X+q.W && q.X < r.X+r.W && r.Y < q.Y+q.H+gap && q.Y < r.Y+r.H+gap {
					r.Y = q.Y + q.H + gap
					moved = true
				}
			}
		}
		out[i] = r
	}
	return out
}
