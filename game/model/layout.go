package model

import (
	"fmt"
	"math"
	"strings"
	"unicode/utf8"
)

// Layout is where everything goes on a screen of W×H pixels at UI scale
// S (the device scale factor: 2 on a HiDPI screen). It is recomputed
// whenever the window changes size.
type Layout struct {
	W, H, S   float64
	Top       Rect   // tab bar
	World     Rect   // the world view (all lanes)
	Lanes     []Rect // one per lane, side by side in compare mode
	Side      Rect   // panel on the right
	Heat      Rect   // heatmaps (bottom left); zero when panels are hidden
	HeatBar   Rect   // view buttons above the heatmaps
	HeatBoxes []Rect // one box per layer (heatmap + caption)
	Legend    Rect   // colour legend
	Plots     []Rect // four plots (bottom right)
	Status    Rect   // message line at the bottom of the side panel

	// The parts of the heatmaps, the legend and the plots (screen.go).
	HeatCaps, HeatPics []Rect // per heatmap box: caption row, picture area
	LegendBar          Rect
	LegendLabels       [3]Rect // −max, 0, +max
	LegendInfo         Rect    // two lines: what the view shows, or the hovered synapse
	PlotFrames         []PlotFrame

	// Faces measures text in the game's other faces (nil: estimates).
	Faces Faces

	// Measure gives the width of a text in pixels; nil uses the CharW
	// estimate. The game sets it from its font so that wrapping is exact.
	Measure func(string) float64
}

// width measures s with l.Measure or the estimate.
func (l *Layout) width(s string) float64 {
	if l.Measure != nil {
		return l.Measure(s)
	}
	return TextWidth(s, l.S)
}

// Text metrics the layout assumes (pixels at scale 1); the game's font
// matches them.
const (
	FontSize = 13.0
	CharW    = 7.2 // average advance of a character
	LineH    = 18.0
	Pad      = 6.0
)

// ComputeLayout places the panels for nLanes lanes and one heatmap per
// layer, ins being the layers' input counts.
func ComputeLayout(w, h, s float64, panels bool, nLanes int, ins []int) Layout {
	l := Layout{W: w, H: h, S: s}
	all := Rect{0, 0, w, h}
	l.Top, all = all.SplitY(26 * s)
	side := clamp(w*0.26, 250*s, 400*s)
	if side > w*0.45 {
		side = w * 0.45
	}
	var bottom Rect
	if panels {
		bh := clamp(h*0.38, 200*s, 360*s)
		if bh > all.H*0.55 {
			bh = all.H * 0.55
		}
		all, bottom = all.SplitY(all.H - bh)
	}
	l.World, l.Side = all.SplitX(all.W - side)
	if nLanes < 1 {
		nLanes = 1
	}
	for i := 0; i < nLanes; i++ {
		lw := l.World.W / float64(nLanes)
		l.Lanes = append(l.Lanes, Rect{l.World.X + float64(i)*lw, l.World.Y, lw, l.World.H})
	}
	l.Status = Rect{l.Side.X, l.Side.Y + l.Side.H - StatusLines*LineH*s - 14*s, l.Side.W, StatusLines*LineH*s + 14*s}
	if !panels {
		return l
	}
	l.Heat, bottom = bottom.SplitX(bottom.W * 0.5)
	l.HeatBar, l.Heat = l.Heat.SplitY(24 * s)
	var heat Rect
	heat, l.Legend = l.Heat.SplitY(l.Heat.H - 30*s)
	l.placeHeat(heat, ins)
	l.placeLegend()
	pw, ph := bottom.W/2, bottom.H/2
	for k := 0; k < 4; k++ {
		r := Rect{bottom.X + float64(k%2)*pw, bottom.Y + float64(k/2)*ph, pw, ph}
		l.Plots = append(l.Plots, r.Inset(3*s))
	}
	l.placePlots()
	return l
}

// StatusLines is how many lines a message shows (longer ones are cut).
const StatusLines = 3

// Style is how an Item is drawn.
type Style int

// The item styles.
const (
	StyleText   Style = iota // plain text
	StyleHeader              // section header
	StyleMuted               // secondary text
	StyleButton              // clickable
	StyleError               // red text
	StyleTab                 // scene tab
)

// Item is one thing the panels draw: text, or a button that runs Cmd.
type Item struct {
	R     Rect
	Text  string
	Cmd   string
	Style Style
	On    bool // selected / active
	Alert bool // damaged (drawn red)
	Tip   string
	Mono  bool // numbers in a fixed-width font (the microscope)
}

// TextWidth is the width the layout assumes for s at scale sc.
func TextWidth(s string, sc float64) float64 {
	return float64(utf8.RuneCountInString(s)) * CharW * sc
}

// flow lays out items left to right within r, wrapping.
type flow struct {
	r     Rect
	x, y  float64
	s     float64
	items *[]Item
	l     *Layout
}

func newFlow(r Rect, l *Layout, items *[]Item) *flow {
	s := l.S
	return &flow{r: r, x: r.X + Pad*s, y: r.Y + Pad*s, s: s, items: items, l: l}
}

func (f *flow) line() { f.x = f.r.X + Pad*f.s; f.y += LineH * f.s }

func (f *flow) gap(h float64) { f.y += h * f.s }

func (f *flow) text(t string, st Style) {
	if f.x > f.r.X+Pad*f.s {
		f.line()
	}
	for _, ln := range WrapWidth(t, f.r.W-2*Pad*f.s, f.l.width) {
		*f.items = append(*f.items, Item{R: Rect{f.x, f.y, f.r.W - 2*Pad*f.s, LineH * f.s}, Text: ln, Style: st})
		f.line()
	}
}

func (f *flow) button(label, cmd string, on, alert bool, tip string) {
	w := f.l.width(label) + 12*f.s
	if f.x+w > f.r.X+f.r.W-Pad*f.s && f.x > f.r.X+Pad*f.s {
		f.line()
		f.y += 4 * f.s
	}
	*f.items = append(*f.items, Item{R: Rect{f.x, f.y, w, (LineH + 2) * f.s}, Text: label, Cmd: cmd, Style: StyleButton, On: on, Alert: alert, Tip: tip})
	f.x += w + 4*f.s
}

func (f *flow) endRow() {
	if f.x > f.r.X+Pad*f.s {
		f.line()
		f.y += 6 * f.s
	}
}

// WrapWidth breaks t into lines no wider than w as measured, at spaces
// (and inside words longer than a line).
func WrapWidth(t string, w float64, measure func(string) float64) []string {
	var out []string
	for _, para := range strings.Split(t, "\n") {
		line := ""
		for _, word := range strings.Fields(para) {
			for measure(word) > w && utf8.RuneCountInString(word) > 1 {
				r := []rune(word)
				k := len(r) - 1
				for k > 1 && measure(string(r[:k])) > w {
					k--
				}
				if line != "" {
					out = append(out, line)
					line = ""
				}
				out = append(out, string(r[:k]))
				word = string(r[k:])
			}
			switch {
			case line == "":
				line = word
			case measure(line+" "+word) <= w:
				line += " " + word
			default:
				out = append(out, line)
				line = word
			}
		}
		out = append(out, line)
	}
	return out
}

// Wrap breaks t into lines of at most n characters at spaces.
func Wrap(t string, n int) []string {
	if n < 8 {
		n = 8
	}
	var out []string
	for _, para := range strings.Split(t, "\n") {
		line := ""
		for _, w := range strings.Fields(para) {
			for utf8.RuneCountInString(w) > n {
				r := []rune(w)
				if line != "" {
					out = append(out, line)
					line = ""
				}
				out = append(out, string(r[:n]))
				w = string(r[n:])
			}
			switch {
			case line == "":
				line = w
			case utf8.RuneCountInString(line)+1+utf8.RuneCountInString(w) <= n:
				line += " " + w
			default:
				out = append(out, line)
				line = w
			}
		}
		out = append(out, line)
	}
	return out
}

// Items lays out the tab bar, the side panel, the heatmap view buttons
// and, when open, the rules list, for the current state.
func (a *App) Items(l Layout) []Item {
	s := l.S
	sc := a.cur()
	var items []Item

	// Tab bar: scenes, then the run state.
	f := newFlow(l.Top, &l, &items)
	f.y = l.Top.Y + 2*s
	for i, sp := range a.Specs {
		items = append(items, Item{R: Rect{f.x, f.y, l.width(sp.Title) + 20*s, 22 * s}, Text: sp.Title,
			Cmd: CmdScene + ":" + sp.Name, Style: StyleTab, On: i == a.Cur && !a.EvoOn})
		f.x += l.width(sp.Title) + 24*s
	}
	items = append(items, Item{R: Rect{f.x, f.y, l.width("Evolve") + 20*s, 22 * s}, Text: "Evolve",
		Cmd: CmdEvolve + ":on", Style: StyleTab, On: a.EvoOn, Tip: KeyHint(CmdEvolve)})
	f.x += l.width("Evolve") + 24*s
	f.x += 10 * s
	play := "|| pause"
	if a.Paused {
		play = "► play"
	}
	for _, b := range []struct{ t, c, tip string }{
		{play, CmdPause, KeyHint(CmdPause)}, {"step", CmdStep, KeyHint(CmdStep)}, {"−", CmdSlower, KeyHint(CmdSlower)},
		{SpeedLabel(a.Speed, false), CmdFaster, "speed rung ⅛× … 8× (+ / -); max (M) overrides it while on"}, {"+", CmdFaster, KeyHint(CmdFaster)}, {"max", CmdMax, KeyHint(CmdMax)},
		{"restart", CmdRestart, KeyHint(CmdRestart)}, {"new seed", CmdNewSeed, KeyHint(CmdNewSeed)}, {"brain wipe", CmdWipe, KeyHint(CmdWipe)},
		{"compare", CmdCompare, "compare: Hebbian vs static, same seed, same damage (C)"}, {"F1 help", CmdHelp, KeyHint(CmdHelp)},
	} {
		on := (b.c == CmdMax && a.Max) || (b.c == CmdCompare && sc.Compare) || (b.c == CmdPause && a.Paused) || (b.c == CmdHelp && a.Help)
		w := l.width(b.t) + 12*s
		if f.x+w > l.Top.X+l.Top.W {
			break
		}
		items = append(items, Item{R: Rect{f.x, f.y, w, 22 * s}, Text: b.t, Cmd: b.c, Style: StyleButton, On: on, Tip: b.tip})
		f.x += w + 3*s
	}

	// Side panel: the Evolve panel in the Evolve mode.
	a.EvoPlot = Rect{}
	if a.EvoOn {
		a.EvoPlot = a.evoItems(&l, &items)
		a.sideEnd = l.Side.Y + l.Side.H
	} else {
		// Side panel: what does not fit above the status line is left out,
		// least needed first (the provenance, the episode section, the
		// rule's details), so nothing is drawn over anything else.
		for drop := 0; ; drop++ {
			side := a.sidePanel(&l, drop)
			if n := len(side); drop >= 3 || n == 0 || side[n-1].R.Y+side[n-1].R.H <= l.Status.Y {
				items = append(items, side...)
				a.sideEnd = l.Side.Y
				if n > 0 {
					a.sideEnd = side[n-1].R.Y + side[n-1].R.H
				}
				break
			}
		}
	}

	// Heatmap view buttons.
	if l.HeatBar.W > 0 {
		f = newFlow(l.HeatBar, &l, &items)
		f.y = l.HeatBar.Y + 1*s
		names := sc.Main().Brain.CoefNames()
		for v := View(0); v < numViews; v++ {
			label := ViewLabels[v]
			if v == ViewCoef {
				if len(names) == 0 {
					continue
				}
				label = "rule " + names[a.Coef%len(names)]
			}
			f.button(label, CmdView+":"+ViewNames[v], v == a.View, false, "V cycles views")
		}
		if a.View == ViewCoef && len(names) > 1 {
			for c, n := range names {
				f.button(n, fmt.Sprintf("%s:%d", CmdCoef, c), c == a.Coef, false, "B cycles coefficients")
			}
		}
	}

	// The microscope and the tour's caption sit over the world view.
	items = a.scopeItems(l, items)
	if a.Tour.Active {
		items, _ = a.tourItems(l, items)
	}

	// The rules list opens over the world view.
	if a.Rules {
		n := float64(len(a.RuleChoices()) + 3)
		box := Rect{l.World.X + 20*s, l.World.Y + 20*s, math.Min(l.World.W-40*s, 560*s), math.Min(l.World.H-40*s, n*(LineH+6)*s+2*Pad*s)}
		items = append(items, Item{R: box, Style: StyleMuted, Text: ""})
		f = newFlow(box, &l, &items)
		f.text("RULE FILES — click to load; drop a file on the window; O for a dialog", StyleHeader)
		for _, c := range a.RuleChoices() {
			label := c
			switch {
			case c == "default":
				label = "random coefficients (no evolved rules)"
			case strings.HasPrefix(c, BundledPrefix):
				label = "bundled: " + strings.TrimPrefix(c, BundledPrefix)
			}
			for l.width(label) > box.W-30*s && utf8.RuneCountInString(label) > 4 {
				label = "…" + string([]rune(label)[2:])
			}
			f.button(label, CmdRules+":"+c, false, false, c)
			f.line()
			f.gap(4)
		}
		f.button("close", CmdRulesPanel, false, false, "")
	}
	return items
}

// sidePanel lays out the side panel, leaving out drop levels of detail:
// 1 the provenance, 2 the episode section, 3 the rule's details.
func (a *App) sidePanel(l *Layout, drop int) []Item {
	sc := a.cur()
	var items []Item
	f := newFlow(l.Side, l, &items)
	r := sc.Rules
	f.text("RULES", StyleHeader)
	if sc.Compare && len(sc.Lanes) > 1 {
		for _, ln := range sc.Lanes {
			name := ln.Rules.Name
			if _, frozen := ln.Brain.(Frozen); frozen {
				name = "its random start, never updated"
			}
			f.text(ln.Label+": "+name, StyleText)
		}
	} else {
		f.text(r.Name, StyleText)
	}
	if !r.Evolved {
		f.text("no evolved rules loaded", StyleError)
	}
	norm := "off"
	if r.Normalize {
		norm = "on"
	}
	if drop < 3 {
		f.text(fmt.Sprintf("%s · %s · normalise %s", r.Rule, r.Arch, norm), StyleMuted)
	}
	if r.Provenance != "" && drop < 1 {
		f.text(r.Provenance, StyleMuted)
	}
	f.button("rule files… (L)", CmdRulesPanel, a.Rules, false, "bundled and recent rule files")
	f.button("open… (O)", CmdOpen, false, false, "native file dialog")
	f.endRow()

	if d := sc.Damageable(); d != nil {
		state := d.DamageState()
		if ks := sc.Kinds(); len(ks) > 0 {
			f.text("DAMAGE  kind:", StyleHeader)
			for _, k := range ks {
				f.button(k, CmdKind+":"+k, k == sc.kind(), false, "damage kind for keys 1–4 and clicks")
			}
			f.endRow()
			for i, t := range sc.Targets() {
				label := fmt.Sprintf("%d %s", i+1, t)
				if k, ok := state[t]; ok {
					label += " " + k
				} else if k, ok := sc.Want[t]; ok {
					label += " " + k + "…"
				} else {
					label += " ok"
				}
				_, damaged := state[t]
				f.button(label, CmdDamage+":"+t, damaged, damaged, "toggle damage")
			}
		} else {
			// The car has one perturbation at a time (physics/racer): a new
			// one replaces the last, and the panel says so.
			f.text("PERTURBATIONS (one at a time)", StyleHeader)
			var cur string
			for _, k := range state {
				cur = k
			}
			for i, k := range sc.Targets() {
				f.button(fmt.Sprintf("%d %s", i+1, k), CmdDamage+":"+k, cur == k, cur == k, "toggle; a new perturbation replaces the current one")
			}
		}
		f.button("repair all (0)", CmdRepair, false, false, "")
		f.endRow()
	}

	// Step and return change every step and are in the HUD; the panel
	// says what runs, so it is redrawn only when that changes.
	if drop >= 2 {
		return items
	}
	f.text(fmt.Sprintf("EPISODE  seed %d", sc.Seed), StyleHeader)
	for _, ln := range sc.Lanes {
		status := "running"
		if ln.Err != "" {
			status = "ended: " + ln.Err
		} else if ln.Ep.Done() {
			status = "ended: " + ln.Info.Reason
		}
		f.text(ln.Label+": "+status, StyleText)
	}

	return items
}

// Hit returns the command of the topmost button under (x, y), or "".
func Hit(items []Item, x, y float64) (Item, bool) {
	for k := len(items) - 1; k >= 0; k-- {
		it := items[k]
		if it.Cmd != "" && it.R.Contains(x, y) {
			return it, true
		}
	}
	return Item{}, false
}
