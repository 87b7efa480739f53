// The weight heatmaps panel.

package game

import (
	"fmt"
	"image/color"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/text/v2"

	"github.com/hebbsim/hebbsim/game/model"
)

func (r *renderer) drawHeatmaps(screen *ebiten.Image, g *Game) {
	a := g.app
	l := g.lay
	s := l.S
	sc := a.Current()
	m := sc.Main()
	layers, names, hkey := a.HeatLayers()
	for len(r.heat) < len(layers) {
		r.heat = append(r.heat, model.Heatmap{})
		r.heatImg = append(r.heatImg, nil)
		r.heatKey = append(r.heatKey, "")
	}
	coef := 0
	if len(names) > 0 {
		coef = a.Coef % len(names)
	}
	view := a.View
	if view == model.ViewCoef && len(names) == 0 {
		view = model.ViewW
	}
	key := fmt.Sprintf("%s/%d/%d/%d/%d/%d/%p/%s", sc.Spec.Name, sc.Seed, m.Ep.Index(), len(sc.Marks), view, coef, m.Brain, a.OrderLabel())
	if hkey != "" { // the Evolve mode's centre: changes once a generation
		key = fmt.Sprintf("%s/%d/%d/%s", hkey, view, coef, a.OrderLabel())
	}
	mx, my := ebiten.CursorPosition()
	sig := fmt.Sprintf("%v/%d/%d/%d/%s", l.Heat, len(layers), view, a.Coef, lectureSig(a))
	for i, L := range layers {
		if i >= len(l.HeatBoxes) {
			break
		}
		h := &r.heat[i]
		// Weights are re-uploaded at most every other frame: a
		// WritePixels is a texture upload, costly under software GL, and
		// the eye does not see the difference.
		if r.heatImg[i] == nil || (r.heatKey[i] != key && (g.frame%2 == 0 || r.heatKey[i] == "")) {
			rows, cols := a.HeatPerm(i)
			h.FillOrdered(&L, view, coef, rows, cols)
			if r.heatImg[i] == nil || r.heatImg[i].Bounds().Dx() != h.W || r.heatImg[i].Bounds().Dy() != h.H {
				r.heatImg[i] = ebiten.NewImage(h.W, h.H)
			}
			r.heatImg[i].WritePixels(h.Pix)
			r.heatKey[i] = key
		}
		sig += "|" + r.heatKey[i]
	}
	if in := (model.Rect{X: l.HeatBar.X, Y: l.HeatBar.Y, W: l.HeatBar.W, H: l.HeatBar.H + l.Heat.H}); in.Contains(float64(mx), float64(my)) {
		sig += fmt.Sprintf("@%d,%d", mx, my)
	}
	sig += r.itemsSig(g, regionHeat)
	if !r.full && sig == r.sigHeat {
		return // the screen still shows this
	}
	r.sigHeat = sig
	fillRect(screen, model.Rect{X: l.HeatBar.X, Y: l.HeatBar.Y, W: l.HeatBar.W, H: l.HeatBar.H + l.Heat.H}, colPanel)
	fillRect(screen, model.Rect{X: l.HeatBar.X, Y: l.HeatBar.Y, W: l.W, H: 1}, colBorder)
	r.drawItems(screen, g, regionHeat)
	hover := ""
	for i, L := range layers {
		if i >= len(l.HeatBoxes) {
			break
		}
		h := &r.heat[i]
		capR := l.HeatCaps[i]
		drawText(screen, model.HeatCaption(i, L.In, L.Out, h.Scale, h.Signed), r.small, capR.X, capR.Y, colMuted)
		dr := model.HeatDrawRect(l.HeatPics[i], h.W, h.H, s)
		op := &ebiten.DrawImageOptions{}
		op.GeoM.Scale(dr.W/float64(h.W), dr.H/float64(h.H))
		op.GeoM.Translate(dr.X, dr.Y)
		screen.DrawImage(r.heatImg[i], op) // nearest filtering: crisp cells
		strokeRect(screen, dr.Inset(-1), 1, colBorder)
		if ci, cj, ok := model.Cell(dr, L.In, L.Out, float64(mx), float64(my)); ok {
			cw, ch := dr.W/float64(L.In), dr.H/float64(L.Out)
			cell := model.Rect{X: dr.X + float64(ci)*cw, Y: dr.Y + float64(cj)*ch, W: cw, H: ch}
			strokeRect(screen, cell.Inset(-1.5), 1.5, color.White)
			si, sj := a.CellSynapse(i, ci, cj)
			hover = fmt.Sprintf("layer %d  ", i+1) + model.SynapseInfo(&L, names, si, sj)
		}
		r.outlinePinned(screen, g, i, L, dr)
	}
	// Legend.
	k := 0
	if view == model.ViewAbsDW {
		k = 1
	}
	bar := l.LegendBar
	op := &ebiten.DrawImageOptions{}
	op.GeoM.Scale(bar.W/256, bar.H)
	op.GeoM.Translate(bar.X, bar.Y)
	op.Filter = ebiten.FilterLinear
	screen.DrawImage(r.legend[k], op)
	lo, mid, hi := "−max", "0", "+max"
	if k == 1 {
		lo, mid, hi = "0", "", "max"
	}
	lr := l.LegendLabels
	drawText(screen, lo, r.small, lr[0].X, lr[0].Y, colMuted)
	drawText(screen, mid, r.small, lr[1].X, lr[1].Y, colMuted)
	drawText(screen, hi, r.small, lr[2].X+lr[2].W-text.Advance(hi, r.small), lr[2].Y, colMuted)
	info := hover
	if info == "" {
		what := map[model.View]string{model.ViewW: "weights w (rows: post j, columns: pre i)", model.ViewDW: "last update Δw", model.ViewAbsDW: "|Δw|: where the network is changing", model.ViewCoef: "rule coefficient " + coefName(names, coef) + " per synapse"}[view]
		info = what + " — hover a cell, click to pin it"
	}
	ir := l.LegendInfo
	lines := model.WrapWidth(info, ir.W, func(t string) float64 { return text.Advance(t, r.small) })
	if hover == "" {
		// The second line says how rows and columns are ordered.
		lines = append(lines[:1], a.OrderLabel())
	}
	for i, ln := range lines {
		if i > 1 {
			break
		}
		drawText(screen, ln, r.small, ir.X, ir.Y+float64(i)*13*s, colText)
	}
}

func coefName(names []string, c int) string {
	if c < len(names) {
		return names[c]
	}
	return ""
}
