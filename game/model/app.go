package model

import (
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hebbsim/hebbsim/assets"
)

// RuleLoader loads rule files for the app. The real one reads brain rule
// files; tests pass fakes.
type RuleLoader interface {
	// Load reads a rule file from disk.
	Load(path string) (*Rules, error)
	// Bundled lists the names of the rule files built into the binary.
	Bundled() []string
	// LoadBundled loads a bundled rule file by name.
	LoadBundled(name string) (*Rules, error)
	// Defaults returns the bundled rules a scene of env starts with and
	// the static baseline compare mode uses; either may be nil.
	Defaults(env string) (hebbian, static *Rules)
}

// BundledPrefix marks a bundled rule file in a rules command or the recent
// list: "bundled:quadruped-hebbian.npz".
const BundledPrefix = "bundled:"

// Message is a line the app shows for a while (errors in red).
type Message struct {
	Text  string
	Err   bool
	Until time.Time
}

// App is the whole state of the simulator apart from drawing: scenes,
// speed, views, settings. Keys, buttons, dropped files and the test
// script all reach it as commands through Do; the game calls Tick once per
// update. Nothing here needs a display.
type App struct {
	Specs    []SceneSpec
	Scenes   []*Scene // built on first visit
	Cur      int
	Settings Settings
	Loader   RuleLoader

	Paused  bool
	Speed   int  // rung of Speeds
	Max     bool // as fast as possible
	View    View
	Coef    int
	Help    bool
	Panels  bool // heatmaps and plots shown
	Rules   bool // rules list shown
	Msg     Message
	LastErr string // the last error shown (kept for the state dump)

	// Requests for the game, which owns the window: set by Do, cleared by
	// the game when it has acted.
	WantShot, WantOpen, WantQuit, WantHome bool

	// MaxBudget is how long one tick may spend stepping in max mode.
	MaxBudget time.Duration
	// Now is the clock (tests inject one).
	Now func() time.Time

	StepsTotal int64 // steps run since start, all scenes (for steps/s)

	// The lecture hall: the guided tour, the synapse under the
	// microscope, the heatmaps' order and clip recording.
	Tour      Tour
	Order     Order
	Recording bool   // a clip is being recorded (the game owns the recorder)
	WantClip  bool   // the game should start or stop recording
	LastClip  string // the last clip written

	pin       *Pin
	scope     Scope
	scopeTick int
	orderFor  *Lane
	sideEnd   float64 // where the side panel's items end (Items sets it)

	evoState // the Evolve mode (app_evolve.go)

	lastTick time.Time
}

// NewApp builds an app on specs with settings s; the first scene is built
// at once so that errors surface here.
func NewApp(specs []SceneSpec, s Settings, loader RuleLoader) (*App, error) {
	if len(specs) == 0 {
		panic("model: NewApp without scenes")
	}
	a := &App{Specs: specs, Scenes: make([]*Scene, len(specs)), Settings: s, Loader: loader,
		Speed: clampInt(s.Speed, 0, len(Speeds)-1), Panels: s.Panels,
		MaxBudget: 10 * time.Millisecond, Now: time.Now}
	a.View, _ = ParseView(s.View)
	ts, err := ParseTour(assets.TourEN)
	if err != nil {
		panic("model: the bundled tour: " + err.Error())
	}
	a.Tour.Script = ts
	a.initEvolve()
	for i, sp := range specs {
		if sp.Name == s.Scene {
			a.Cur = i
		}
	}
	if _, err := a.Scene(); err != nil {
		return nil, err
	}
	return a, nil
}

// Scene returns the current scene, building it on first use.
func (a *App) Scene() (*Scene, error) {
	if a.Scenes[a.Cur] == nil {
		var hebb, static *Rules
		if a.Loader != nil {
			hebb, static = a.Loader.Defaults(a.Specs[a.Cur].Name)
		}
		sc, err := NewScene(a.Specs[a.Cur], hebb, 1)
		if err != nil && hebb != nil {
			// A bundled file that does not fit must not stop the app.
			a.Error(fmt.Errorf("bundled rules for %s: %w", a.Specs[a.Cur].Name, err))
			sc, err = NewScene(a.Specs[a.Cur], nil, 1)
		}
		if err != nil {
			return nil, fmt.Errorf("scene %s: %w", a.Specs[a.Cur].Name, err)
		}
		sc.Static = static
		sc.Kind = a.Settings.Kind
		a.Scenes[a.Cur] = sc
	}
	return a.Scenes[a.Cur], nil
}

// Cur0 is the current scene; it must have been built (NewApp does).
func (a *App) cur() *Scene {
	if a.EvoOn && a.evoScene != nil {
		return a.evoScene
	}
	sc, err := a.Scene()
	if err != nil {
		panic("model: " + err.Error())
	}
	return sc
}

// Current is the current scene.
func (a *App) Current() *Scene { return a.cur() }

// Info shows a message for a few seconds.
func (a *App) Info(format string, args ...any) {
	a.Msg = Message{Text: fmt.Sprintf(format, args...), Until: a.Now().Add(4 * time.Second)}
}

// Error shows an error for longer; the simulation keeps running.
func (a *App) Error(err error) {
	a.LastErr = err.Error()
	a.Msg = Message{Text: err.Error(), Err: true, Until: a.Now().Add(12 * time.Second)}
}

// Do runs one command (see command.go). Bad arguments show an error and
// change nothing.
func (a *App) Do(cmd string) {
	name, arg := SplitCmd(cmd)
	sc := a.cur()
	defer a.syncLanes()
	switch name {
	case CmdPause:
		switch arg {
		case "on":
			a.Paused = true
		case "off":
			a.Paused = false
		case "":
			a.Paused = !a.Paused
		default:
			a.Error(fmt.Errorf("pause:%s: want pause, pause:on or pause:off", arg))
			return
		}
		sc.Pacer.Reset()
	case CmdStep:
		a.Paused = true
		a.syncLanes()
		a.StepsTotal += int64(sc.Step(1))
		a.refreshScope(true)
	case CmdFaster:
		if a.Max {
			break
		} else if a.Speed < len(Speeds)-1 {
			a.Speed++
		} else {
			a.Max = true
		}
		a.Settings.Speed = a.Speed
	case CmdSlower:
		if a.Max {
			a.Max = false
		} else if a.Speed > 0 {
			a.Speed--
		}
		a.Settings.Speed = a.Speed
	case CmdMax:
		a.Max = !a.Max
	case "speed":
		i, err := strconv.Atoi(arg)
		if err != nil || i < 0 || i >= len(Speeds) {
			a.Error(fmt.Errorf("speed %q: want 0..%d", arg, len(Speeds)-1))
			return
		}
		a.Speed, a.Max = i, false
		a.Settings.Speed = i
	case CmdRestart:
		sc.Reset(sc.Seed)
	case CmdNewSeed:
		sc.Reset(sc.Seed + 1)
	case CmdWipe:
		what := sc.Wipe()
		a.Info("wipe at step %d: %s", sc.Main().Ep.Index(), strings.Join(what, "; "))
	case CmdScene:
		a.switchScene(arg)
	case CmdDamage:
		a.damage(arg)
	case CmdKind:
		if err := sc.SetKind(arg); err != nil {
			a.Error(err)
			return
		}
		a.Settings.Kind = sc.Kind
	case CmdRepair:
		sc.RepairAll()
	case CmdCompare:
		on := !sc.Compare
		switch arg {
		case "on":
			on = true
		case "off":
			on = false
		}
		if err := sc.SetCompare(on); err != nil {
			a.Error(fmt.Errorf("compare: %w", err))
		}
	case CmdView:
		if arg == "next" || arg == "" {
			a.View = a.View.Next()
		} else if v, ok := ParseView(arg); ok {
			a.View = v
		} else {
			a.Error(fmt.Errorf("unknown view %q (valid: %s)", arg, strings.Join(ViewNames, ", ")))
			return
		}
		a.Settings.View = ViewNames[a.View]
	case CmdCoef:
		n := len(sc.Main().Brain.CoefNames())
		if n == 0 {
			return
		}
		if arg == "next" || arg == "" {
			a.Coef = (a.Coef + 1) % n
		} else if i, err := strconv.Atoi(arg); err == nil && i >= 0 && i < n {
			a.Coef = i
		} else {
			a.Error(fmt.Errorf("coefficient %q: want 0..%d", arg, n-1))
			return
		}
		a.View = ViewCoef
	case CmdHelp:
		a.Help = !a.Help
	case CmdShot:
		a.WantShot = true
	case CmdHome:
		a.WantHome = true
		for _, l := range sc.Lanes {
			l.Cam.Reset(l.Env.Focus())
		}
	case CmdFollow:
		for _, l := range sc.Lanes {
			l.Cam.Follow = !l.Cam.Follow
		}
	case CmdZoomIn, CmdZoomOut:
		f := 1.25
		if name == CmdZoomOut {
			f = 1 / f
		}
		for _, l := range sc.Lanes {
			x, y := l.Cam.View.CenterXY()
			l.Cam.ZoomAt(x, y, f)
		}
	case CmdHeatmaps:
		a.Panels = !a.Panels
		if arg == "on" || arg == "off" {
			a.Panels = arg == "on"
		}
		a.Settings.Panels = a.Panels
	case CmdRulesPanel:
		a.Rules = !a.Rules
	case CmdOpen:
		a.WantOpen = true
	case CmdRules:
		a.LoadRules(arg)
	case CmdQuit:
		a.WantQuit = true
	case CmdEvolve:
		a.doEvolve(arg)
	case CmdClose:
		switch {
		case a.Help || a.Rules:
			a.Help, a.Rules = false, false
		case a.Tour.Active:
			a.endTour()
		case a.pin != nil:
			a.Unpin()
		}
	case CmdTour:
		a.tourCmd(arg)
	case CmdPin:
		if arg == "off" {
			a.Unpin()
			return
		}
		a.pinCmd(arg)
	case CmdOrder:
		a.setOrder(arg)
	case CmdRecord:
		a.WantClip = true
	case CmdClipArea:
		a.Settings.ClipWorld = !a.Settings.ClipWorld
		if a.Settings.ClipWorld {
			a.Info("clips record the world view only (F8 for the whole window)")
		} else {
			a.Info("clips record the whole window (F8 for the world view only)")
		}
	default:
		a.Error(fmt.Errorf("unknown command %q", cmd))
	}
}

func (a *App) switchScene(arg string) {
	n := len(a.Specs)
	next := a.Cur
	switch arg {
	case "next", "":
		next = (a.Cur + 1) % n
	case "prev":
		next = (a.Cur + n - 1) % n
	default:
		next = slices.IndexFunc(a.Specs, func(s SceneSpec) bool { return s.Name == arg })
		if next < 0 {
			a.Error(fmt.Errorf("unknown scene %q", arg))
			return
		}
	}
	prev := a.Cur
	a.Cur = next
	a.EvoOn = false
	if _, err := a.Scene(); err != nil {
		a.Cur = prev
		a.Error(err)
		return
	}
	a.Settings.Scene = a.Specs[a.Cur].Name
	a.Coef = 0
}

func (a *App) damage(arg string) {
	sc := a.cur()
	n, err := strconv.Atoi(arg)
	if err != nil { // a target name: "damage:FL"
		n = slices.Index(sc.Targets(), arg) + 1
	}
	d, ok := sc.SlotDamage(n)
	if !ok {
		a.Error(fmt.Errorf("%s: no damage slot %q", sc.Spec.Name, arg))
		return
	}
	sc.Toggle(d)
}

// LoadRules loads a rule file ("bundled:NAME" for a bundled one, "default"
// for random coefficients), switches to its scene and restarts there. On
// error the message is shown and the simulation keeps running unchanged.
func (a *App) LoadRules(path string) {
	var r *Rules
	var err error
	a.EvoOn = false // rules load into their scene
	switch {
	case path == "default":
		sc := a.cur()
		env := sc.Main().Env
		r, err = RandomRules(sc.Spec.Name, sc.Spec.Arch(env.ObsSize(), env.ActSize()), 1)
	case a.Loader == nil:
		err = fmt.Errorf("no rule loader")
	case strings.HasPrefix(path, BundledPrefix):
		r, err = a.Loader.LoadBundled(strings.TrimPrefix(path, BundledPrefix))
	default:
		// A path, or a bundled name as hebb takes it (assets.Resolve);
		// anything else goes to the loader, whose error names the problem.
		if _, bundled, rerr := assets.Resolve(path); rerr == nil && bundled != "" {
			path = BundledPrefix + bundled
			r, err = a.Loader.LoadBundled(bundled)
		} else {
			r, err = a.Loader.Load(path)
		}
	}
	if err != nil {
		a.Error(fmt.Errorf("cannot load %s: %s", filepath.Base(path), Reason(err, path)))
		return
	}
	idx := slices.IndexFunc(a.Specs, func(s SceneSpec) bool { return s.Name == r.Env })
	if r.Env == "" {
		idx = a.Cur
	}
	if idx < 0 {
		a.Error(fmt.Errorf("cannot load %s: rules are for env %q, which the app does not have", filepath.Base(path), r.Env))
		return
	}
	prev := a.Cur
	a.Cur = idx
	sc, err := a.Scene()
	if err != nil {
		a.Cur = prev
		a.Error(err)
		return
	}
	if err := sc.SetRules(r); err != nil {
		a.Cur = prev
		a.Error(fmt.Errorf("cannot load %s: %s", filepath.Base(path), Reason(err, path)))
		return
	}
	a.Settings.Scene = sc.Spec.Name
	if path != "default" {
		if strings.HasPrefix(path, BundledPrefix) {
			a.addRecent(path)
		} else {
			a.Settings.AddRecent(path)
		}
	}
	a.Rules = false
	// Say everything the load changed: the scene, what runs, compare.
	msg := fmt.Sprintf("loaded %s (%s, %s)", r.Name, r.Rule, r.Arch)
	if idx != prev {
		msg = fmt.Sprintf("switched to the %s scene: ", a.Specs[idx].Title) + msg
	}
	switch {
	case r.IsStatic() && sc.Compare:
		msg += " as the static baseline beside " + sc.Hebb.Name
	case r.IsStatic() && sc.Hebb != nil:
		msg += ": static weights run on their own; C compares them with " + sc.Hebb.Name
	case !r.IsStatic() && sc.Compare:
		msg += " beside " + sc.Lanes[len(sc.Lanes)-1].Label
	}
	a.Info("%s", msg)
}

func (a *App) addRecent(p string) {
	out := []string{p}
	for _, q := range a.Settings.Recent {
		if q != p && len(out) < MaxRecent {
			out = append(out, q)
		}
	}
	a.Settings.Recent = out
}

// RuleChoices is the in-app list: bundled files first, then recent ones,
// as rules commands.
func (a *App) RuleChoices() []string {
	var out []string
	if a.Loader != nil {
		for _, b := range a.Loader.Bundled() {
			out = append(out, BundledPrefix+b)
		}
	}
	for _, r := range a.Settings.Recent {
		if !slices.Contains(out, r) {
			out = append(out, r)
		}
	}
	return append(out, "default")
}

// The camera's easing per 1×-tick and the middle fraction of the view the
// followed body is kept in (Camera.Ease).
const (
	CamEase = 0.12
	CamKeep = 0.6
)

// TicksToRestart is how long a finished episode stays on screen before the
// next one starts (at 60 ticks per second, at 1×; shorter when faster).
const TicksToRestart = 90

// Tick advances the current scene by what the speed asks for the real
// time since the last tick (1/tps for the first), and returns the steps
// it ran. In max mode it steps until MaxBudget is spent.
func (a *App) Tick(tps float64) int {
	sc := a.cur()
	now := a.Now()
	dt := 1 / tps
	if !a.lastTick.IsZero() {
		dt = now.Sub(a.lastTick).Seconds()
	}
	a.lastTick = now
	n := 0
	defer func() {
		// The camera eases by simulated steps, not by ticks, and keeps
		// the body inside the view at every speed (camera.go).
		for _, l := range sc.Lanes {
			l.Cam.Ease(l.Env.Focus(), n, sc.Spec.Hz/tps, CamEase, CamKeep)
		}
	}()
	if sc.Done() {
		sc.DoneTicks++
		wait := TicksToRestart
		if !a.Max && Speeds[a.Speed] > 1 {
			wait = max(15, int(TicksToRestart/Speeds[a.Speed]))
		} else if a.Max {
			wait = 15
		}
		if a.Settings.AutoReset && sc.DoneTicks >= wait && !a.Paused {
			a.nextEpisode(sc)
		}
		return 0
	}
	a.syncLanes()
	a.runDue()
	defer a.refreshScope(false)
	if a.Paused {
		return 0
	}
	// A tour command waiting for step N stops the stepping there, so it
	// runs at exactly that step at every speed.
	lim := a.tourLimit(sc)
	if a.Max {
		start := a.Now()
		for !sc.Done() && n < lim && a.Now().Sub(start) < a.MaxBudget {
			n += sc.Step(min(4, lim-n))
		}
	} else {
		n = sc.Step(min(lim, sc.Pacer.Steps(Speeds[a.Speed], sc.Spec.Hz, dt)))
	}
	a.StepsTotal += int64(n)
	a.runDue()
	return n
}

// SpeedLabel is the current speed's label.
func (a *App) SpeedLabel() string { return SpeedLabel(a.Speed, a.Max) }
