package game

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/png"
	"io"
	"io/fs"
	"math"
	"os"
	"os/signal"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/inpututil"
	"github.com/hajimehoshi/ebiten/v2/text/v2"

	"github.com/hebbsim/hebbsim/game/model"
)

// Options configure Run. The zero value opens the window at the
// remembered size with the remembered scene and bundled (or random) rules.
type Options struct {
	Rules    string        // rule file to load at start ("" none)
	Scene    string        // scene to open ("" remembered)
	Seed     int64         // first episode seed (0: 1)
	Speed    int           // speed rung; -1 remembered
	FPSTest  time.Duration // measure FPS for this long after a 3 s warm-up, print, exit
	State    string        // write the app state as JSON here every few frames (tests)
	ShotsDir string        // where F12 writes ("" remembered, else the current directory)
	Width    int           // window size in device-independent pixels (0: remembered)
	Height   int
	Out      io.Writer // where --fps-test prints (nil: stdout)
	Tour     bool      // start the guided tour
	TourFile string    // the tour's text from this file (a translation) instead of the bundled one
	Pin      string    // pin this synapse ("L:I:J") at start (measurements)
}

// TPS is the number of updates per second; the simulation's speed
// ladder is defined against it.
const TPS = 60

// Game implements ebiten.Game.
type Game struct {
	app  *model.App
	opts Options
	plat *platform // what differs between the desktop and the browser
	out  io.Writer

	scale  float64
	lay    model.Layout
	layKey [6]float64
	items  []model.Item

	r *renderer

	// input
	dragging   bool
	dragMoved  bool
	dragLane   int
	lastX      int
	lastY      int
	dialogDone chan string

	// measurement
	frame       int64
	start       time.Time
	meter       meter
	fpsSamples  []float64
	stepSamples []float64
	lastShot    string
	shotErr     chan string

	// settings: what was last written, when; the signals that end the app
	signals    chan os.Signal
	saved      []byte
	savedAt    time.Time
	saveFailed bool
	outW, outH int      // the window's content size, device-independent pixels
	clip       *clipRec // the F9 recording, if one runs
}

// meter turns per-episode totals into per-second rates for the HUD.
type meter struct {
	at                      time.Time
	frames                  int64
	steps                   int64
	phys, brain, draw       time.Duration
	physMs, brainMs, drawMs float64 // per frame
	stepsPerS               float64
	drawAcc                 time.Duration
}

// New builds the game: settings, scenes, first rules.
func New(opts Options) (*Game, error) {
	plat, err := newPlatform()
	if err != nil {
		return nil, err
	}
	set, serr := plat.loadSettings()
	specs := model.Specs()
	if opts.Scene != "" {
		ok := false
		var names []string
		for _, sp := range specs {
			ok = ok || sp.Name == opts.Scene
			names = append(names, sp.Name)
		}
		if !ok {
			return nil, fmt.Errorf("unknown scene %q (valid: %s)", opts.Scene, strings.Join(names, ", "))
		}
		set.Scene = opts.Scene
	}
	if opts.Speed >= 0 && opts.Speed < len(model.Speeds) {
		set.Speed = opts.Speed
	}
	if opts.ShotsDir != "" {
		set.ShotsDir = opts.ShotsDir
	}
	if opts.FPSTest > 0 {
		// The frame-rate test measures the full view, whatever was
		// remembered.
		set.Panels = true
	}
	app, err := model.NewApp(specs, set, plat.loader)
	if err != nil {
		return nil, err
	}
	if serr != nil {
		app.Error(serr)
	}
	if opts.Seed != 0 {
		app.Current().Reset(opts.Seed)
	}
	if opts.Rules != "" {
		app.Do(model.CmdRules + ":" + opts.Rules)
	}
	if opts.TourFile != "" {
		b, err := os.ReadFile(opts.TourFile)
		if err != nil {
			return nil, fmt.Errorf("--tour-file: %w", err)
		}
		ts, err := model.ParseTour(b)
		if err != nil {
			return nil, fmt.Errorf("--tour-file %s: %w", opts.TourFile, err)
		}
		app.SetTour(ts)
	}
	if opts.Tour {
		app.Do(model.CmdTour + ":start")
	}
	if opts.Pin != "" {
		app.Do(model.CmdPin + ":" + opts.Pin)
	}
	g := &Game{app: app, opts: opts, plat: plat, out: opts.Out, scale: 1,
		dialogDone: make(chan string, 1), shotErr: make(chan string, 4), start: time.Now()}
	if g.out == nil {
		g.out = os.Stdout
	}
	g.r = newRenderer()
	g.plat.attach(g)
	return g, nil
}

// Run opens the window and runs until it is closed (or the FPS test ends).
func Run(opts Options) error {
	g, err := New(opts)
	if err != nil {
		return err
	}
	w, h := g.app.Settings.WindowW, g.app.Settings.WindowH
	if opts.Width > 0 && opts.Height > 0 {
		w, h = opts.Width, opts.Height
	}
	// Below the minimum, not everything has a place of its own
	// (model.MinW, the layout test).
	w, h = max(w, model.MinW), max(h, model.MinH)
	ebiten.SetWindowSize(w, h)
	ebiten.SetWindowSizeLimits(model.MinW, model.MinH, -1, -1)
	g.app.Settings.WindowW, g.app.Settings.WindowH = w, h
	// Ctrl+C and SIGTERM end the app as a window close does: the loop
	// stops at the next update and the settings are saved on the way out.
	g.signals = make(chan os.Signal, 1)
	signal.Notify(g.signals, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(g.signals)
	ebiten.SetWindowTitle("hebbsim — Hebbian plasticity, live")
	ebiten.SetWindowResizingMode(ebiten.WindowResizingModeEnabled)
	ebiten.SetTPS(TPS)
	ebiten.SetVsyncEnabled(true)
	// Every pixel is drawn each frame (lanes and panels tile the
	// screen), so Ebitengine's own clear would be wasted fill rate.
	ebiten.SetScreenClearedEveryFrame(false)
	err = ebiten.RunGame(g)
	g.finishClip()
	if errors.Is(err, ebiten.Termination) {
		err = nil
	}
	if opts.FPSTest == 0 {
		g.noteWindowSize()
		if serr := g.plat.saveSettings(g.app.Settings); serr != nil && err == nil {
			fmt.Fprintln(os.Stderr, "hebbsim: cannot save settings:", serr)
		}
	}
	return err
}

// noteWindowSize keeps the window's size in the settings (not while
// fullscreen or minimised, whose sizes are not the window's own).
func (g *Game) noteWindowSize() {
	if ebiten.IsFullscreen() || ebiten.IsWindowMinimized() {
		return
	}
	// The size Ebitengine lays out for is the window's content as it is
	// now (ebiten.WindowSize can lag a resize by the window system).
	if w, h := g.outW, g.outH; w >= model.MinW && h >= model.MinH {
		g.app.Settings.WindowW, g.app.Settings.WindowH = w, h
	}
}

// saveSettings writes the settings when they changed, at most once a
// second, so that even a kill the app cannot catch loses little.
func (g *Game) saveSettings() {
	if g.opts.FPSTest > 0 || time.Since(g.savedAt) < time.Second {
		return
	}
	g.noteWindowSize()
	b, err := json.Marshal(g.app.Settings)
	if err != nil || bytes.Equal(b, g.saved) {
		return
	}
	g.savedAt = time.Now()
	if err := g.plat.saveSettings(g.app.Settings); err != nil {
		if !g.saveFailed { // say it once
			g.app.Error(fmt.Errorf("cannot save settings: %w", err))
		}
		g.saveFailed = true
		return
	}
	g.saved = b
}

// LayoutF implements ebiten.LayoutFer: the screen has one pixel per device
// pixel, so text and lines stay sharp on HiDPI screens; the UI scales by
// the device scale factor.
func (g *Game) LayoutF(w, h float64) (float64, float64) {
	s := ebiten.Monitor().DeviceScaleFactor()
	if s <= 0 {
		s = 1
	}
	g.scale = s
	g.outW, g.outH = int(math.Round(w)), int(math.Round(h))
	return math.Ceil(w * s), math.Ceil(h * s)
}

// Layout implements ebiten.Game (unused: LayoutF wins).
func (g *Game) Layout(w, h int) (int, int) {
	fw, fh := g.LayoutF(float64(w), float64(h))
	return int(fw), int(fh)
}

func (g *Game) relayout(w, h int) {
	sc := g.app.Current()
	var ins []int
	insKey := 0.0
	for _, L := range sc.Main().Brain.Layers() {
		ins = append(ins, L.In)
		insKey = insKey*1000 + float64(L.In)
	}
	key := [6]float64{float64(w), float64(h), g.scale, b2f(g.app.Panels), float64(len(sc.Lanes)), insKey}
	if key != g.layKey {
		g.layKey = key
		g.lay = model.ComputeLayout(float64(w), float64(h), g.scale, g.app.Panels, len(sc.Lanes), ins)
		g.r.setScale(g.scale)
		face := g.r.face
		small, bold, mono := g.r.small, g.r.bold, g.r.mono
		g.lay.SetFaces(func(s string) float64 { return text.Advance(s, face) }, model.Faces{
			Small: func(s string) float64 { return text.Advance(s, small) },
			Bold:  func(s string) float64 { return text.Advance(s, bold) },
			Mono:  func(s string) float64 { return text.Advance(s, mono) },
		}, ins)
	}
	for i, l := range sc.Lanes {
		if i < len(g.lay.Lanes) {
			l.Cam.View = g.lay.Lanes[i]
		}
	}
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// Update implements ebiten.Game: input, then the simulation.
func (g *Game) Update() error {
	g.handleKeys()
	g.handleMouse()
	g.handleDrops()
	g.evolveUpdate()
	select {
	case p := <-g.dialogDone:
		if strings.HasPrefix(p, "error:") {
			g.app.Error(errors.New(strings.TrimPrefix(p, "error:")))
		} else if p != "" {
			g.app.Do(model.CmdRules + ":" + p)
		}
	default:
	}
	select {
	case e := <-g.shotErr:
		if strings.HasPrefix(e, "error:") {
			g.app.Error(errors.New(strings.TrimPrefix(e, "error:")))
		} else if p, ok := strings.CutPrefix(e, "clip:"); ok {
			g.app.LastClip = p
			g.app.Info("clip: %s", p)
		} else {
			g.lastShot = e
			g.app.Info("screenshot: %s", e)
		}
	default:
	}
	if g.app.WantOpen {
		g.app.WantOpen = false
		g.openDialog()
	}
	if g.app.WantQuit {
		g.app.WantQuit = false
		if g.plat.canQuit(g) {
			return ebiten.Termination
		}
	}
	select {
	case <-g.signals:
		return ebiten.Termination
	default:
	}
	g.saveSettings()
	g.plat.update(g)
	g.app.Tick(TPS)
	return g.measure()
}

func (g *Game) handleKeys() {
	keys := model.KeyCommands()
	for _, k := range inpututil.AppendJustPressedKeys(nil) {
		if cmd, ok := keys[k.String()]; ok {
			g.app.Do(cmd)
		}
	}
	// Held zoom and step keys repeat; others do not.
	for _, k := range []ebiten.Key{ebiten.KeyPageUp, ebiten.KeyPageDown, ebiten.KeyPeriod, ebiten.KeyN} {
		if d := inpututil.KeyPressDuration(k); d > 20 && d%6 == 0 {
			g.app.Do(keys[k.String()])
		}
	}
	if ebiten.IsKeyPressed(ebiten.KeyControl) && inpututil.IsKeyJustPressed(ebiten.KeyQ) {
		g.app.Do(model.CmdQuit)
	}
}

// laneAt returns the lane whose view holds (x, y), or -1.
func (g *Game) laneAt(x, y float64) int {
	if g.app.Rules {
		return -1
	}
	for i, r := range g.lay.Lanes {
		if r.Contains(x, y) && i < len(g.app.Current().Lanes) {
			return i
		}
	}
	return -1
}

func (g *Game) handleMouse() {
	mx, my := ebiten.CursorPosition()
	x, y := float64(mx), float64(my)
	sc := g.app.Current()
	if _, wy := ebiten.Wheel(); wy != 0 {
		if i := g.laneAt(x, y); i >= 0 {
			f := math.Pow(1.15, wy)
			for _, l := range sc.Lanes {
				l.Cam.ZoomAt(x-sc.Lanes[i].Cam.View.X+l.Cam.View.X, y, f)
			}
		}
	}
	if inpututil.IsMouseButtonJustPressed(ebiten.MouseButtonLeft) {
		if g.app.Help { // a click anywhere closes the help
			g.app.Do(model.CmdHelp)
			return
		}
		if it, ok := model.Hit(g.items, x, y); ok {
			g.app.Do(it.Cmd)
			return
		}
		if g.app.Panels { // a heatmap cell: pin that synapse (again: release)
			if p, ok := g.app.HeatCellAt(g.lay, x, y); ok {
				g.app.Do(model.CmdPin + ":" + p.String())
				return
			}
		}
		if i := g.laneAt(x, y); i >= 0 {
			g.dragging, g.dragMoved, g.dragLane, g.lastX, g.lastY = true, false, i, mx, my
		}
		return
	}
	if g.dragging && ebiten.IsMouseButtonPressed(ebiten.MouseButtonLeft) {
		dx, dy := mx-g.lastX, my-g.lastY
		if dx != 0 || dy != 0 {
			if !g.dragMoved && abs(dx)+abs(dy) < 4 {
				return
			}
			g.dragMoved = true
			for _, l := range sc.Lanes {
				l.Cam.Pan(float64(dx), float64(dy))
			}
			g.lastX, g.lastY = mx, my
		}
		return
	}
	if g.dragging && inpututil.IsMouseButtonJustReleased(ebiten.MouseButtonLeft) {
		g.dragging = false
		if !g.dragMoved && g.dragLane < len(sc.Lanes) {
			l := sc.Lanes[g.dragLane]
			if t := sc.TargetAt(l, l.Cam.ToWorld(x, y)); t != "" {
				g.app.Do(model.CmdDamage + ":" + t)
			}
		}
	}
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// handleDrops loads the first rule file dropped on the window.
func (g *Game) handleDrops() {
	files := ebiten.DroppedFiles()
	if files == nil {
		return
	}
	var names []string
	fs.WalkDir(files, ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			names = append(names, p)
		}
		return nil
	})
	// Rule files first: a dropped folder may hold other files too.
	sort.SliceStable(names, func(i, j int) bool {
		ri, rj := strings.HasSuffix(names[i], ".npz"), strings.HasSuffix(names[j], ".npz")
		if ri != rj {
			return ri
		}
		return names[i] < names[j]
	})
	if len(names) == 0 {
		return
	}
	// Prefer the real path when the platform gives one (glfw does), so the
	// file joins the recent list; otherwise read it through the FS.
	name := names[0]
	if f, err := files.Open(name); err == nil {
		of, ok := f.(*os.File)
		f.Close()
		if ok && filepath.IsAbs(of.Name()) {
			g.app.Do(model.CmdRules + ":" + of.Name())
			return
		}
	}
	b, err := fs.ReadFile(files, name)
	if err != nil {
		g.app.Error(fmt.Errorf("dropped file %s: %w", name, err))
		return
	}
	g.loadBytes(name, b)
}

// loadBytes loads a rule file given as bytes (dropped without a path, or
// picked in the browser) through the in-memory loader.
func (g *Game) loadBytes(name string, b []byte) {
	g.app.Do(model.CmdRules + ":" + g.plat.loader.Add(name, b))
}

// measure keeps per-second rates, runs the FPS test and writes the state
// file.
func (g *Game) measure() error {
	now := time.Now()
	if g.meter.at.IsZero() {
		g.meter.at = now
	}
	if dt := now.Sub(g.meter.at); dt >= time.Second {
		sc := g.app.Current()
		var phys, br time.Duration
		for _, l := range sc.Lanes {
			phys += l.Ep.PhysTime
			br += l.Ep.BrainTime
		}
		frames := float64(g.frame - g.meter.frames)
		if frames < 1 {
			frames = 1
		}
		dp, db := phys-g.meter.phys, br-g.meter.brain
		if dp < 0 || db < 0 { // the episode restarted
			dp, db = phys, br
		}
		g.meter.physMs = float64(dp.Microseconds()) / 1000 / frames
		g.meter.brainMs = float64(db.Microseconds()) / 1000 / frames
		g.meter.drawMs = float64(g.meter.drawAcc.Microseconds()) / 1000 / frames
		g.meter.stepsPerS = float64(g.app.StepsTotal-g.meter.steps) / dt.Seconds()
		g.meter.at, g.meter.frames, g.meter.steps = now, g.frame, g.app.StepsTotal
		g.meter.phys, g.meter.brain, g.meter.drawAcc = phys, br, 0
		if g.opts.FPSTest > 0 {
			el := now.Sub(g.start)
			if el > 3*time.Second {
				fps := ebiten.ActualFPS()
				g.fpsSamples = append(g.fpsSamples, fps)
				g.stepSamples = append(g.stepSamples, g.meter.stepsPerS)
				fmt.Fprintf(g.out, "t=%.0fs tps=%.1f fps=%.1f steps/s=%.0f scene=%s speed=%s physics=%.2fms brain=%.2fms draw=%.2fms\n",
					el.Seconds(), ebiten.ActualTPS(), fps, g.meter.stepsPerS, sc.Spec.Name, g.app.SpeedLabel(), g.meter.physMs, g.meter.brainMs, g.meter.drawMs)
			}
			if el > 3*time.Second+g.opts.FPSTest {
				want := model.Speeds[g.app.Speed] * g.app.Current().Spec.Hz
				if g.app.Max {
					want = math.NaN()
				}
				fmt.Fprintf(g.out, "steps_per_s_median=%.0f (speed %s, real time × speed = %.0f)\n", median(g.stepSamples), g.app.SpeedLabel(), want)
				fmt.Fprintf(g.out, "fps_median=%.0f\n", median(g.fpsSamples))
				return ebiten.Termination
			}
		}
	}
	if g.plat.stateDue(g) {
		g.writeState()
	}
	return nil
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func (g *Game) writeState() {
	if g.lay.W > 0 {
		// Lanes rebuilt in this update (compare mode, new rules) get their
		// views now, not at the next draw, so the dump is consistent.
		g.relayout(int(g.lay.W), int(g.lay.H))
	}
	st := g.app.State()
	st.Frame, st.FPS, st.TPS, st.StepsPerS = g.frame, ebiten.ActualFPS(), ebiten.ActualTPS(), g.meter.stepsPerS
	st.Width, st.Height = int(g.lay.W), int(g.lay.H)
	st.Screenshot = g.lastShot
	st.HUDEpisode, st.PlotEpisodes, st.OutOfStepFrames = g.r.hudEp, append([]int(nil), g.r.plotEp...), g.r.outOfStep
	sc := g.app.Current()
	st.TargetPoints = sc.TargetPoints(sc.Main(), 3*g.scale)
	st.HeatPics = g.lay.HeatPics
	st.Buttons = map[string][2]int{}
	for _, it := range g.items {
		if _, dup := st.Buttons[it.Cmd]; it.Cmd != "" && !dup {
			x, y := it.R.CenterXY()
			st.Buttons[it.Cmd] = [2]int{int(x), int(y)}
		}
	}
	g.plat.publishState(g, st.JSON())
}

// Draw implements ebiten.Game.
func (g *Game) Draw(screen *ebiten.Image) {
	t0 := time.Now()
	b := screen.Bounds()
	g.relayout(b.Dx(), b.Dy())
	g.items = g.app.Items(g.lay)
	g.r.draw(screen, g)
	g.frame++
	if g.app.WantShot {
		g.app.WantShot = false
		g.screenshot(screen)
	}
	if g.app.WantClip {
		g.app.WantClip = false
		g.toggleClip(screen)
	}
	g.captureClip(screen)
	g.drawRecDot(screen)
	g.meter.drawAcc += time.Since(t0)
}

// screenshot reads the screen back and writes a PNG in the background.
func (g *Game) screenshot(screen *ebiten.Image) {
	b := screen.Bounds()
	img := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	screen.ReadPixels(img.Pix)
	dir := g.app.Settings.ShotsDir
	name := fmt.Sprintf("hebbsim-%s-%s.png", g.app.Current().Spec.Name, time.Now().Format("20060102-150405.000"))
	go func() {
		var buf bytes.Buffer
		if err := png.Encode(&buf, img); err != nil {
			g.shotErr <- "error:screenshot: " + err.Error()
			return
		}
		where, err := g.plat.saveShot(dir, name, buf.Bytes())
		if err != nil {
			g.shotErr <- "error:screenshot: " + err.Error()
			return
		}
		g.shotErr <- where
	}()
}
