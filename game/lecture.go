package game

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"math"
	"time"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/vector"

	"github.com/hebbsim/hebbsim/game/model"
	"github.com/hebbsim/hebbsim/internal/clip"
)

// This file draws the lecture hall's parts over the frame: the pinned
// synapse's outline and w(t) plot, the tour's arrow, the recording dot;
// and records F9 clips. What they show is decided in game/model (tour.go,
// microscope.go, order.go).

// lectureImages are the microscope plot's buffers.
type lectureImages struct {
	buf *image.RGBA
	img *ebiten.Image
	key string
}

// lectureSig changes whenever something the lecture parts draw into
// retained regions moves: then the whole frame is drawn once.
func lectureSig(a *model.App) string {
	p, pinned := a.Pinned()
	return fmt.Sprintf("%v/%d/%v/%v/%d/%v", a.Tour.Active, a.Tour.Step, pinned, p, a.Order, a.Recording)
}

var colPin = color.RGBA{0xff, 0xf0, 0x40, 0xff}

// outlinePinned outlines the pinned synapse's cell in layer i's heatmap
// drawn at dr.
func (r *renderer) outlinePinned(screen *ebiten.Image, g *Game, i int, L model.Layer, dr model.Rect) {
	p, ok := g.app.Pinned()
	if !ok || p.L != i || L.In == 0 || L.Out == 0 {
		return
	}
	x, y := g.app.SynapseCell(i, p.I, p.J)
	cw, ch := dr.W/float64(L.In), dr.H/float64(L.Out)
	cell := model.Rect{X: dr.X + float64(x)*cw, Y: dr.Y + float64(y)*ch, W: cw, H: ch}
	s := g.lay.S
	strokeRect(screen, cell.Inset(-2*s), 2*s, colPin)
}

// drawLecture draws the microscope's w(t) plot and the tour's arrow.
func (r *renderer) drawLecture(screen *ebiten.Image, g *Game) {
	a := g.app
	s := g.lay.S
	if pr := a.ScopePlot(g.lay); pr.W > 4 && pr.H > 4 {
		r.drawScopePlot(screen, g, pr)
	}
	if a.Tour.Active {
		box := a.TourBox(g.lay)
		fx, fy, tx, ty := a.TourArrow(g.lay, box)
		if fx != tx || fy != ty {
			drawArrow(screen, fx, fy, tx, ty, 3*s, colPin)
		}
	}
}

// drawScopePlot renders w(t) of the pinned synapse (with the scene's
// marks) into an image a few times a second and draws it at pr.
func (r *renderer) drawScopePlot(screen *ebiten.Image, g *Game, pr model.Rect) {
	a := g.app
	h := a.PinHistory()
	if h == nil {
		return
	}
	sc := a.Current()
	w, ht := int(pr.W), int(pr.H)
	lec := &r.lec
	if lec.buf == nil || lec.buf.Bounds().Dx() != w || lec.buf.Bounds().Dy() != ht {
		lec.buf = image.NewRGBA(image.Rect(0, 0, w, ht))
		lec.img = ebiten.NewImage(w, ht)
		lec.key = ""
	}
	start := a.PinStart()
	key := fmt.Sprintf("%d/%d/%d/%d", h.Len(), h.Stride, len(sc.Marks), start)
	if key != lec.key && (lec.key == "" || g.frame%6 == 0) {
		for i := 0; i < len(lec.buf.Pix); i += 4 {
			copy(lec.buf.Pix[i:], []byte{0x15, 0x16, 0x1c, 0xff})
		}
		var marks []model.Mark
		for _, m := range sc.Marks {
			if m.Step >= start {
				m.Step -= start
				marks = append(marks, m)
			}
		}
		spec := model.PlotSpec{Lines: []model.Line{{Label: "w", Color: colPin, Data: h.Series[0]}},
			Stride: h.Stride, Steps: max(200, h.Steps()), Marks: marks, ZeroLine: true}
		spec.Render(lec.buf)
		lec.img.WritePixels(lec.buf.Pix)
		lec.key = key
	}
	op := &ebiten.DrawImageOptions{}
	op.GeoM.Translate(pr.X, pr.Y)
	screen.DrawImage(lec.img, op)
}

// drawArrow draws a line from (fx, fy) to (tx, ty) with a head at the end.
func drawArrow(dst *ebiten.Image, fx, fy, tx, ty, w float64, c color.RGBA) {
	vector.StrokeLine(dst, float32(fx), float32(fy), float32(tx), float32(ty), float32(w), c, true)
	a := math.Atan2(ty-fy, tx-fx)
	l := 5 * w
	for _, d := range []float64{2.6, -2.6} {
		vector.StrokeLine(dst, float32(tx), float32(ty), float32(tx+l*math.Cos(a+d)), float32(ty+l*math.Sin(a+d)), float32(w), c, true)
	}
}

// Clip recording (F9). Frames are read back from the screen about
// ClipFPS times a second, scaled and quantised in the background, and
// written as a GIF beside the screenshots when recording stops (or after
// ClipMax). The simulation's pace does not depend on the frame rate
// (model.Pacer runs steps by wall time), so recording cannot change it.
const (
	ClipFPS   = 12.5
	ClipWidth = 640 // clips are at most this wide
	ClipMax   = 60 * time.Second
)

type clipRec struct {
	rec    *clip.Recorder
	area   image.Rectangle // the part of the screen recorded
	bounds image.Rectangle // the screen's when recording started
	frames chan *image.RGBA
	done   chan clipDone
	dir    string
	name   string
	start  time.Time
	last   time.Time
	small  *ebiten.Image // the recorded area, scaled on the GPU to the clip's size
	sent   int           // frames handed to the encoder
}

// toggleClip starts or stops recording.
func (g *Game) toggleClip(screen *ebiten.Image) {
	if g.clip != nil {
		g.stopClip()
		return
	}
	b := screen.Bounds()
	area := b
	if g.app.Settings.ClipWorld {
		w := g.lay.World
		area = image.Rect(int(w.X), int(w.Y), int(w.X+w.W), int(w.Y+w.H)).Intersect(b)
	}
	cw := min(ClipWidth, area.Dx())
	ch := max(1, area.Dy()*cw/max(1, area.Dx()))
	rec, err := clip.NewRecorder(cw, ch, ClipFPS)
	if err != nil {
		g.app.Error(err)
		return
	}
	rec.Colours = 96
	rec.MaxFrames = int(ClipMax.Seconds() * ClipFPS)
	name := fmt.Sprintf("hebbsim-%s-%s.gif", g.app.Current().Spec.Name, time.Now().Format("20060102-150405"))
	c := &clipRec{rec: rec, area: area, frames: make(chan *image.RGBA, 8), done: make(chan clipDone, 1),
		dir: g.app.Settings.ShotsDir, name: name, start: time.Now(),
		small: ebiten.NewImage(cw, ch), bounds: b}
	plat := g.plat
	go func() {
		for f := range c.frames {
			c.rec.Add(f)
		}
		// Written as the screenshots are: atomically beside them on the
		// desktop, a download in the browser.
		var buf bytes.Buffer
		if err := c.rec.Encode(&buf); err != nil {
			c.done <- clipDone{err: err}
			return
		}
		where, err := plat.saveShot(c.dir, c.name, buf.Bytes())
		c.done <- clipDone{where, err}
	}()
	g.clip = c
	g.app.Recording = true
	area0 := "window"
	if g.app.Settings.ClipWorld {
		area0 = "world view"
	}
	g.app.Info("recording the %s to a GIF (F9 stops; at most %v)", area0, ClipMax)
}

// captureClip reads a frame for the clip when one is due.
func (g *Game) captureClip(screen *ebiten.Image) {
	c := g.clip
	if c == nil {
		return
	}
	now := time.Now()
	if now.Sub(c.start) > ClipMax || c.sent >= c.rec.MaxFrames {
		g.stopClip()
		return
	}
	if !c.last.IsZero() && now.Sub(c.last) < time.Duration(float64(time.Second)/ClipFPS) {
		return
	}
	c.last = now
	if !screen.Bounds().Eq(c.bounds) {
		g.stopClip() // the window changed size: the clip ends here
		return
	}
	// Scaled on the GPU and read back at the clip's size: a quarter of
	// the pixels of a full-window read, and no filtering on the CPU.
	op := &ebiten.DrawImageOptions{}
	op.GeoM.Translate(-float64(c.area.Min.X), -float64(c.area.Min.Y))
	op.GeoM.Scale(float64(c.rec.W)/float64(c.area.Dx()), float64(c.rec.H)/float64(c.area.Dy()))
	op.Filter = ebiten.FilterLinear
	op.Blend = ebiten.BlendCopy
	c.small.DrawImage(screen.SubImage(c.area).(*ebiten.Image), op)
	f := image.NewRGBA(image.Rect(0, 0, c.rec.W, c.rec.H))
	c.small.ReadPixels(f.Pix)
	select {
	case c.frames <- f:
		c.sent++
	default: // the encoder is behind: skip a frame rather than slow the app
	}
}

// stopClip ends recording; the GIF is written in the background and
// reported through shotErr.
func (g *Game) stopClip() {
	c := g.clip
	if c == nil {
		return
	}
	g.clip = nil
	g.app.Recording = false
	close(c.frames)
	g.app.Info("writing clip %s …", c.name)
	go func() {
		d := <-c.done
		if d.err != nil {
			g.shotErr <- "error:clip: " + d.err.Error()
			return
		}
		g.shotErr <- "clip:" + d.where
	}()
}

// drawRecDot marks a recording at the right end of the tab bar (drawn
// after the frame is captured, so the clip does not show it).
func (g *Game) drawRecDot(screen *ebiten.Image) {
	if g.clip == nil {
		return
	}
	s := g.lay.S
	t := g.lay.Top
	x, y := t.X+t.W-16*s, t.Y+t.H/2
	vector.DrawFilledCircle(screen, float32(x), float32(y), float32(6*s), color.RGBA{0xe0, 0x20, 0x20, 0xff}, true)
	drawText(screen, "REC", g.r.bold, x-36*s, y-8*s, color.RGBA{0xff, 0x50, 0x50, 0xff})
}

// finishClip ends a recording still running when the app closes and
// waits for its file.
func (g *Game) finishClip() {
	c := g.clip
	if c == nil {
		return
	}
	g.clip = nil
	close(c.frames)
	if d := <-c.done; d.err != nil {
		fmt.Fprintln(g.out, "hebbsim: clip:", d.err)
	}
}

// clipDone is where a clip was written, or why not.
type clipDone struct {
	where string
	err   error
}
