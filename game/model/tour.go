package model

import (
	"encoding/json"
	"fmt"
	"image"
	"math"
	"slices"
	"strconv"
	"strings"
)

// TourScript is the guided tour as its data file gives it
// (assets/tour/en.json): the captions, what each points at, and the
// commands the tour runs when a step is first reached. Commands are the
// app's own (command.go), plus "at:N:CMD", which runs CMD when the main
// lane reaches step N of the current episode.
type TourScript struct {
	Lang  string     `json:"lang"`
	Title string     `json:"title"`
	Keys  string     `json:"keys"` // the key hint under every caption
	Steps []TourStep `json:"steps"`
}

// TourStep is one caption of the tour.
type TourStep struct {
	Title  string   `json:"title"`
	Text   string   `json:"text"`
	Target string   `json:"target"` // one of TourTargets
	Do     []string `json:"do"`
	// Scene overrides text, target or commands for one scene ("racer").
	Scene map[string]TourVariant `json:"scene"`
}

// TourVariant is a step's text, target or commands for one scene.
type TourVariant struct {
	Text   string   `json:"text"`
	Target string   `json:"target"`
	Do     []string `json:"do"`
}

// TourTargets are the parts of the screen a caption can point at.
var TourTargets = []string{"world", "heatmaps", "microscope", "plots", "side", "top"}

// tourCommands are the command names a tour may run.
var tourCommands = []string{CmdPause, CmdStep, CmdRestart, CmdWipe, CmdDamage, CmdKind, CmdRepair, CmdCompare,
	CmdView, CmdCoef, CmdHeatmaps, CmdPin, CmdOrder, "speed", CmdMax, CmdHome}

// ParseTour reads and checks a tour file: at least one step, every step
// with a title and text, a known target and known commands. The error
// names the step and what is wrong.
func ParseTour(b []byte) (*TourScript, error) {
	var t TourScript
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&t); err != nil {
		return nil, fmt.Errorf("tour file: %w", err)
	}
	if len(t.Steps) == 0 {
		return nil, fmt.Errorf("tour file: no steps")
	}
	checkCmds := func(k int, cmds []string) error {
		for _, c := range cmds {
			if _, err := splitAt(c); err != nil {
				return fmt.Errorf("tour file: step %d: %w", k+1, err)
			}
		}
		return nil
	}
	for k, s := range t.Steps {
		if strings.TrimSpace(s.Title) == "" || strings.TrimSpace(s.Text) == "" {
			return nil, fmt.Errorf("tour file: step %d: needs a title and a text", k+1)
		}
		if !slices.Contains(TourTargets, s.Target) {
			return nil, fmt.Errorf("tour file: step %d: target %q is not one of %s", k+1, s.Target, strings.Join(TourTargets, ", "))
		}
		if err := checkCmds(k, s.Do); err != nil {
			return nil, err
		}
		for name, v := range s.Scene {
			if v.Target != "" && !slices.Contains(TourTargets, v.Target) {
				return nil, fmt.Errorf("tour file: step %d, scene %s: target %q is not one of %s", k+1, name, v.Target, strings.Join(TourTargets, ", "))
			}
			if err := checkCmds(k, v.Do); err != nil {
				return nil, err
			}
		}
	}
	return &t, nil
}

// splitAt splits "at:N:CMD" into N and CMD (N −1 for a plain command) and
// checks that CMD is one a tour may run.
func splitAt(c string) (timed, error) {
	t := timed{at: -1, cmd: c}
	if rest, ok := strings.CutPrefix(c, "at:"); ok {
		n, cmd, ok := strings.Cut(rest, ":")
		k, err := strconv.Atoi(n)
		if !ok || err != nil || k < 0 {
			return t, fmt.Errorf("command %q: want at:STEP:COMMAND", c)
		}
		t.at, t.cmd = k, cmd
	}
	name, _ := SplitCmd(t.cmd)
	if !slices.Contains(tourCommands, name) {
		return t, fmt.Errorf("command %q: a tour may run %s", c, strings.Join(tourCommands, ", "))
	}
	return t, nil
}

type timed struct {
	at  int
	cmd string
}

// Tour is the running guided tour: which step shows, which steps have
// run their commands, and commands waiting for a step of the episode.
type Tour struct {
	Script  *TourScript
	Active  bool
	Step    int
	ran     []bool
	pending []timed
	queued  int // the main lane's step when pending was queued
	scene   *Scene
}

// Caption is what the current step shows in the current scene.
func (t *Tour) Caption(scene string) (title, text, target string) {
	s := t.Script.Steps[t.Step]
	title, text, target = s.Title, s.Text, s.Target
	if v, ok := s.Scene[scene]; ok {
		if v.Text != "" {
			text = v.Text
		}
		if v.Target != "" {
			target = v.Target
		}
	}
	return title, text, target
}

func (t *Tour) commands(scene string) []string {
	s := t.Script.Steps[t.Step]
	if v, ok := s.Scene[scene]; ok && v.Do != nil {
		return v.Do
	}
	return s.Do
}

// SetTour replaces the tour's script (a translation); the tour restarts
// if it was running.
func (a *App) SetTour(ts *TourScript) {
	a.Tour = Tour{Script: ts}
}

// tourCmd runs "tour" (start, or end if running), "tour:start",
// "tour:next", "tour:back", "tour:end". next and back are ignored while no
// tour runs (the arrow keys are theirs only then).
func (a *App) tourCmd(arg string) {
	t := &a.Tour
	if t.Script == nil {
		a.Error(fmt.Errorf("no tour loaded"))
		return
	}
	switch arg {
	case "":
		if t.Active {
			a.endTour()
		} else {
			a.startTour()
		}
	case "start":
		a.startTour()
	case "end":
		if t.Active {
			a.endTour()
		}
	case "next":
		if !t.Active {
			return
		}
		if t.Step == len(t.Script.Steps)-1 {
			a.endTour()
			return
		}
		t.Step++
		a.runTourStep()
	case "back":
		if t.Active && t.Step > 0 {
			// Back shows the caption again; what the tour did stays done.
			t.Step--
		}
	default:
		a.Error(fmt.Errorf("unknown tour command %q (start, next, back, end)", arg))
	}
}

func (a *App) startTour() {
	t := &a.Tour
	t.Active, t.Step = true, 0
	t.ran = make([]bool, len(t.Script.Steps))
	t.pending = nil
	a.Help, a.Rules = false, false
	a.runTourStep()
}

func (a *App) endTour() {
	t := &a.Tour
	t.Active, t.pending = false, nil
}

// runTourStep runs the current step's commands the first time it is
// reached in this tour.
func (a *App) runTourStep() {
	t := &a.Tour
	if t.ran[t.Step] {
		return
	}
	t.ran[t.Step] = true
	sc := a.cur()
	for _, c := range t.commands(sc.Spec.Name) {
		tc, err := splitAt(c)
		if err != nil {
			a.Error(err)
			continue
		}
		if tc.at >= 0 {
			// Queued against this scene's episode as it is after the
			// step's other commands (compare:on restarts it).
			t.pending = append(t.pending, tc)
			continue
		}
		a.Do(tc.cmd)
	}
	if len(t.pending) > 0 {
		t.scene, t.queued = a.cur(), a.cur().Main().Ep.Index()
	}
}

// tourLimit is how many steps the scene may run before a queued tour
// command is due (math.MaxInt when none is).
func (a *App) tourLimit(sc *Scene) int {
	t := &a.Tour
	lim := math.MaxInt
	if !t.Active || t.scene != sc {
		return lim
	}
	idx := sc.Main().Ep.Index()
	for _, p := range t.pending {
		lim = min(lim, max(0, p.at-idx))
	}
	return lim
}

// runDue runs the queued tour commands whose step has come, and drops
// them all if the episode restarted or the scene changed.
func (a *App) runDue() {
	t := &a.Tour
	if len(t.pending) == 0 {
		return
	}
	sc := a.cur()
	idx := sc.Main().Ep.Index()
	if !t.Active || t.scene != sc || idx < t.queued {
		t.pending = nil
		return
	}
	var keep []timed
	var due []timed
	for _, p := range t.pending {
		if idx >= p.at {
			due = append(due, p)
		} else {
			keep = append(keep, p)
		}
	}
	t.pending = keep
	for _, p := range due {
		a.Do(p.cmd)
	}
}

// TourPending is the number of tour commands waiting for their step.
func (a *App) TourPending() int { return len(a.Tour.pending) }

// TourTarget is the screen rectangle a caption points at, in layout l.
func (a *App) TourTarget(l Layout, target string) Rect {
	switch target {
	case "heatmaps":
		if l.Heat.W > 0 {
			return l.Heat
		}
	case "plots":
		if len(l.Plots) > 2 {
			return l.Plots[2]
		}
	case "microscope":
		if r := a.ScopeRect(l); r.W > 0 {
			return r
		}
	case "side":
		return l.Side
	case "top":
		return l.Top
	}
	return l.World
}

// TourArrow is the caption box of the current step and the arrow from it
// to what it talks about (from == to: no arrow).
func (a *App) TourArrow(l Layout, box Rect) (fx, fy, tx, ty float64) {
	_, _, target := a.Tour.Caption(a.cur().Spec.Name)
	r := a.TourTarget(l, target)
	tx, ty = r.CenterXY()
	if target == "world" {
		// At the body of the main lane.
		m := a.cur().Main()
		if x, y := m.Cam.ToScreen(m.Env.Focus()); m.Cam.View.Contains(x, y) {
			tx, ty = x, y
		}
	}
	if target == "top" {
		return tx, ty, tx, ty
	}
	// From the middle of the box's edge nearest the target.
	cx, cy := box.CenterXY()
	switch {
	case ty > box.Y+box.H:
		fx, fy = clamp(tx, box.X+20, box.X+box.W-20), box.Y+box.H
	case ty < box.Y:
		fx, fy = clamp(tx, box.X+20, box.X+box.W-20), box.Y
	case tx < box.X:
		fx, fy = box.X, cy
	default:
		fx, fy = box.X+box.W, cy
	}
	if box.Contains(tx, ty) {
		return cx, cy, cx, cy
	}
	// Stop short of a rectangle's centre: the arrow touches its edge
	// region, not the middle of a heatmap.
	if target != "world" {
		tx, ty = fx+(tx-fx)*0.8, fy+(ty-fy)*0.8
	}
	return fx, fy, tx, ty
}

// tourBox places the caption box in the world view's top right corner
// (right pixels further left), under the pause banner's line: the body
// walks below it, in view.
func tourBox(l Layout, target string, h, right float64) Rect {
	s := l.S
	w := math.Min(430*s, l.World.W-16*s)
	x := l.World.X + l.World.W - w - 8*s - right
	if x < l.World.X+8*s {
		x = l.World.X + l.World.W - w - 8*s
	}
	y := l.World.Y + 36*s
	if y+h > l.World.Y+l.World.H-8*s {
		y = math.Max(l.World.Y+8*s, l.World.Y+l.World.H-8*s-h)
	}
	return Rect{x, y, w, math.Min(h, l.World.H-16*s)}
}

// tourItems lays out the caption box: title, text, step count and the
// Back / Next / End buttons.
func (a *App) tourItems(l Layout, items []Item) ([]Item, Rect) {
	t := &a.Tour
	s := l.S
	title, text, target := t.Caption(a.cur().Spec.Name)
	w := math.Min(430*s, l.World.W-16*s)
	lines := WrapWidth(text, w-2*Pad*s, l.width)
	h := (float64(len(lines))+3.6)*LineH*s + 2*Pad*s + 8*s
	// Left of the racer's observation inset (the game draws 84×84 at
	// ⌊2·scale⌋ in the main lane's top right corner).
	right := 0.0
	if _, ok := a.cur().Main().Env.(interface{ ObservationImage() *image.RGBA }); ok {
		right = 84*math.Floor(2*s) + 16*s
	}
	box := tourBox(l, target, h, right)
	items = append(items, Item{R: box, Style: StyleMuted})
	f := newFlow(box, &l, &items)
	f.text(title, StyleHeader)
	for _, ln := range lines {
		items = append(items, Item{R: Rect{f.x, f.y, box.W - 2*Pad*s, LineH * s}, Text: ln, Style: StyleText})
		f.line()
	}
	f.gap(6)
	f.text(fmt.Sprintf("%d / %d   %s", t.Step+1, len(t.Script.Steps), t.Script.Keys), StyleMuted)
	f.gap(2)
	next := "next →"
	if t.Step == len(t.Script.Steps)-1 {
		next = "finish"
	}
	f.button("← back", CmdTour+":back", false, false, "previous caption (←)")
	f.button(next, CmdTour+":next", true, false, "next caption (→ or Enter)")
	f.button("end tour", CmdTour+":end", false, false, "end the tour (Esc or T)")
	return items, box
}

// TourBox is the caption box of the current step in layout l (zero when
// no tour runs), as Items places it.
func (a *App) TourBox(l Layout) Rect {
	if !a.Tour.Active {
		return Rect{}
	}
	_, box := a.tourItems(l, nil)
	return box
}
