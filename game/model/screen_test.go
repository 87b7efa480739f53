package model

import (
	"fmt"
	"strings"
	"testing"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/gomono"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
)

// measurer measures text in the faces the game draws with (the same
// fonts and sizes as game/draw.go), so the layout test is exact.
func measurer(t *testing.T, ttf []byte, size float64) func(string) float64 {
	t.Helper()
	f, err := opentype.Parse(ttf)
	if err != nil {
		t.Fatal(err)
	}
	face, err := opentype.NewFace(f, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingFull})
	if err != nil {
		t.Fatal(err)
	}
	return func(s string) float64 { return float64(font.MeasureString(face, s)) / 64 }
}

// box is one thing on screen, for the overlap check.
type box struct {
	what string
	r    Rect
}

func overlaps(a, b Rect) bool {
	const eps = 0.5 // shared edges are not overlaps
	return a.X+eps < b.X+b.W && b.X+eps < a.X+a.W && a.Y+eps < b.Y+b.H && b.Y+eps < a.Y+a.H
}

func inside(r, in Rect) bool {
	const eps = 0.5
	return r.X >= in.X-eps && r.Y >= in.Y-eps && r.X+r.W <= in.X+in.W+eps && r.Y+r.H <= in.Y+in.H+eps
}

// checkLayer fails when two boxes overlap or one leaves its region.
func checkLayer(t *testing.T, name string, boxes []box, region Rect) {
	t.Helper()
	for i, a := range boxes {
		if a.r.W <= 0 || a.r.H <= 0 || !inside(a.r, region) {
			t.Errorf("%s: %s %v is empty or outside %v", name, a.what, a.r, region)
		}
		for _, b := range boxes[i+1:] {
			if overlaps(a.r, b.r) {
				t.Errorf("%s: %s %v overlaps %s %v", name, a.what, a.r, b.what, b.r)
			}
		}
	}
}

// TestEveryRegionButtonCaptionAndHelpLineHasItsOwnPlace lays out the whole
// screen, as the game draws it, at the minimum window size and at
// 1280×720 for the states that put most on screen, and checks that no
// two regions, buttons, captions or labels overlap and that every one is
// on screen.
func TestEveryRegionButtonCaptionAndHelpLineHasItsOwnPlace(t *testing.T) {
	ui := measurer(t, goregular.TTF, FontSize)
	faces := Faces{Small: measurer(t, goregular.TTF, SmallSize), Bold: measurer(t, gobold.TTF, BoldSize), Mono: measurer(t, gomono.TTF, MonoSize)}
	states := []struct {
		name string
		set  func(a *App)
	}{
		{"quadruped", func(a *App) {}},
		{"quadruped compare, coefficient view, damaged, paused", func(a *App) {
			a.Do("compare")
			a.Do("coef:2")
			a.Do("damage:1")
			a.Do("damage:4")
			a.Current().Step(1)
			a.Paused = true
		}},
		{"racer rays", func(a *App) { a.Do("rules:bundled:racer-hebbian-rays.npz") }},
		{"racer pixels compare", func(a *App) { a.Do("scene:racer"); a.Do("compare"); a.Do("damage:2") }},
		{"evolve, bad setting", func(a *App) {
			a.Evo.Dir = "/nonexistent/evolve"
			a.Do("evolve:on")
			a.Do("evolve:set:pop:7")
			a.EvoSave = "/tmp/" + strings.Repeat("long-", 12) + ".npz"
		}},
		{"evolve racer pixels, perturbations", func(a *App) {
			a.Evo.Dir = "/nonexistent/evolve"
			a.Do("evolve:set:body:racer pixels")
			a.Do("evolve:set:preset:perturb")
			a.Do("evolve:on")
		}},
		{"random rules, long error", func(a *App) {
			a.Do("rules:default")
			a.Error(fmt.Errorf("cannot load %s: not an .npz (zip) archive: not a valid zip file", strings.Repeat("very-long-name-", 6)))
		}},
	}
	for _, size := range [][2]float64{{MinW, MinH}, {1280, 720}} {
		for _, st := range states {
			for _, overlay := range []string{"", "help", "rules"} {
				a, err := NewApp(Specs(), DefaultSettings(), FileLoader{})
				if err != nil {
					t.Fatal(err)
				}
				st.set(a)
				a.Help, a.Rules = overlay == "help", overlay == "rules"
				name := fmt.Sprintf("%gx%g %s %s", size[0], size[1], st.name, overlay)
				checkScreen(t, name, a, size[0], size[1], ui, faces)
			}
		}
	}
}

func checkScreen(t *testing.T, name string, a *App, w, h float64, ui func(string) float64, faces Faces) {
	t.Helper()
	sc := a.Current()
	var ins []int
	for _, L := range sc.Main().Brain.Layers() {
		ins = append(ins, L.In)
	}
	l := ComputeLayout(w, h, 1, true, len(sc.Lanes), ins)
	l.SetFaces(ui, faces, ins)
	screen := Rect{0, 0, w, h}
	items := a.Items(l)

	// The regions tile the screen without overlapping.
	regions := []box{{"top bar", l.Top}, {"world", l.World}, {"side panel", l.Side}, {"heat bar", l.HeatBar}, {"heatmaps", l.Heat}}
	for k, p := range l.Plots {
		regions = append(regions, box{fmt.Sprintf("plot %d", k), p})
	}
	checkLayer(t, name+" regions", regions, screen)

	// Every toolbar button is there.
	var top, side, heatBar, list []box
	cmds := map[string]bool{}
	for _, it := range items {
		b := box{fmt.Sprintf("%q", it.Text), it.R}
		switch {
		case it.Style == StyleMuted && it.Text == "" || (a.Rules && inside(it.R, l.World) && !inside(it.R, l.Top)):
			list = append(list, b)
		case inside(it.R, l.Top):
			top = append(top, b)
			cmds[it.Cmd] = true
		case inside(it.R, l.HeatBar):
			heatBar = append(heatBar, b)
		default:
			side = append(side, b)
		}
	}
	for _, c := range []string{CmdPause, CmdStep, CmdSlower, CmdFaster, CmdMax, CmdRestart, CmdNewSeed, CmdWipe, CmdCompare, CmdHelp} {
		if !cmds[c] {
			t.Errorf("%s: the toolbar has no %q button", name, c)
		}
	}
	checkLayer(t, name+" toolbar", top, l.Top)
	if a.EvoOn {
		// The fitness plot may be left out of the smallest window, never
		// at 1280×720.
		if a.EvoPlot.H == 0 && h >= 720 {
			t.Errorf("%s: no room for the fitness plot", name)
		}
		if a.EvoPlot.H > 0 {
			side = append(side, box{"fitness plot", a.EvoPlot})
		}
	}
	checkLayer(t, name+" side panel", append(side, box{"status line", l.Status}), l.Side)
	checkLayer(t, name+" heatmap buttons", heatBar, l.HeatBar)
	if len(list) > 0 {
		// The rules list: its items inside its box, not on each other.
		checkLayer(t, name+" rules list", list[1:], list[0].r)
		if !inside(list[0].r, l.World) {
			t.Errorf("%s: rules list %v leaves the world view", name, list[0].r)
		}
	}

	// Heatmaps, legend and plots, with their widest captions.
	var bottom []box
	for i, L := range sc.Main().Brain.Layers() {
		capR := l.HeatCaps[i]
		capR.W = faces.Small(HeatCaption(i, L.In, L.Out, 0.00088, true))
		if capR.W > l.HeatCaps[i].W {
			t.Errorf("%s: heatmap caption %d (%.0f px) is wider than its box (%.0f px)", name, i, capR.W, l.HeatCaps[i].W)
		}
		bottom = append(bottom, box{fmt.Sprintf("heatmap caption %d", i), capR}, box{fmt.Sprintf("heatmap %d", i), l.HeatPics[i]})
	}
	bottom = append(bottom, box{"legend bar", l.LegendBar}, box{"legend info", l.LegendInfo})
	for i, r := range l.LegendLabels {
		bottom = append(bottom, box{fmt.Sprintf("legend label %d", i), r})
	}
	titles := []string{"return", sc.Spec.ProgressTitle(), "mean |w(t+1) − w(t)| per layer", "actions"}
	var labels []string
	for _, ln := range sc.Lanes {
		labels = append(labels, ShortLabel(ln.Label))
	}
	for k, f := range l.PlotFrames {
		title, legend := l.PlotHeader(k, titles[k], labels)
		bottom = append(bottom, box{fmt.Sprintf("plot %d title", k), title}, box{fmt.Sprintf("plot %d data", k), f.Area},
			box{fmt.Sprintf("plot %d hi", k), f.Hi}, box{fmt.Sprintf("plot %d lo", k), f.Lo},
			box{fmt.Sprintf("plot %d x0", k), f.X0}, box{fmt.Sprintf("plot %d x1", k), f.X1})
		for i, r := range legend {
			bottom = append(bottom, box{fmt.Sprintf("plot %d legend %d", k, i), r})
		}
		if faces.Small(tickWidest) > f.Hi.W {
			t.Errorf("%s: plot %d tick labels need %.0f px, have %.0f", name, k, faces.Small(tickWidest), f.Hi.W)
		}
		if !inside(f.Box, l.Plots[k]) {
			t.Errorf("%s: plot %d frame %v outside %v", name, k, f.Box, l.Plots[k])
		}
	}
	checkLayer(t, name+" heatmaps and plots", bottom, Rect{0, l.HeatBar.Y, w, h - l.HeatBar.Y})

	// The world's overlays.
	extra, warn := a.HUDExtra()
	hud := append(append(append([]string(nil), hudTemplate...), extra...), warn...)
	o := a.PlaceOverlays(&l, hud)
	world := []box{{"HUD", o.HUD}}
	if o.Inset.W > 0 {
		world = append(world, box{"observation inset", o.Inset})
	}
	for i, r := range o.LaneCaps {
		world = append(world, box{fmt.Sprintf("lane %d caption", i), r})
	}
	for i, r := range o.LaneEnded {
		world = append(world, box{fmt.Sprintf("lane %d 'episode ended'", i), r})
	}
	checkLayer(t, name+" world overlays", world, l.World)
	for i, r := range o.HUDLines {
		if !inside(r, o.HUD) || faces.Small(hud[i]) > r.W+0.5 {
			t.Errorf("%s: HUD line %q (%.0f px) does not fit %v", name, hud[i], faces.Small(hud[i]), r)
		}
	}

	// The help: every line on screen, none on another.
	if a.Help {
		hb := l.LayoutHelp()
		var lines []box
		n := 0
		for _, it := range hb.Lines {
			if strings.TrimSpace(it.Text) != "" {
				lines = append(lines, box{fmt.Sprintf("help %q", it.Text), it.R})
				n += len(strings.Fields(it.Text))
			}
		}
		checkLayer(t, name+" help", lines, hb.Box)
		if !inside(hb.Box, screen) {
			t.Errorf("%s: help box %v leaves the screen", name, hb.Box)
		}
		want := 0
		for _, t := range HelpText() {
			want += len(strings.Fields(t))
		}
		if n != want {
			t.Errorf("%s: the help shows %d words of %d", name, n, want)
		}
	}
}

// Every vector observation of the racer gets the bar inset and the drawn
// rays; pixels get the picture.
func TestSeesVector(t *testing.T) {
	for obs, want := range map[string]bool{"pixels": false, "pixels-wide": false, "rays": true, "grip": true, "traction": true, "compass": true} {
		if have := (&Rules{Obs: obs}).SeesVector(); have != want {
			t.Errorf("obs %q: SeesVector %v, want %v", obs, have, want)
		}
	}
	if (*Rules)(nil).SeesVector() {
		t.Error("no rules: SeesVector true, want false")
	}
}
