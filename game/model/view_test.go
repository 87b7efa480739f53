package model

import (
	"image"
	"image/color"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hebbsim/hebbsim/brain"
	"github.com/hebbsim/hebbsim/physics"
)

func TestCameraRoundTripAndZoomAtCursor(t *testing.T) {
	c := NewCamera(50)
	c.View = Rect{100, 50, 800, 400}
	c.Center = physics.Vec2{X: 3, Y: 1}
	for _, p := range []physics.Vec2{{X: 0, Y: 0}, {X: 3, Y: 1}, {X: -7.5, Y: 2.25}} {
		x, y := c.ToScreen(p)
		q := c.ToWorld(x, y)
		if math.Abs(p.X-q.X) > 1e-9 || math.Abs(p.Y-q.Y) > 1e-9 {
			t.Errorf("round trip %v: have %v", p, q)
		}
	}
	if x, y := c.ToScreen(physics.Vec2{X: 3, Y: 2}); x != 500 || y != 200 {
		t.Errorf("y up: (3,2) at (%v,%v), want (500,200)", x, y)
	}
	before := c.ToWorld(700, 100)
	c.ZoomAt(700, 100, 1.7)
	after := c.ToWorld(700, 100)
	if math.Abs(before.X-after.X) > 1e-9 || math.Abs(before.Y-after.Y) > 1e-9 || c.Zoom != 85 {
		t.Errorf("zoom at cursor moved the point under it: %v → %v (zoom %v)", before, after, c.Zoom)
	}
	c.ZoomAt(0, 0, 1e9)
	if c.Zoom != MaxZoom {
		t.Errorf("zoom clamp: have %v", c.Zoom)
	}
	c.Pan(10, 0)
	if c.Follow {
		t.Error("panning must stop following")
	}
	c.Reset(physics.Vec2{X: 1})
	if !c.Follow || c.Zoom != 50 || c.Center.X != 1 {
		t.Errorf("home: have %+v", c)
	}
}

func TestHeatmapColoursAndCells(t *testing.T) {
	l := &Layer{In: 3, Out: 2, K: 2,
		W:      []float32{-1, 0, 1, 0.5, -0.5, 0},
		DW:     []float32{0, 0, 0.2, 0, -0.1, 0},
		Coeffs: []float32{1, 9, 2, 9, 3, 9, 4, 9, 5, 9, 6, 9}}
	var h Heatmap
	h.Fill(l, ViewW, 0)
	px := func(i, j int) [4]byte {
		p := 4 * (j*h.W + i)
		return [4]byte{h.Pix[p], h.Pix[p+1], h.Pix[p+2], h.Pix[p+3]}
	}
	if h.W != 3 || h.H != 2 || h.Scale != 1 || !h.Signed {
		t.Fatalf("have %dx%d scale %v signed %v", h.W, h.H, h.Scale, h.Signed)
	}
	if px(0, 0) != Diverging[0] || px(2, 0) != Diverging[255] || px(1, 0) != Diverging[128] {
		t.Errorf("w view: have %v %v %v", px(0, 0), px(1, 0), px(2, 0))
	}
	if c := px(0, 0); !(c[2] > c[0]) {
		t.Errorf("negative should be blue: %v", c)
	}
	if c := px(2, 0); !(c[0] > c[2]) {
		t.Errorf("positive should be red/orange: %v", c)
	}
	var d Heatmap
	d.Fill(l, ViewAbsDW, 0)
	// Scale: the 98th percentile of |Δw| = {0,0,0,0,0.1,0.2} is 0.1, so
	// 0.1 is full scale and 0.2 saturates.
	if d.Signed || d.Scale != float64(float32(0.1)) || px2(&d, 1, 1) != Sequential[255] || px2(&d, 2, 0) != Sequential[255] {
		t.Errorf("|Δw| view: signed %v scale %v px %v", d.Signed, d.Scale, px2(&d, 1, 1))
	}
	var c Heatmap
	c.Fill(l, ViewCoef, 0)
	if c.Scale != 5 || px2(&c, 2, 1) != Diverging[255] {
		t.Errorf("coef view: scale %v", c.Scale)
	}
	r := Rect{10, 10, 30, 20}
	if i, j, ok := Cell(r, 3, 2, 35, 25); !ok || i != 2 || j != 1 {
		t.Errorf("cell: have %d %d %v", i, j, ok)
	}
	if _, _, ok := Cell(r, 3, 2, 5, 25); ok {
		t.Error("cell outside the rect")
	}
	info := SynapseInfo(l, []string{"A", "η"}, 2, 1)
	if !strings.Contains(info, "i=2 j=1") || !strings.Contains(info, "w=+0.0000") || !strings.Contains(info, "A=+6.000  η=+9.000") {
		t.Errorf("info: %q", info)
	}
}

func px2(h *Heatmap, i, j int) [4]byte {
	p := 4 * (j*h.W + i)
	return [4]byte{h.Pix[p], h.Pix[p+1], h.Pix[p+2], h.Pix[p+3]}
}

func TestFitRect(t *testing.T) {
	for _, c := range []struct {
		box  Rect
		w, h int
		want Rect
	}{
		{Rect{0, 0, 200, 100}, 64, 8, Rect{4, 14, 192, 72}},    // 3×9 px cells: whole pixels, at most 3:1
		{Rect{0, 0, 200, 100}, 648, 128, Rect{0, 0, 200, 100}}, // shrunk to fill
		{Rect{0, 0, 200, 100}, 34, 128, Rect{66, 0, 68, 100}},  // cells capped at 3:1, then whole pixels
		{Rect{0, 0, 200, 100}, 10, 10, Rect{0, 0, 200, 100}},   // fills
	} {
		have := FitRect(c.box, c.w, c.h, 3)
		if math.Abs(have.X-c.want.X) > 1e-6 || math.Abs(have.Y-c.want.Y) > 1e-6 || math.Abs(have.W-c.want.W) > 1e-6 || math.Abs(have.H-c.want.H) > 1e-6 {
			t.Errorf("fit %dx%d in %v: have %v, want %v", c.w, c.h, c.box, have, c.want)
		}
	}
}

func TestHistoryDecimatesAndKeepsAlignment(t *testing.T) {
	h := NewHistory(8, "step")
	for s := 0; s < 100; s++ {
		if h.Wants(s) {
			h.Add(s, float64(s))
		}
	}
	if h.Len() > 8 || h.Stride != 16 {
		t.Errorf("have %d samples at stride %d, want ≤ 8 at 16", h.Len(), h.Stride)
	}
	for k, v := range h.Series[0] {
		if v != float64(k*h.Stride) {
			t.Errorf("sample %d holds step %v, want %d", k, v, k*h.Stride)
		}
	}
}

func TestPlotRenderDrawsLinesAndMarks(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 100, 50))
	red := MarkColors[MarkDamage]
	p := PlotSpec{Lines: []Line{{Color: color.RGBA{0, 255, 0, 255}, Data: []float64{0, 1, 2, 3, 4}}}, Stride: 10, Steps: 50,
		Marks: []Mark{{Step: 25, Kind: MarkDamage}}, ZeroLine: true}
	lo, hi := p.Render(img)
	if lo >= 0 || hi <= 4 {
		t.Errorf("range: have [%v, %v]", lo, hi)
	}
	green := 0
	for i := 0; i < len(img.Pix); i += 4 {
		if img.Pix[i] == 0 && img.Pix[i+1] == 255 && img.Pix[i+2] == 0 {
			green++
		}
	}
	if green < 60 {
		t.Errorf("line: %d green pixels, want a line ≥ 60 long", green)
	}
	if img.RGBAAt(50, 0) != red {
		t.Errorf("mark at step 25: pixel (50,0) is %v, want %v", img.RGBAAt(50, 0), red)
	}
	if img.RGBAAt(20, 0) == red {
		t.Error("mark drawn at the wrong x")
	}
}

func TestSettingsRoundTripAtomically(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("HEBBSIM_CONFIG_DIR", filepath.Join(dir, "cfg"))
	path, err := SettingsPath()
	if err != nil {
		t.Fatal(err)
	}
	s, err := LoadSettings(path)
	if err != nil || s.Scene != "quadruped" {
		t.Fatalf("missing file: have %+v, %v", s, err)
	}
	s.Scene, s.Speed = "racer", 5
	for i := 0; i < 12; i++ {
		s.AddRecent(filepath.Join(dir, "r"+string(rune('a'+i%10))+".npz"))
	}
	if err := s.Save(path); err != nil {
		t.Fatal(err)
	}
	got, err := LoadSettings(path)
	if err != nil || got.Scene != "racer" || got.Speed != 5 || len(got.Recent) != MaxRecent || !strings.HasSuffix(got.Recent[0], "rb.npz") {
		t.Errorf("round trip: have %+v, %v", got, err)
	}
	ents, _ := os.ReadDir(filepath.Dir(path))
	if len(ents) != 1 {
		t.Errorf("temp files left behind: %v", ents)
	}
	os.WriteFile(path, []byte("{not json"), 0o644)
	bad, err := LoadSettings(path)
	if err == nil || bad.Scene != "quadruped" {
		t.Errorf("corrupt file: have %+v, %v; want defaults and an error", bad, err)
	}
}

func TestLayoutFitsTheScreenAtEveryScale(t *testing.T) {
	for _, c := range []struct {
		w, h, s float64
		panels  bool
		lanes   int
	}{{1280, 720, 1, true, 1}, {2560, 1440, 2, true, 2}, {800, 600, 1, true, 1}, {1280, 720, 1, false, 2}, {1920, 1080, 1.5, true, 1}} {
		l := ComputeLayout(c.w, c.h, c.s, c.panels, c.lanes, []int{648, 128, 64})
		screen := Rect{0, 0, c.w, c.h}
		regions := []Rect{l.Top, l.World, l.Side}
		if c.panels {
			regions = append(regions, l.Heat, l.HeatBar, l.Legend)
			regions = append(regions, l.Plots...)
			regions = append(regions, l.HeatBoxes...)
		}
		for i, r := range regions {
			if r.W <= 0 || r.H <= 0 || r.X < 0 || r.Y < 0 || r.X+r.W > screen.W+1e-9 || r.Y+r.H > screen.H+1e-9 {
				t.Errorf("%v: region %d %v is empty or off screen", c, i, r)
			}
		}
		if overlap(l.World, l.Side) || overlap(l.Top, l.World) || (c.panels && (overlap(l.World, l.Heat) || overlap(l.Heat, l.Plots[1]))) {
			t.Errorf("%v: regions overlap: %+v", c, l)
		}
		if len(l.Lanes) != c.lanes {
			t.Errorf("%v: %d lane views", c, len(l.Lanes))
		}
		a := newTestApp()
		a.Rules = true
		for _, it := range a.Items(l) {
			if it.Cmd != "" && (it.R.X < 0 || it.R.Y < 0 || it.R.X+it.R.W > c.w+1 || it.R.Y+it.R.H > c.h+1) {
				t.Errorf("%v: button %q at %v is off screen", c, it.Text, it.R)
			}
		}
	}
}

func TestPanelButtonsRunTheirCommands(t *testing.T) {
	a := newTestApp()
	l := ComputeLayout(1280, 720, 1, true, 1, []int{6, 8})
	find := func(cmd string) Item {
		for _, it := range a.Items(l) {
			if it.Cmd == cmd {
				return it
			}
		}
		t.Fatalf("no button %s", cmd)
		return Item{}
	}
	b := find("kind:lock")
	x, y := b.R.CenterXY()
	if it, ok := Hit(a.Items(l), x, y); !ok || it.Cmd != "kind:lock" {
		t.Fatalf("hit: have %+v", it)
	}
	a.Do(b.Cmd)
	a.Do(find("damage:BR").Cmd)
	a.Do(CmdStep)
	if st := a.State(); st.Damage["BR"] != "lock" {
		t.Errorf("damage via buttons: have %v", st.Damage)
	}
	if b := find("damage:BR"); !b.Alert || !strings.Contains(b.Text, "lock") {
		t.Errorf("BR button after damage: %+v", b)
	}
	a.Do(find("scene:racer").Cmd)
	if a.Current().Spec.Name != "racer" {
		t.Error("tab did not switch scene")
	}
	find("damage:oil")
}

func overlap(a, b Rect) bool {
	return a.X < b.X+b.W-1e-9 && b.X < a.X+a.W-1e-9 && a.Y < b.Y+b.H-1e-9 && b.Y < a.Y+a.H-1e-9
}

func TestWrapWidth(t *testing.T) {
	measure := func(s string) float64 { return 7 * float64(len([]rune(s))) }
	in := "ABCD_lr · 84×84×3 CNN→648→128→64→3 · normalise on"
	have := WrapWidth(in, 140, measure)
	for _, ln := range have {
		if measure(ln) > 140 {
			t.Errorf("line %q is %v wide, want ≤ 140", ln, measure(ln))
		}
	}
	if strings.ReplaceAll(strings.Join(have, ""), " ", "") != strings.ReplaceAll(in, " ", "") {
		t.Errorf("wrap lost text: %q", have)
	}
}

func TestWrap(t *testing.T) {
	have := Wrap("evolved 300 generations of OpenAI-ES on healthy and FL-short bodies", 20)
	for _, ln := range have {
		if len([]rune(ln)) > 20 {
			t.Errorf("line %q longer than 20", ln)
		}
	}
	if strings.Join(have, " ") != "evolved 300 generations of OpenAI-ES on healthy and FL-short bodies" {
		t.Errorf("wrap lost words: %q", have)
	}
}

func TestFileLoaderRoundTripsARuleFile(t *testing.T) {
	r0, err := RandomRules("quadruped", smallArch(6, 3), 3)
	if err != nil {
		t.Fatal(err)
	}
	b, err := r0.NewBrain()
	if err != nil {
		t.Fatal(err)
	}
	rf := brain.FromNetwork(b.(*Net).Network, brain.Meta{Env: "quadruped", Provenance: brain.Provenance{Generations: 12, Fitness: 3.5}})
	path := filepath.Join(t.TempDir(), "q.npz")
	if err := rf.Save(path); err != nil {
		t.Fatal(err)
	}
	r, err := FileLoader{}.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if r.Env != "quadruped" || !r.Evolved || r.Rule != "ABCD_lr" || r.Arch != "6→8→3" || !strings.Contains(r.Provenance, "12 generations") {
		t.Errorf("have %+v", r)
	}
	os.WriteFile(path, []byte("garbage"), 0o644)
	if _, err := (FileLoader{}).Load(path); err == nil {
		t.Error("a garbage file loaded without error")
	}
	if _, err := (FileLoader{}).Load(filepath.Join(t.TempDir(), "missing.npz")); err == nil {
		t.Error("a missing file loaded without error")
	}
}

func TestTriangulation(t *testing.T) {
	area := func(xs []float32, is []uint16) float64 {
		a := 0.0
		for k := 0; k < len(is); k += 3 {
			p, q, r := int(is[k]), int(is[k+1]), int(is[k+2])
			a += math.Abs(float64((xs[2*q]-xs[2*p])*(xs[2*r+1]-xs[2*p+1])-(xs[2*q+1]-xs[2*p+1])*(xs[2*r]-xs[2*p]))) / 2
		}
		return a
	}
	for _, c := range []struct {
		name   string
		xs     []float32
		convex bool
		area   float64
	}{
		{"square", []float32{0, 0, 2, 0, 2, 2, 0, 2}, true, 4},
		{"L shape", []float32{0, 0, 2, 0, 2, 1, 1, 1, 1, 2, 0, 2}, false, 3},
		{"L shape, other winding", []float32{0, 2, 1, 2, 1, 1, 2, 1, 2, 0, 0, 0}, false, 3},
		{"terrain valley", []float32{0, 0, 1, -0.5, 2, 0, 2, -3, 0, -3}, false, 5.5},
		{"terrain hill", []float32{0, 0, 1, 0.5, 2, 0, 2, -3, 0, -3}, true, 6.5},
	} {
		if have := Convex(c.xs); have != c.convex {
			t.Errorf("%s: convex %v, want %v", c.name, have, c.convex)
		}
		is := EarClip(c.xs, 10, nil)
		for k := range is {
			is[k] -= 10
		}
		if n := len(is) / 3; n != len(c.xs)/2-2 {
			t.Errorf("%s: %d triangles, want %d", c.name, n, len(c.xs)/2-2)
		}
		if have := area(c.xs, is); math.Abs(have-c.area) > 1e-5 {
			t.Errorf("%s: triangles cover %v, want %v", c.name, have, c.area)
		}
	}
}

func TestScaleOfIgnoresOutliers(t *testing.T) {
	v := make([]float32, 10000)
	for i := range v {
		v[i] = float32(i%100) / 100 // 0 … 0.99
	}
	v[17], v[4242] = 1e6, float32(math.Inf(1))
	have := ScaleOf(v, len(v), 1, 0)
	if have < 0.95 || have > 0.99 {
		t.Errorf("have %v, want ≈ 0.97 (outliers ignored)", have)
	}
}

func TestRealScenesStepAndDamage(t *testing.T) {
	specs := Specs()
	if len(specs) != 2 || specs[0].Name != "quadruped" || specs[1].Name != "racer" {
		t.Fatalf("specs: have %v", specs)
	}
	for _, sp := range specs {
		sc, err := NewScene(sp, nil, 3)
		if err != nil {
			t.Fatalf("%s: %v", sp.Name, err)
		}
		sc.Toggle(physics.Damage{Target: sc.Damageable().DamageTargets()[0], Kind: sc.Damageable().DamageKinds()[0]})
		if n := sc.Step(20); n != 20 && !sc.Done() {
			t.Errorf("%s: ran %d of 20 steps", sp.Name, n)
		}
		if st := sc.Damageable().DamageState(); len(st) == 0 && sp.Name == "quadruped" {
			t.Errorf("%s: damage not applied: %v", sp.Name, st)
		}
		if got := len(sc.Main().Brain.Layers()); got != 3 {
			t.Errorf("%s: %d plastic layers, want 3", sp.Name, got)
		}
		if h := sc.Main().Hist; h.Len() != 20 || !(h.Series[2][19] > 0) {
			t.Errorf("%s: history %d samples, mean |Δw| %v", sp.Name, h.Len(), h.Series[2])
		}
	}
}

func TestStaticRuleFileGoesBesideTheHebbianNetwork(t *testing.T) {
	n, err := brain.NewNetwork(brain.Arch{Layers: []int{34, 128, 64, 8}, Rule: brain.StaticName})
	if err != nil {
		t.Fatal(err)
	}
	theta := make([]float64, n.NumParams())
	for i := range theta {
		theta[i] = 0.05 * math.Sin(float64(i))
	}
	if err := n.SetParams(theta); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "quadruped-static.npz")
	if err := brain.FromNetwork(n, brain.Meta{Env: "quadruped"}).Save(path); err != nil {
		t.Fatal(err)
	}
	a, err := NewApp(Specs(), DefaultSettings(), FileLoader{})
	if err != nil {
		t.Fatal(err)
	}
	hebb := a.Current().Rules.Name
	a.Do("rules:" + path)
	sc := a.Current()
	// Alone: the static network runs on its own and the panel names it.
	if a.LastErr != "" || sc.Compare || len(sc.Lanes) != 1 || sc.Lanes[0].Label != "static (evolved)" || sc.Lanes[0].Brain.Plastic() ||
		sc.Rules.Name != "quadruped-static.npz" {
		t.Fatalf("have error %q, compare %v, lanes %d, rules %q", a.LastErr, sc.Compare, len(sc.Lanes), sc.Rules.Name)
	}
	if !strings.Contains(a.Msg.Text, "on their own") || !strings.Contains(a.Msg.Text, hebb) {
		t.Errorf("message %q does not say the static weights run alone and what C compares them with", a.Msg.Text)
	}
	sc.Step(5)
	if w := sc.Lanes[0].Brain.Layers()[0].W[1]; w != float32(0.05*math.Sin(1)) {
		t.Errorf("static weights changed or were redrawn: w[1] = %v", w)
	}
	// C: the Hebbian network beside it.
	a.Do("compare")
	if len(sc.Lanes) != 2 || sc.Lanes[0].Rules.Name != hebb || sc.Lanes[1].Label != "static (evolved)" || sc.Lanes[1].Rules.Name != "quadruped-static.npz" {
		t.Fatalf("compare lanes: %d, %+v", len(sc.Lanes), sc.Lanes)
	}
	// W: the plastic network gets fresh weights, the evolved one keeps its own.
	sc.Step(5)
	a.Do("wipe")
	if !strings.Contains(a.Msg.Text, "Hebbian: fresh random weights") || !strings.Contains(a.Msg.Text, "static (evolved): keeps its weights") {
		t.Errorf("wipe message %q does not say what happened to each lane", a.Msg.Text)
	}
}
