package model

import (
	"fmt"
	"image/color"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/hebbsim/hebbsim/brain"
	"github.com/hebbsim/hebbsim/sim"
)

// CmdEvolve drives the Evolve mode: "evolve" toggles it (E), and
// evolve:on, evolve:off, evolve:start, evolve:pause (pause / resume),
// evolve:go (P: start, or pause / resume),
// evolve:stop, evolve:save, evolve:use ("Use these rules"),
// evolve:resume, evolve:discard and evolve:set:WHAT:VALUE (see
// EvolveSettings.Edit) act on the run.
const CmdEvolve = "evolve"

// evoState is the App's part of the Evolve mode.
type evoState struct {
	Evo     *Evolve
	EvoOn   bool   // the Evolve tab is shown
	EvoSave string // the last rule file saved from the run

	evoScene *Scene // the demo: the body driven by the newest centre
	evoGen   int    // generation of the centre the demo runs (-1: none)
	evoKey   string // env/obs the demo was built for

	// WantSaveDir asks the game for a folder dialog (the save folder).
	WantSaveDir           bool
	resumeAt              time.Time
	resumeGen, resumeGens int
	resumeOK              bool

	// EvoPlot is where the Evolve panel leaves room for the fitness plot
	// (set by Items; zero when hidden).
	EvoPlot Rect
}

// initEvolve makes the Evolve session from the remembered settings.
func (a *App) initEvolve() {
	es := DefaultEvolveSettings()
	if a.Settings.Evolve != nil {
		es = *a.Settings.Evolve
	}
	dir, err := EvolveDir()
	if err != nil {
		dir = filepath.Join(".", "hebbsim-evolve")
	}
	a.Evo = NewEvolve(es, dir)
	a.evoGen = -1
	if gen, gens, ok := a.Evo.Resumable(); ok {
		a.Msg = Message{Text: fmt.Sprintf("an evolution run stopped at generation %d of %d when the app closed: E, then \"resume run\" continues it", gen, gens),
			Until: a.Now().Add(15 * time.Second)}
	}
}

// doEvolve runs an evolve command.
func (a *App) doEvolve(arg string) {
	e := a.Evo
	verb, rest, _ := strings.Cut(arg, ":")
	switch verb {
	case "", "toggle":
		a.setEvolveOn(!a.EvoOn)
	case "on":
		a.setEvolveOn(true)
	case "off":
		a.setEvolveOn(false)
	case "start":
		e.SetMsg("")
		if err := e.Start(); err != nil {
			a.Error(fmt.Errorf("evolve: %w", err))
			return
		}
		a.setEvolveOn(true)
		a.evoGen = -1
		a.refreshDemo(true)
		a.Info("evolution started: %s", e.Set.Run.Command(e.Set.Gens))
	case "go":
		switch e.State() {
		case EvoRunning, EvoPaused:
			a.doEvolve("pause")
		default:
			a.doEvolve("start")
		}
	case "pause":
		switch e.State() {
		case EvoRunning:
			e.SetPaused(true)
		case EvoPaused:
			e.SetPaused(false)
		}
	case "stop":
		go e.Stop() // returns after the running generation; the window goes on
		a.resumeAt = time.Time{}
	case "resume":
		if err := e.Resume(); err != nil {
			a.Error(fmt.Errorf("evolve: %w", err))
			return
		}
		a.setEvolveOn(true)
		a.evoGen = -1
		a.refreshDemo(true)
	case "discard":
		e.Discard()
		a.resumeAt = time.Time{}
	case "save":
		a.saveCentre()
	case "use":
		if p := a.saveCentre(); p != "" {
			a.LoadRules(p)
		}
	case "savedir":
		a.WantSaveDir = true
	case "set":
		what, val, _ := strings.Cut(rest, ":")
		if st := e.State(); st == EvoRunning || st == EvoPaused {
			a.Error(fmt.Errorf("evolve: settings are fixed while a run goes: stop it first"))
			return
		}
		if err := e.Set.Edit(what, val); err != nil {
			e.SetMsg(err.Error())
			return
		}
		if err := e.Set.Check(); err != nil {
			e.SetMsg(err.Error())
		} else {
			e.SetMsg("")
		}
		s := e.Set
		a.Settings.Evolve = &s
		if what == "body" {
			a.refreshDemo(true)
		}
	default:
		a.Error(fmt.Errorf("unknown evolve command %q", arg))
	}
}

// saveCentre writes the newest centre into the save folder and the
// recent list; "" on error (shown).
func (a *App) saveCentre() string {
	dir := a.Evo.Set.SaveDir
	if dir == "" {
		dir = filepath.Join(a.Evo.Dir, "rules")
	}
	p, err := a.Evo.SaveCentre(dir)
	if err != nil {
		a.Error(fmt.Errorf("save: %w", err))
		return ""
	}
	a.EvoSave = p
	a.Settings.AddRecent(p)
	a.Info("saved %s", p)
	return p
}

func (a *App) setEvolveOn(on bool) {
	if on && !a.EvoOn && len(a.cur().Main().Brain.CoefNames()) > 0 {
		a.View = ViewCoef // the rule coefficients, changing every generation
	}
	a.EvoOn = on
	if on {
		a.refreshDemo(false)
		if a.evoScene == nil {
			a.EvoOn = false
		}
	}
}

// evoBody is the env and obs of the demo: the running run's, else the
// panel's.
func (a *App) evoBody() (env, obs string) {
	s := a.Evo.Snapshot()
	env, obs = a.Evo.Set.Run.Env, a.Evo.Set.Run.Obs
	if s.State != EvoIdle && s.Run.Env != "" {
		env, obs = s.Run.Env, s.Run.Obs
	}
	if spec, err := sim.Lookup(env); err == nil {
		if o, err := spec.CheckObs(obs); err == nil {
			obs = o // "" is the env's first mode, as rule files name it
		}
	}
	return env, obs
}

// refreshDemo builds the demo scene for the body if needed and gives it
// the newest centre; with force it restarts the episode now, otherwise
// the newest centre waits for the next episode.
func (a *App) refreshDemo(force bool) {
	env, obs := a.evoBody()
	key := env + "/" + obs
	idx := slices.IndexFunc(a.Specs, func(s SceneSpec) bool { return s.Name == env })
	if idx < 0 {
		return
	}
	rf, gen := a.Evo.Centre()
	if rf != nil && (rf.Meta.Env != env || rf.Meta.Obs != obs) {
		rf = nil // a finished run of another body
	}
	if a.evoScene != nil && a.evoKey == key && !force {
		return
	}
	var r *Rules
	var err error
	if rf != nil {
		r, err = a.centreRules(rf, gen)
	} else {
		spec := a.Specs[idx]
		e, err2 := spec.NewEnv(obs)
		if err2 != nil {
			a.Error(err2)
			return
		}
		arch := spec.Arch(e.ObsSize(), e.ActSize())
		if cfg, err2 := a.Evo.Set.Run.TrainConfig(); err2 == nil {
			arch = cfg.Arch
		}
		r, err = RandomRules(env, arch, 1)
		if r != nil {
			r.Obs = obs
			r.Name = "random coefficients (press Start)"
		}
		gen = -1
	}
	if err != nil {
		a.Error(fmt.Errorf("evolve demo: %w", err))
		return
	}
	if a.evoScene == nil || a.evoKey != key {
		sc, err := NewScene(a.Specs[idx], r, 1)
		if err != nil {
			a.Error(fmt.Errorf("evolve demo: %w", err))
			return
		}
		sc.Kind = a.Settings.Kind
		a.evoScene, a.evoKey = sc, key
	} else if err := a.evoScene.SetRules(r); err != nil {
		a.Error(fmt.Errorf("evolve demo: %w", err))
		return
	}
	a.evoGen = gen
}

// centreRules describes the centre of generation gen for the demo.
func (a *App) centreRules(rf *brain.RuleFile, gen int) (*Rules, error) {
	r, err := RulesFromFile(rf, fmt.Sprintf("centre θ, generation %d", gen))
	if err != nil {
		return nil, err
	}
	r.Evolved = gen > 0
	r.Provenance = fmt.Sprintf("the ES centre after generation %d; every episode from fresh random weights", gen)
	return r, nil
}

// nextEpisode starts the scene's next episode; the Evolve demo first takes
// the newest centre.
func (a *App) nextEpisode(sc *Scene) {
	if a.EvoOn && sc == a.evoScene {
		if rf, gen := a.Evo.Centre(); rf != nil && gen != a.evoGen {
			if r, err := a.centreRules(rf, gen); err == nil && sc.SetRules(r) == nil {
				a.evoGen = gen
			}
		}
	}
	sc.Reset(sc.Seed + 1)
}

// DemoGen is the generation of the centre the demo runs (-1: random
// coefficients).
func (a *App) DemoGen() int { return a.evoGen }

// HeatLayers are the layers the heatmaps show: in the Evolve mode's rule
// view, the newest centre's coefficients (they change every generation);
// otherwise the current scene's network. The key changes when they do.
func (a *App) HeatLayers() (layers []Layer, names []string, key string) {
	m := a.cur().Main()
	if a.EvoOn && a.View == ViewCoef {
		if ls, gen := a.Evo.CentreLayers(); ls != nil {
			return ls, m.Brain.CoefNames(), fmt.Sprintf("centre/%d", gen)
		}
	}
	return m.Brain.Layers(), m.Brain.CoefNames(), ""
}

// evoItems lays out the Evolve panel in the side panel, and returns the
// rectangle left for the fitness plot. What does not fit above the status
// line with room for the plot is left out, least needed first (the
// command or saved file, the demo line, the timing line).
func (a *App) evoItems(l *Layout, items *[]Item) Rect {
	for drop := 0; ; drop++ {
		var its []Item
		plot := a.evoPanel(l, &its, drop)
		if plot.H > 0 || drop >= 3 {
			*items = append(*items, its...)
			return plot
		}
	}
}

func (a *App) evoPanel(l *Layout, items *[]Item, drop int) Rect {
	s := l.S
	e := a.Evo
	snap := e.Snapshot()
	f := newFlow(l.Side, l, items)
	running := snap.State == EvoRunning || snap.State == EvoPaused
	f.text("EVOLVE  — OpenAI-ES on the rule coefficients", StyleHeader)
	run := e.Set.Run
	if running {
		run = snap.Run
	}
	for _, b := range EvoBodies {
		on := b.Env == run.Env && b.Obs == run.Obs
		f.button(b.Label, CmdEvolve+":set:body:"+b.Label, on, false, "the body to evolve rules for")
	}
	f.endRow()
	f.button("rule "+run.Rule, CmdEvolve+":set:rule:next", false, false, "plasticity rule (click: next of the nine, or static)")
	f.button("protocol "+run.Preset(), CmdEvolve+":set:preset:next", false, false, "healthy only / damage menu (quadruped) / perturbations (racer)")
	if len(bodyMirrors(run.Env)) > 0 {
		f.button("mirror FL≡FR BL≡BR", CmdEvolve+":set:mirror:toggle", run.Mirror != "", false, "tie the genome to the body's symmetry: no leg of a pair can be wired to lead (the bundled walker's; docs/adaptation.md Q-H8)")
	}
	f.endRow()
	for k, p := range []struct{ what, label, tip string }{
		{"pop", fmt.Sprintf("pop %d", run.Pop), "population (even: antithetic pairs)"},
		{"sigma", fmt.Sprintf("σ %g", run.Sigma), "noise standard deviation"},
		{"lr", fmt.Sprintf("lr %g", run.LR), "learning rate"},
		{"seed", fmt.Sprintf("seed %d", run.Seed), "run seed"},
		{"gens", fmt.Sprintf("gens %d", e.Set.Gens), "generations to run"},
	} {
		if k == 3 {
			f.endRow()
		}
		if w := 2*(f.l.width("−")+16*s) + f.l.width(p.label) + 8*s; f.x+w > l.Side.X+l.Side.W-Pad*s && f.x > l.Side.X+Pad*s {
			f.line()
			f.y += 4 * s
		}
		f.button("−", CmdEvolve+":set:"+p.what+":down", false, false, p.tip)
		f.text1(p.label)
		f.button("+", CmdEvolve+":set:"+p.what+":up", false, false, p.tip)
		f.x += 6 * s
	}
	f.endRow()
	switch {
	case running:
		label := "pause"
		if snap.State == EvoPaused {
			label = "resume"
		}
		f.button(label, CmdEvolve+":pause", snap.State == EvoPaused, false, "pause / resume after this generation")
		f.button("stop", CmdEvolve+":stop", false, false, "stop after this generation (the checkpoint stays)")
	default:
		f.button("► start", CmdEvolve+":start", false, false, "start a new run from random coefficients")
		if gen, gens, ok := a.resumable(); ok {
			f.button(fmt.Sprintf("resume run (gen %d/%d)", gen, gens), CmdEvolve+":resume", false, false, "continue the run checkpointed when the app last closed")
		}
	}
	f.button("save centre", CmdEvolve+":save", false, false, "write the centre θ as a rule file (save folder, recent list)")
	f.button("use these rules", CmdEvolve+":use", false, false, "save, then load the centre into its scene")
	saveDir := e.Set.SaveDir
	if saveDir == "" {
		saveDir = filepath.Join(e.Dir, "rules")
	}
	f.button("folder…", CmdEvolve+":savedir", false, false, "where save writes rule files: "+saveDir)
	f.endRow()
	if snap.Msg != "" {
		f.text(snap.Msg, StyleError)
	}
	st := snap.State.String()
	if snap.State != EvoIdle {
		st = fmt.Sprintf("%s · gen %d/%d · %.0f evals/s", st, snap.Gen, snap.Gens, snap.EvalsPerS)
	}
	f.text(st, StyleText)
	if snap.State != EvoIdle {
		eta := "—"
		if snap.ETA > 0 && snap.State == EvoRunning {
			eta = snap.ETA.String()
		}
		if drop < 3 {
			f.text(fmt.Sprintf("elapsed %v · ETA %s", snap.Elapsed.Round(time.Second), eta), StyleMuted)
		}
		if !isNaN(snap.Best) {
			f.text(fmt.Sprintf("best %.1f · mean %.1f · centre %.1f", snap.Best, snap.Mean, snap.Centre), StyleText)
		}
		demo := "demo: random coefficients"
		if a.evoGen >= 0 {
			demo = fmt.Sprintf("demo: centre of generation %d", a.evoGen)
		}
		if drop < 2 {
			f.text(demo, StyleMuted)
		}
	} else if drop < 1 {
		f.text(run.Command(e.Set.Gens), StyleMuted)
	}
	if a.EvoSave != "" && drop < 1 {
		f.text("saved: "+filepath.Base(a.EvoSave), StyleMuted)
	}
	f.line()
	top := f.y
	bottom := l.Status.Y - 4*s
	if bottom-top < 80*s {
		return Rect{}
	}
	return Rect{l.Side.X + Pad*s, top, l.Side.W - 2*Pad*s, bottom - top}
}

// text1 puts a short label inline, between buttons.
func (f *flow) text1(t string) {
	w := f.l.width(t) + 6*f.s
	*f.items = append(*f.items, Item{R: Rect{f.x, f.y, w, (LineH + 2) * f.s}, Text: t, Style: StyleText})
	f.x += w + 2*f.s
}

func isNaN(x float64) bool { return x != x }

// FitnessPlot is the Evolve panel's plot: population best and mean and
// the centre's fitness per generation.
func (a *App) FitnessPlot() PlotSpec {
	h := a.Evo.Snapshot().History
	best := make([]float64, len(h))
	mean := make([]float64, len(h))
	centre := make([]float64, len(h))
	for i, g := range h {
		best[i], mean[i], centre[i] = g.Best, g.Mean, g.Centre
	}
	n := max(len(h), 10)
	return PlotSpec{
		Title: "fitness per generation",
		Lines: []Line{
			{Label: "best", Color: color.RGBA{0x7d, 0xd8, 0x7d, 0xff}, Data: best},
			{Label: "mean", Color: color.RGBA{0x6f, 0xa8, 0xff, 0xff}, Data: mean},
			{Label: "centre", Color: color.RGBA{0xff, 0xa8, 0x3a, 0xff}, Data: centre},
		},
		Stride: 1, Steps: n - 1, ZeroLine: true,
	}
}

// EvolveHUD is the HUD line of the Evolve mode's demo ("" outside it).
func (a *App) EvolveHUD() string {
	if !a.EvoOn {
		return ""
	}
	if a.evoGen >= 0 {
		return fmt.Sprintf("Evolve demo: the centre of generation %d, from fresh random weights", a.evoGen)
	}
	return "Evolve demo: random coefficients — press start"
}

// resumable is Evolve.Resumable read at most every two seconds (the panel
// asks every frame; the answer lives on disk).
func (a *App) resumable() (gen, gens int, ok bool) {
	if now := time.Now(); now.Sub(a.resumeAt) > 2*time.Second {
		a.resumeAt = now
		a.resumeGen, a.resumeGens, a.resumeOK = a.Evo.Resumable()
	}
	return a.resumeGen, a.resumeGens, a.resumeOK
}
