package game

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"os"
	"strings"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/text/v2"
	"github.com/hajimehoshi/ebiten/v2/vector"
	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/gomono"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"

	"github.com/hebbsim/hebbsim/game/model"
	"github.com/hebbsim/hebbsim/physics"
	"github.com/hebbsim/hebbsim/physics/racer"
)

// The palette: a dark UI around a light world.
var (
	colBG       = color.RGBA{0x15, 0x16, 0x1c, 0xff}
	colPanel    = color.RGBA{0x1d, 0x1f, 0x27, 0xff}
	colBorder   = color.RGBA{0x30, 0x33, 0x40, 0xff}
	colText     = color.RGBA{0xe4, 0xe6, 0xee, 0xff}
	colMuted    = color.RGBA{0x95, 0x9b, 0xab, 0xff}
	colAccent   = color.RGBA{0x6f, 0xa8, 0xff, 0xff}
	colButton   = color.RGBA{0x2a, 0x2d, 0x39, 0xff}
	colHover    = color.RGBA{0x38, 0x3c, 0x4c, 0xff}
	colOn       = color.RGBA{0x2f, 0x5f, 0xb8, 0xff}
	colAlert    = color.RGBA{0xb8, 0x32, 0x32, 0xff}
	colError    = color.RGBA{0xff, 0x6b, 0x6b, 0xff}
	colWarn     = color.RGBA{0xff, 0xc1, 0x4d, 0xff}
	colHUD      = color.RGBA{0x10, 0x11, 0x16, 0xc8}
	colSkyQuad  = color.RGBA{0xcf, 0xd8, 0xef, 0xff}
	colSkyRacer = color.RGBA{0x5c, 0xa0, 0x5c, 0xff}
	colLaneHebb = color.RGBA{0xff, 0xa8, 0x3a, 0xff}
	colLaneStat = color.RGBA{0x8f, 0xb4, 0xe8, 0xff}
	palette     = []color.RGBA{
		{0xff, 0xa8, 0x3a, 0xff}, {0x6f, 0xa8, 0xff, 0xff}, {0x7d, 0xd8, 0x7d, 0xff}, {0xe8, 0x6f, 0xc8, 0xff},
		{0xf0, 0xe0, 0x5a, 0xff}, {0x5a, 0xd8, 0xd8, 0xff}, {0xc0, 0x90, 0xff, 0xff}, {0xff, 0x70, 0x70, 0xff},
	}
)

// renderer owns the images and fonts of the frame.
type renderer struct {
	scale   float64
	white   *ebiten.Image
	face    text.Face // UI text
	small   text.Face
	bold    text.Face
	mono    text.Face
	monoS   text.Face // the microscope's numbers
	wd      worldDrawer
	heat    []model.Heatmap
	heatImg []*ebiten.Image
	heatKey []string
	plotBuf []*image.RGBA
	plotImg []*ebiten.Image
	plotKey []string
	plotLo  []float64
	plotHi  []float64
	plotEp  []int // the episode each plot image shows
	hudEp   int   // the episode the HUD showed
	ov      model.Overlays
	// outOfStep counts frames in which a plot showed another episode than
	// the HUD (the end-to-end test reads it from the state file).
	outOfStep int64
	obsImg    *ebiten.Image
	obsAt     int64
	legend    [2]*ebiten.Image

	// Retained drawing: what each region showed when last drawn.
	full                               bool // draw everything this frame
	wasHelp                            bool
	lastLayKey                         [6]float64
	lastScene                          *model.Scene
	sigTop, sigSide, sigHeat, sigPlots string
	sigWorld                           string
	lastLecture                        string
	lec                                lectureImages
}

func newRenderer() *renderer {
	w := ebiten.NewImage(3, 3)
	w.Fill(color.White)
	r := &renderer{white: w.SubImage(image.Rect(1, 1, 2, 2)).(*ebiten.Image)}
	whitePix = r.white
	r.wd.src = r.white
	for k, lut := range []*model.LUT{model.Diverging, model.Sequential} {
		img := ebiten.NewImage(256, 1)
		pix := make([]byte, 256*4)
		for i := range 256 {
			copy(pix[4*i:], lut[i][:])
		}
		img.WritePixels(pix)
		r.legend[k] = img
	}
	r.setScale(1)
	return r
}

func mustFace(ttf []byte, size float64) text.Face {
	f, err := opentype.Parse(ttf)
	if err != nil {
		panic("game: font: " + err.Error())
	}
	face, err := opentype.NewFace(f, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingFull})
	if err != nil {
		panic("game: font: " + err.Error())
	}
	return text.NewGoXFace(face)
}

func (r *renderer) setScale(s float64) {
	if s == r.scale && r.face != nil {
		return
	}
	r.scale = s
	resetTexts()
	r.face = mustFace(goregular.TTF, model.FontSize*s)
	r.small = mustFace(goregular.TTF, 11*s)
	r.bold = mustFace(gobold.TTF, 12*s)
	r.mono = mustFace(gomono.TTF, 13*s)
	r.monoS = mustFace(gomono.TTF, 11*s)
	r.wd.face = r.small
}

// Measurement knobs (see doc.go), read once.
var (
	exp        = os.Getenv("HEBBSIM_EXP")
	emptyFrame = os.Getenv("HEBBSIM_EMPTY_FRAME")
)

// draw draws the whole frame.
func (r *renderer) draw(screen *ebiten.Image, g *Game) {
	a := g.app
	sc := a.Current()
	if e := emptyFrame; e != "" { // measurement floor: present only
		switch e {
		case "pixel":
			fillRect(screen, model.Rect{W: 1, H: 1}, colBG)
		case "nofill":
		default:
			screen.Fill(colBG)
		}
		return
	}

	// Regions the screen still shows (it is not cleared) are redrawn only
	// when what they show changes; the help overlay covers everything, so
	// while it is open (and the frame after) everything is drawn.
	// The tour's arrow and the pinned cell's outline reach into retained
	// regions: when they move, everything is drawn.
	lsig := lectureSig(a)
	r.full = r.full || lsig != r.lastLecture
	r.lastLecture = lsig
	r.full = r.full || a.Help || r.wasHelp || strings.Contains(exp, "noretain") || g.layKey != r.lastLayKey || r.lastScene != sc
	r.wasHelp, r.lastLayKey, r.lastScene = a.Help, g.layKey, sc

	// The world is drawn every frame while the simulation runs; paused, only
	// when the view or the HUD changes, so a paused app costs little.
	worldSig := ""
	if a.Paused {
		hud, _ := r.hudLines(g)
		worldSig = fmt.Sprintf("%d/%v/%d/%s/%s", sc.Main().Ep.Index(), a.Rules, len(sc.Lanes), hud, lectureSig(a))
		for _, ln := range sc.Lanes {
			worldSig += fmt.Sprintf("/%v/%v/%v", ln.Cam.Center, ln.Cam.Zoom, ln.Cam.View)
		}
	}
	if r.full || !a.Paused || worldSig != r.sigWorld {
		r.sigWorld = worldSig
		r.drawWorld(screen, g)
	}
	r.drawChrome(screen, g)
}

// drawWorld draws the lanes, the observation inset and the HUD.
func (r *renderer) drawWorld(screen *ebiten.Image, g *Game) {
	a := g.app
	l := g.lay
	s := l.S
	sc := a.Current()
	hud, _ := r.hudLines(g)
	r.ov = a.PlaceOverlays(&g.lay, hud)
	for i, ln := range sc.Lanes {
		if i >= len(l.Lanes) {
			break
		}
		view := sub(screen, l.Lanes[i])
		sky := colSkyQuad
		if sc.Spec.Name == "racer" {
			sky = colSkyRacer
		}
		r.wd.begin(view, &ln.Cam, float32(math.Max(1, 1.5*s)), sky)
		if !sc.Spec.Track {
			r.distanceMarkers(ln, s)
		}
		func() {
			defer func() { recover() }() // a broken world must not stop the frame
			if !strings.Contains(exp, "noworld") {
				ln.Env.Draw(&r.wd)
			}
		}()
		r.wd.end()
		r.drawRays(view, sc, ln)
		if len(sc.Lanes) > 1 {
			c := colLaneHebb
			if i > 0 {
				c = colLaneStat
			}
			cap := fmt.Sprintf("%s   return %.1f   %s", ln.Label, ln.Ep.Return(), ln.ProgressText())
			if i < len(r.ov.LaneCaps) {
				cr := r.ov.LaneCaps[i]
				fillRect(view, cr, colHUD)
				drawText(view, cap, r.face, cr.X+8*s, cr.Y+3*s, c)
			}
			if i > 0 {
				fillRect(screen, model.Rect{X: l.Lanes[i].X - 1*s, Y: l.Lanes[i].Y, W: 2 * s, H: l.Lanes[i].H}, colBG)
			}
		}
		if ln.Done() {
			msg := "episode ended: " + ln.Info.Reason
			if ln.Err != "" {
				msg = "episode ended: " + ln.Err
			}
			if i < len(r.ov.LaneEnded) {
				er := r.ov.LaneEnded[i]
				w := math.Min(text.Advance(msg, r.face)+24*s, er.W)
				box := model.Rect{X: er.X + (er.W-w)/2, Y: er.Y, W: w, H: er.H}
				fillRect(screen, box, colHUD)
				drawText(view, msg, r.face, box.X+12*s, box.Y+6*s, colWarn)
			}
		}
	}
	r.drawObservation(screen, g)
	r.drawHUD(screen, g)
}

func (r *renderer) drawChrome(screen *ebiten.Image, g *Game) {
	a := g.app
	l := g.lay
	if sig := r.itemsSig(g, regionTop); r.full || sig != r.sigTop {
		r.sigTop = sig
		fillRect(screen, l.Top, colPanel)
		fillRect(screen, model.Rect{X: l.Top.X, Y: l.Top.Y + l.Top.H - 1, W: l.Top.W, H: 1}, colBorder)
		r.drawItems(screen, g, regionTop)
	}
	if sig := r.itemsSig(g, regionSide) + r.statusSig(g); r.full || sig != r.sigSide {
		r.sigSide = sig
		fillRect(screen, l.Side, colPanel)
		fillRect(screen, model.Rect{X: l.Side.X, Y: l.Side.Y, W: 1, H: l.Side.H}, colBorder)
		r.drawItems(screen, g, regionSide)
		r.drawEvolvePlot(screen, g)
		r.drawStatus(screen, g)
	}
	if a.Panels {
		if !strings.Contains(exp, "noheat") {
			r.drawHeatmaps(screen, g)
		}
		if !strings.Contains(exp, "noplot") {
			r.drawPlots(screen, g)
		}
	}
	r.drawItems(screen, g, regionOverlay)
	r.drawLecture(screen, g)
	if a.Help {
		r.drawHelp(screen, g)
	}
	if a.Panels {
		for _, ep := range r.plotEp {
			if ep != r.hudEp {
				r.outOfStep++
				break
			}
		}
	}
	r.full = false
	texts.endFrame()
}

// The regions items belong to, by where they sit.
const (
	regionTop = iota
	regionSide
	regionHeat
	regionOverlay
)

func regionOf(l *model.Layout, it model.Item) int {
	x, y := it.R.X+1, it.R.Y+1
	switch {
	case l.Top.Contains(x, y):
		return regionTop
	case l.Side.Contains(x, y):
		return regionSide
	case l.HeatBar.Contains(x, y):
		return regionHeat
	}
	return regionOverlay
}

// itemsSig is what the items of a region look like now: their text and
// state, and which of them the mouse is over.
func (r *renderer) itemsSig(g *Game, region int) string {
	var b strings.Builder
	mx, my := ebiten.CursorPosition()
	for _, it := range g.items {
		if regionOf(&g.lay, it) != region {
			continue
		}
		fmt.Fprintf(&b, "%s/%v/%v/%v/%v;", it.Text, it.R, it.On, it.Alert, it.Cmd != "" && it.R.Contains(float64(mx), float64(my)))
	}
	return b.String()
}

// statusSig is what the status line at the bottom of the side panel shows.
func (r *renderer) statusSig(g *Game) string {
	a := g.app
	if a.Msg.Text != "" && !a.Now().After(a.Msg.Until) {
		return fmt.Sprintf("msg:%v:%s", a.Msg.Err, a.Msg.Text)
	}
	mx, my := ebiten.CursorPosition()
	if it, ok := model.Hit(g.items, float64(mx), float64(my)); ok {
		return "tip:" + it.Tip
	}
	return ""
}

func (r *renderer) drawItems(screen *ebiten.Image, g *Game, region int) {
	s := g.lay.S
	mx, my := ebiten.CursorPosition()
	for _, it := range g.items {
		if regionOf(&g.lay, it) != region {
			continue
		}
		ty := it.R.Y + (it.R.H-model.LineH*s)/2 + 1*s
		switch it.Style {
		case model.StyleButton, model.StyleTab:
			bg := colButton
			if it.Style == model.StyleTab {
				bg = colBG
			}
			if it.R.Contains(float64(mx), float64(my)) {
				bg = colHover
			}
			if it.On {
				bg = colOn
			}
			if it.Alert {
				bg = colAlert
			}
			fillRect(screen, it.R, bg)
			tc := colText
			if it.Style == model.StyleTab && !it.On {
				tc = colMuted
			}
			tw := text.Advance(it.Text, r.face)
			drawText(screen, it.Text, r.face, it.R.X+(it.R.W-tw)/2, ty, tc)
		case model.StyleHeader:
			if it.R.H < model.LineH*s { // a compact panel (the microscope)
				drawText(screen, it.Text, r.bold, it.R.X, it.R.Y+1*s, colAccent)
				continue
			}
			drawText(screen, it.Text, r.bold, it.R.X, ty+1*s, colAccent)
		case model.StyleMuted:
			if it.Text == "" { // a panel box (the rules list)
				fillRect(screen, it.R, colPanel)
				strokeRect(screen, it.R, 1, colBorder)
				continue
			}
			drawText(screen, it.Text, r.face, it.R.X, ty, colMuted)
		case model.StyleError:
			drawText(screen, it.Text, r.face, it.R.X, ty, colWarn)
		default:
			if it.Mono {
				drawText(screen, it.Text, r.monoS, it.R.X, it.R.Y+1*s, colText)
				continue
			}
			drawText(screen, it.Text, r.face, it.R.X, ty, colText)
		}
	}
}

func (r *renderer) drawStatus(screen *ebiten.Image, g *Game) {
	a := g.app
	st := g.lay.Status
	s := g.lay.S
	if a.Msg.Text == "" || a.Now().After(a.Msg.Until) {
		// No message: the hovered button's hint.
		mx, my := ebiten.CursorPosition()
		if it, ok := model.Hit(g.items, float64(mx), float64(my)); ok && it.Tip != "" {
			drawText(screen, it.Tip, r.small, st.X+10*s, st.Y+st.H-20*s, colMuted)
		}
		return
	}
	c := colText
	bg := color.RGBA{0x23, 0x2a, 0x3a, 0xff}
	if a.Msg.Err {
		c, bg = colError, color.RGBA{0x3a, 0x1c, 0x20, 0xff}
	}
	lines := model.WrapWidth(a.Msg.Text, st.W-20*s, func(t string) float64 { return text.Advance(t, r.face) })
	if len(lines) > model.StatusLines {
		lines = lines[:model.StatusLines]
		lines[len(lines)-1] += " …"
	}
	h := float64(len(lines))*model.LineH*s + 10*s
	box := model.Rect{X: st.X + 4*s, Y: st.Y + st.H - h - 4*s, W: st.W - 8*s, H: h}
	fillRect(screen, box, bg)
	for i, ln := range lines {
		drawText(screen, ln, r.face, box.X+6*s, box.Y+5*s+float64(i)*model.LineH*s, c)
	}
}

func (r *renderer) drawHUD(screen *ebiten.Image, g *Game) {
	sc := g.app.Current()
	lines, nWarn := r.hudLines(g)
	r.hudEp = sc.Episode
	o := &r.ov
	fillRect(screen, o.HUD, colHUD)
	for i, ln := range lines {
		if i >= len(o.HUDLines) {
			break
		}
		c := colText
		if i >= len(lines)-nWarn {
			c = colWarn
		}
		drawText(screen, ln, r.small, o.HUDLines[i].X, o.HUDLines[i].Y, c)
	}
}

// drawObservation shows, in the corner of the main lane, what the
// network sees: the racer's 84×84 view scaled ×2 without smoothing, or,
// when it drives from rays, the 12 values it gets (9 ray lengths, speed,
// yaw rate, offset from the centre line) as bars.
func (r *renderer) drawObservation(screen *ebiten.Image, g *Game) {
	sc := g.app.Current()
	ob, ok := sc.Main().Env.(interface{ ObservationImage() *image.RGBA })
	if !ok || len(g.lay.Lanes) == 0 {
		return
	}
	s := g.lay.S
	box := r.ov.Inset
	if box.W <= 0 {
		return
	}
	fillRect(screen, box, colHUD)
	if m := sc.Main(); m.Rules.SeesVector() {
		r.drawRayBars(screen, m.Ep.Obs(), s)
		return
	}
	step := int64(sc.Main().Ep.Index())
	if r.obsImg == nil || step != r.obsAt {
		var img *image.RGBA
		func() {
			defer func() { recover() }()
			img = ob.ObservationImage()
		}()
		if img == nil {
			return
		}
		b := img.Bounds()
		if r.obsImg == nil || r.obsImg.Bounds().Dx() != b.Dx() || r.obsImg.Bounds().Dy() != b.Dy() {
			r.obsImg = ebiten.NewImage(b.Dx(), b.Dy())
		}
		r.obsImg.WritePixels(img.Pix)
		r.obsAt = step
	}
	pic := r.ov.InsetPicture
	op := &ebiten.DrawImageOptions{}
	op.GeoM.Scale(pic.W/float64(r.obsImg.Bounds().Dx()), pic.H/float64(r.obsImg.Bounds().Dy()))
	op.GeoM.Translate(pic.X, pic.Y)
	screen.DrawImage(r.obsImg, op)
	drawText(screen, model.InsetCaptionPixels, r.small, r.ov.InsetCaption.X, r.ov.InsetCaption.Y, colText)
}

// drawRayBars draws the rays observation: one bar per value, rays in
// red (longer: more road ahead that way), then speed, yaw rate, offset
// (and, with the grip observation, the sideways slip; with traction, the
// wheel spin too; with compass, the road's direction as sine and cosine).
func (r *renderer) drawRayBars(screen *ebiten.Image, obs []float32, s float64) {
	pic := r.ov.InsetPicture
	n := len(obs)
	if n == 0 || pic.W <= 0 {
		return
	}
	bw := pic.W / float64(n)
	mid := pic.Y + pic.H/2
	fillRect(screen, model.Rect{X: pic.X, Y: mid, W: pic.W, H: 1}, colBorder)
	for i, v := range obs {
		// Rays read 0 … RayLength/RayUnit (7.5: no edge within reach);
		// speed, yaw rate and offset are a few units either way.
		full, c := racer.RayLength/racer.RayUnit, color.RGBA{0xff, 0x60, 0x60, 0xff}
		if i >= racer.NumRays {
			full, c = 3, colAccent
		}
		h := math.Max(-1, math.Min(1, float64(v)/full)) * (pic.H/2 - 2*s)
		bar := model.Rect{X: pic.X + float64(i)*bw + 1*s, Y: mid - math.Max(h, 0), W: bw - 2*s, H: math.Max(math.Abs(h), 1)}
		fillRect(screen, bar, c)
	}
	caption, legend := model.InsetCaptionRays, model.InsetLegendRays
	switch {
	case n > racer.ObsTraction:
		caption, legend = model.InsetCaptionCompass, model.InsetLegendCompass
	case n > racer.ObsGrip:
		caption, legend = model.InsetCaptionTraction, model.InsetLegendTraction
	case n > racer.ObsRays:
		caption, legend = model.InsetCaptionGrip, model.InsetLegendGrip
	}
	drawText(screen, caption, r.small, r.ov.InsetCaption.X, r.ov.InsetCaption.Y, colText)
	drawText(screen, legend, r.small, r.ov.InsetLegend.X, r.ov.InsetLegend.Y, colMuted)
}

func (r *renderer) drawHelp(screen *ebiten.Image, g *Game) {
	hb := g.lay.LayoutHelp()
	fillRect(screen, hb.Box, color.RGBA{0x12, 0x13, 0x18, 0xff})
	strokeRect(screen, hb.Box, 1, colAccent)
	for i, ln := range hb.Lines {
		c := colText
		if i == 0 {
			c = colAccent
		}
		drawText(screen, ln.Text, r.mono, ln.R.X, ln.R.Y, c)
	}
}

// drawRays draws the racer's range-finder rays when they are what the
// network sees (the quadruped draws its own lidar).
func (r *renderer) drawRays(dst *ebiten.Image, sc *model.Scene, ln *model.Lane) {
	rc, ok := ln.Env.(interface {
		Rays() (physics.Vec2, [racer.NumRays]physics.Vec2)
	})
	if !ok || !sc.Rules.SeesVector() {
		return
	}
	from, to := rc.Rays()
	x0, y0 := ln.Cam.ToScreen(from)
	for _, p := range to {
		x1, y1 := ln.Cam.ToScreen(p)
		vector.StrokeLine(dst, float32(x0), float32(y0), float32(x1), float32(y1), float32(math.Max(1, r.scale)), color.RGBA{0xff, 0x30, 0x30, 0xc0}, false)
	}
}

// hudLines are the HUD's text lines.
func (r *renderer) hudLines(g *Game) (lines []string, warnings int) {
	a := g.app
	sc := a.Current()
	m := sc.Main()
	lines = []string{
		fmt.Sprintf("step %d   return %.1f   %s   seed %d", m.Ep.Index(), m.Ep.Return(), m.ProgressText(), sc.Seed),
		fmt.Sprintf("speed %s   %.0f steps/s   FPS %.0f   TPS %.0f", a.SpeedLabel(), g.meter.stepsPerS, ebiten.ActualFPS(), ebiten.ActualTPS()),
		fmt.Sprintf("ms per frame: physics %.2f  brain %.2f  draw %.2f", g.meter.physMs, g.meter.brainMs, g.meter.drawMs),
	}
	extra, warn := a.HUDExtra()
	return append(append(lines, extra...), warn...), len(warn)
}

// distanceMarkers draws a faint vertical line every 5 m from where the
// body started, labelled in metres, behind the world: with the camera
// following the body they show that it moves, and how far.
func (r *renderer) distanceMarkers(ln *model.Lane, s float64) {
	cam := &ln.Cam
	left := cam.ToWorld(cam.View.X, 0).X
	right := cam.ToWorld(cam.View.X+cam.View.W, 0).X
	const every = 5.0
	c := color.RGBA{0xa8, 0xb3, 0xd0, 0xff}
	lw := r.wd.lineW
	r.wd.lineW = float32(math.Max(1, s))
	for k := math.Ceil((left - ln.Start.X) / every); ln.Start.X+k*every <= right; k++ {
		x, _ := cam.ToScreen(physics.Vec2{X: ln.Start.X + k*every})
		r.wd.line(float32(x), float32(cam.View.Y), float32(x), float32(cam.View.Y+cam.View.H), c)
		r.wd.labels = append(r.wd.labels, worldLabel{x + 4*s, cam.View.Y + math.Max(cam.View.H*0.27, 100*s), fmt.Sprintf("%.0f m", k*every), color.RGBA{0x7d, 0x88, 0xa8, 0xff}, true})
	}
	r.wd.lineW = lw
}
