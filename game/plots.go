// The plots panel: return, track or distance, weight change and actions.

package game

import (
	"fmt"
	"image"
	"image/color"
	"math"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/text/v2"

	"github.com/hebbsim/hebbsim/game/model"
)

func (r *renderer) drawPlots(screen *ebiten.Image, g *Game) {
	a := g.app
	l := g.lay
	s := l.S
	sc := a.Current()
	m := sc.Main()
	steps := 1000
	if n := m.Hist.Steps(); n > steps {
		steps = n
	}
	laneCol := func(i int) color.RGBA {
		if i == 0 {
			return colLaneHebb
		}
		return colLaneStat
	}
	var specs [4]model.PlotSpec
	var legends [4][]model.Line
	prog := sc.Spec.ProgressTitle()
	specs[0].Title, specs[1].Title = "return", prog
	for i, ln := range sc.Lanes {
		specs[0].Lines = append(specs[0].Lines, model.Line{Label: ln.Label, Color: laneCol(i), Data: ln.Hist.Series[0]})
		specs[1].Lines = append(specs[1].Lines, model.Line{Label: ln.Label, Color: laneCol(i), Data: ln.Hist.Series[1]})
	}
	nl := len(m.Brain.Layers())
	specs[2].Title = "mean |w(t+1) − w(t)| per layer"
	specs[2].NonNegative = true
	for k := 0; k < nl; k++ {
		specs[2].Lines = append(specs[2].Lines, model.Line{Label: fmt.Sprintf("L%d", k+1), Color: palette[k%len(palette)], Data: m.Hist.Series[2+k]})
	}
	specs[3].Title = "actions"
	for k := 2 + nl; k < len(m.Hist.Series); k++ {
		specs[3].Lines = append(specs[3].Lines, model.Line{Label: fmt.Sprintf("a%d", k-2-nl), Color: palette[(k-2-nl)%len(palette)], Data: m.Hist.Series[k]})
	}
	for len(r.plotBuf) < 4 {
		r.plotBuf = append(r.plotBuf, nil)
		r.plotImg = append(r.plotImg, nil)
		r.plotKey = append(r.plotKey, "")
		r.plotLo = append(r.plotLo, 0)
		r.plotHi = append(r.plotHi, 0)
		r.plotEp = append(r.plotEp, 0)
	}
	// Render (at most every third frame) first; draw only when something
	// changed, since the screen keeps the last frame.
	sig := fmt.Sprintf("%v/%d/%d", l.Plots, steps, len(sc.Lanes))
	for k := range specs {
		p := &specs[k]
		p.Stride, p.Steps, p.Marks = m.Hist.Stride, steps, sc.Marks
		p.ZeroLine = true
		f := l.PlotFrames[k]
		box, area := f.Box, f.Area
		bw, bh := int(box.W), int(box.H)
		if area.W < 4 || area.H < 4 {
			continue
		}
		key := fmt.Sprintf("%d/%d/%d/%d/%dx%d/%d", m.Ep.Index(), len(sc.Marks), m.Hist.Stride, len(sc.Lanes), bw, bh, sc.Seed)
		if r.plotBuf[k] == nil || r.plotBuf[k].Bounds().Dx() != bw || r.plotBuf[k].Bounds().Dy() != bh {
			r.plotBuf[k] = image.NewRGBA(image.Rect(0, 0, bw, bh))
			for i := 0; i < len(r.plotBuf[k].Pix); i += 4 {
				copy(r.plotBuf[k].Pix[i:], []byte{colPanel.R, colPanel.G, colPanel.B, 255})
			}
			r.plotImg[k] = ebiten.NewImage(bw, bh)
			r.plotKey[k] = ""
		}
		// Plots are re-rendered at most every third frame (20 Hz at 60
		// FPS): at 1000 steps across a few hundred pixels one step moves
		// a line by less than a pixel. All four on the same frame, and at
		// once when a new episode has begun, so that they never show
		// different episodes from each other or from the HUD.
		if key != r.plotKey[k] && (r.plotKey[k] == "" || g.frame%3 == 0 || r.plotEp[k] != sc.Episode) {
			ax, ay := int(area.X-box.X), int(area.Y-box.Y)
			sub := r.plotBuf[k].SubImage(image.Rect(ax, ay, ax+int(area.W), ay+int(area.H))).(*image.RGBA)
			r.plotLo[k], r.plotHi[k] = p.Render(sub)
			r.plotImg[k].WritePixels(r.plotBuf[k].Pix)
			r.plotKey[k] = key
			r.plotEp[k] = sc.Episode
		}
		sig += "|" + r.plotKey[k]
	}
	if !r.full && sig == r.sigPlots {
		return
	}
	r.sigPlots = sig
	// Each plot image covers its whole box (margins in the panel colour),
	// so only the thin gaps between boxes are filled here.
	for _, box := range l.Plots {
		o := box.Inset(-3 * s)
		o = model.Rect{X: math.Floor(o.X), Y: math.Floor(o.Y), W: math.Ceil(o.W) + 1, H: math.Ceil(o.H) + 1}
		box = plotBox(box)
		fillRect(screen, model.Rect{X: o.X, Y: o.Y, W: o.W, H: 3 * s}, colPanel)
		fillRect(screen, model.Rect{X: o.X, Y: box.Y + box.H, W: o.W, H: o.Y + o.H - box.Y - box.H}, colPanel)
		fillRect(screen, model.Rect{X: o.X, Y: box.Y, W: 3 * s, H: box.H}, colPanel)
		fillRect(screen, model.Rect{X: box.X + box.W, Y: box.Y, W: o.X + o.W - box.X - box.W, H: box.H}, colPanel)
	}
	fillRect(screen, model.Rect{X: l.Plots[0].X - 3*s, Y: l.Plots[0].Y - 3*s, W: 1, H: l.H}, colBorder)
	for k := range specs {
		p := &specs[k]
		legends[k] = p.Lines
		f := l.PlotFrames[k]
		box, area := f.Box, f.Area
		if area.W < 4 || area.H < 4 || r.plotImg[k] == nil {
			continue
		}
		op := &ebiten.DrawImageOptions{}
		op.GeoM.Translate(box.X, box.Y)
		op.Blend = ebiten.BlendCopy
		screen.DrawImage(r.plotImg[k], op)
		var labels []string
		for _, ln := range legends[k] {
			labels = append(labels, model.ShortLabel(ln.Label))
		}
		tr, lrs := l.PlotHeader(k, p.Title, labels)
		drawText(screen, p.Title, r.bold, tr.X, tr.Y, colText)
		for i, lr := range lrs {
			drawText(screen, labels[i], r.small, lr.X, lr.Y, legends[k][i].Color)
		}
		drawText(screen, model.FmtTick(r.plotHi[k]), r.small, f.Hi.X, f.Hi.Y, colMuted)
		drawText(screen, model.FmtTick(r.plotLo[k]), r.small, f.Lo.X, f.Lo.Y, colMuted)
		drawText(screen, "0", r.small, f.X0.X, f.X0.Y, colMuted)
		st := fmt.Sprintf("step %d", steps)
		drawText(screen, st, r.small, f.X1.X+f.X1.W-text.Advance(st, r.small), f.X1.Y, colMuted)
	}
}

// plotBox snaps a plot's box to whole pixels (its image's size).
func plotBox(b model.Rect) model.Rect {
	return model.Rect{X: math.Round(b.X), Y: math.Round(b.Y), W: math.Floor(b.W), H: math.Floor(b.H)}
}
