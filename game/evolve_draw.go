package game

import (
	"fmt"
	"image"
	"math"
	"os/exec"
	"strings"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/text/v2"

	"github.com/hebbsim/hebbsim/game/model"
)

// The Evolve mode's drawing: the fitness plot in the side panel (the
// panel's items come from model.App.Items like every other panel; the
// world view shows the demo scene, the heatmaps the centre's rule
// coefficients, through model.App.HeatLayers).

// evoPlot is the fitness plot's image and what it last showed.
type evoPlot struct {
	buf    *image.RGBA
	img    *ebiten.Image
	key    string
	lo, hi float64
}

var evoFit evoPlot

// drawEvolvePlot draws the fitness per generation into the room the
// Evolve panel left (a.EvoPlot); the side panel calls it whenever it
// redraws, which it does when a generation ends (the panel's text
// changes).
func (r *renderer) drawEvolvePlot(screen *ebiten.Image, g *Game) {
	a := g.app
	box := a.EvoPlot
	s := g.lay.S
	if !a.EvoOn || box.W < 40*s || box.H < 60*s {
		return
	}
	spec := a.FitnessPlot()
	drawText(screen, spec.Title, r.bold, box.X, box.Y, colText)
	x := box.X + text.Advance(spec.Title, r.bold) + 10*s
	for _, ln := range spec.Lines {
		drawText(screen, ln.Label, r.small, x, box.Y+1*s, ln.Color)
		x += text.Advance(ln.Label, r.small) + 8*s
	}
	area := model.Rect{X: box.X + math.Round(42*s), Y: box.Y + math.Round(18*s), W: box.W - math.Round(42*s), H: box.H - math.Round(34*s)}
	w, h := int(area.W), int(area.H)
	if w < 8 || h < 8 {
		return
	}
	n := 0
	if len(spec.Lines) > 0 {
		n = len(spec.Lines[0].Data)
	}
	key := fmt.Sprintf("%d/%dx%d", n, w, h)
	if evoFit.buf == nil || evoFit.buf.Bounds().Dx() != w || evoFit.buf.Bounds().Dy() != h {
		evoFit.buf = image.NewRGBA(image.Rect(0, 0, w, h))
		evoFit.img = ebiten.NewImage(w, h)
		evoFit.key = ""
	}
	if key != evoFit.key {
		evoFit.lo, evoFit.hi = spec.Render(evoFit.buf)
		evoFit.img.WritePixels(evoFit.buf.Pix)
		evoFit.key = key
	}
	op := &ebiten.DrawImageOptions{}
	op.GeoM.Translate(area.X, area.Y)
	screen.DrawImage(evoFit.img, op)
	drawText(screen, model.FmtTick(evoFit.hi), r.small, box.X, area.Y-2*s, colMuted)
	drawText(screen, model.FmtTick(evoFit.lo), r.small, box.X, area.Y+area.H-12*s, colMuted)
	drawText(screen, "gen 0", r.small, area.X, area.Y+area.H+1*s, colMuted)
	last := fmt.Sprintf("gen %d", max(n, 10))
	drawText(screen, last, r.small, area.X+area.W-text.Advance(last, r.small), area.Y+area.H+1*s, colMuted)
}

// evolveUpdate handles the Evolve mode's requests for the window: the
// save folder's dialog.
func (g *Game) evolveUpdate() {
	select {
	case p := <-saveDirDone:
		if p != "" {
			g.app.Do(model.CmdEvolve + ":set:savedir:" + p)
			g.app.Info("rule files from the Evolve mode go to %s", p)
		}
	default:
	}
	if !g.app.WantSaveDir {
		return
	}
	g.app.WantSaveDir = false
	p, err := exec.LookPath("zenity")
	if err != nil {
		g.app.Info("no folder dialog here (zenity): rule files go to %s", g.app.Evo.Dir)
		return
	}
	go func() {
		out, err := exec.Command(p, "--file-selection", "--directory", "--title=Folder for evolved rule files").Output()
		if err != nil {
			saveDirDone <- ""
			return
		}
		saveDirDone <- strings.TrimSpace(string(out))
	}()
}

var saveDirDone = make(chan string, 1)
