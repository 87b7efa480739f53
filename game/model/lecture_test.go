package model

import (
	"io"
	"math"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hebbsim/hebbsim/assets"
	"github.com/hebbsim/hebbsim/brain"
	"github.com/hebbsim/hebbsim/physics"
	"github.com/hebbsim/hebbsim/sim"
)

// sprinter is a fake body that runs 6 cm per step whatever the action:
// at max speed that is metres per tick.
type sprinter struct{ *fakeEnv }

func (s sprinter) Step(a []float32) physics.StepInfo {
	s.x += 0.06
	s.steps++
	return physics.StepInfo{Distance: s.x, Done: s.steps >= s.limit, Reason: "step limit"}
}

func TestCameraKeepsTheBodyInViewAtEverySpeed(t *testing.T) {
	for _, compare := range []bool{false, true} {
		quad := func() physics.Env { return sprinter{newQuad()} }
		specs := testSpecs(newQuad, newCar)
		specs[0].NewEnv = func(string) (physics.Env, error) { return quad(), nil }
		a, err := NewApp(specs, DefaultSettings(), fakeLoader{})
		if err != nil {
			t.Fatal(err)
		}
		now := time.Unix(0, 0)
		a.Now = func() time.Time { now = now.Add(time.Second / 60); return now }
		if compare {
			a.Do(CmdCompare)
		}
		a.MaxBudget = time.Second // 60 readings of the fake clock: 240 steps a tick
		a.Do(CmdMax)
		sc := a.Current()
		for i, l := range sc.Lanes {
			l.Cam.View = Rect{X: float64(i) * 400, Y: 30, W: 400, H: 300}
		}
		total := 0
		for tick := 0; tick < 20; tick++ {
			total += a.Tick(60)
			for i, l := range sc.Lanes {
				if !l.Cam.InView(l.Env.Focus()) {
					x, y := l.Cam.ToScreen(l.Env.Focus())
					t.Fatalf("compare %v, tick %d, lane %d: body at (%.0f, %.0f) outside the view %v (centre %.1f m, body %.1f m)",
						compare, tick, i, x, y, l.Cam.View, l.Cam.Center.X, l.Env.Focus().X)
				}
			}
		}
		if total < 1000 {
			t.Errorf("max mode ran only %d steps in 20 ticks", total)
		}
		// The body is near the middle, not at the edge: the easing by
		// steps caught up.
		m := sc.Main()
		if gap := math.Abs(m.Env.Focus().X-m.Cam.Center.X) * m.Cam.Zoom; gap > 0.3*m.Cam.View.W {
			t.Errorf("compare %v: body %.0f px from the view's centre after %d steps", compare, gap, total)
		}
	}
}

func TestCameraEaseMatchesTrackAtOneTimes(t *testing.T) {
	a, b := NewCamera(40), NewCamera(40)
	f := physics.Vec2{X: 3, Y: 1}
	a.Track(f, 0.12)
	b.Ease(f, 0, 50.0/60, 0.12, 0.6) // a tick without a step eases as before
	if a.Center != b.Center {
		t.Errorf("Ease at 1×: centre %v, Track gives %v", b.Center, a.Center)
	}
	c := NewCamera(40)
	c.Ease(f, 2000, 50.0/60, 0.12, 0.6)
	if math.Abs(c.Center.X-3) > 1e-6 {
		t.Errorf("Ease after 2000 steps: centre %v, want the focus", c.Center)
	}
}

// TestMicroscopeMatchesTheTrace runs the app's quadruped with the bundled
// rules and a synapse pinned, damages a leg mid-way, and recomputes every
// number the microscope showed from the rule file and brain's trace of the
// same seed and the same damage.
func TestMicroscopeMatchesTheTrace(t *testing.T) {
	a, err := NewApp(Specs(), DefaultSettings(), FileLoader{})
	if err != nil {
		t.Fatal(err)
	}
	sc := a.Current()
	if sc.Spec.Name != "quadruped" || !strings.Contains(sc.Rules.Name, "quadruped-hebbian") {
		t.Fatalf("app starts with %s / %s, want the bundled quadruped rules", sc.Spec.Name, sc.Rules.Name)
	}
	b, err := assets.Open(sc.Rules.Name)
	if err != nil {
		t.Fatal(err)
	}
	rf, err := brain.Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	const steps, damageAt = 40, 20
	pins := []Pin{{L: 1, I: 5, J: 7}, {L: 2, I: 60, J: 2}}
	a.Do(CmdPin + ":" + pins[0].String())
	var scopes []Scope
	for k := 0; k < steps; k++ {
		if k == damageAt {
			a.Do("kind:amputate")
			a.Do("damage:BR")
		}
		if k == 30 { // re-pin mid-way: a new synapse is followed from the next step
			a.Do(CmdPin + ":" + pins[1].String())
		}
		a.Do(CmdStep)
		s, ok := a.Scope()
		if !ok || !s.Valid {
			t.Fatalf("step %d: no microscope reading", k)
		}
		scopes = append(scopes, s)
	}
	rec, _, err := sim.Trace("quadruped", sc.Rules.Obs, rf, sim.TraceOptions{Seed: sc.Seed, Steps: steps,
		Schedule: []sim.Event{{Step: damageAt, Damage: physics.Damage{Target: "BR", Kind: "amputate"}}}})
	if err != nil {
		t.Fatal(err)
	}
	tr := rec.Trace(rf.Meta)
	arch, _ := rf.Meta.Arch()
	names := rf.Meta.CoeffNames
	if len(names) == 0 {
		t.Fatal("rule file without coefficient names")
	}
	const tol = 1e-12
	near := func(what string, k int, have, want float64) {
		t.Helper()
		if math.Abs(have-want) > tol*math.Max(1, math.Abs(want)) {
			t.Errorf("step %d: %s: microscope %.17g, trace %.17g", k, what, have, want)
		}
	}
	for k, s := range scopes {
		p := s.Pin
		if s.Step != k {
			t.Fatalf("reading %d is of step %d", k, s.Step)
		}
		in, out := arch.Layers[p.L], arch.Layers[p.L+1]
		K := len(names)
		syn := p.J*in + p.I
		pre := float64(tr.Pre[p.L][k*in+p.I])
		post := float64(tr.Post[p.L][k*out+p.J])
		coef := make([]float64, K)
		for c := range coef {
			coef[c] = float64(tr.Coeffs[p.L][syn*K+c])
		}
		byName := map[string]float64{"eta": 1}
		for c, n := range names {
			byName[n] = coef[c]
		}
		d := byName["D"] + byName["D_in"]
		wantDW := byName["eta"]*(byName["A"]*pre*post+byName["B"]*pre+byName["C"]*post+d) + byName["D_out"]
		w0 := float64(tr.W[p.L][k*in*out+syn])
		w1 := float64(tr.W[p.L][(k+1)*in*out+syn])
		near("pre", k, s.Pre, pre)
		near("post", k, s.Post, post)
		near("A·pre·post", k, s.TermA, byName["A"]*pre*post)
		near("B·pre", k, s.TermB, byName["B"]*pre)
		near("C·post", k, s.TermC, byName["C"]*post)
		near("D", k, s.TermD, d)
		near("η", k, s.Eta, byName["eta"])
		near("Δw (rule)", k, s.DW, wantDW)
		for c := range coef {
			near("coefficient "+names[c], k, s.Coef[c], coef[c])
		}
		near("w before", k, s.WBefore, w0)
		near("Δw after normalisation", k, s.Moved, w1-w0)
		near("w after", k, s.WAfter, w1)
		// The network's own float32 Δw is the rule's, to float32 precision,
		// and the normalisation divides w + Δw by the layer's max |w|.
		if math.Abs(s.RuleDW-wantDW) > 1e-6*math.Max(1e-3, math.Abs(wantDW)) {
			t.Errorf("step %d: network Δw %.9g, rule %.9g", k, s.RuleDW, wantDW)
		}
		if arch.Normalize {
			if s.Norm <= 0 {
				t.Fatalf("step %d: normalising rules but no max|w| shown", k)
			}
			if got := (w0 + s.RuleDW) / s.Norm; math.Abs(got-w1) > 1e-5*math.Max(1e-3, math.Abs(w1)) {
				t.Errorf("step %d: (w + Δw) / max|w| = %.9g, trace w(t+1) = %.9g", k, got, w1)
			}
		}
	}
	// The w(t) history has one sample per step since the pin, and the
	// damage is marked on the scene's time axis.
	if h := a.PinHistory(); h == nil || h.Len() != steps-30 {
		t.Errorf("w(t) history: %v samples, want %d", h, steps-30)
	}
	if !slices.ContainsFunc(sc.Marks, func(m Mark) bool { return m.Step == damageAt && m.Kind == MarkDamage }) {
		t.Errorf("marks %v: want the damage at step %d", sc.Marks, damageAt)
	}
}

func TestPinReleaseAndEscape(t *testing.T) {
	a := newTestApp()
	a.Do("pin:1:2:1")
	if p, ok := a.Pinned(); !ok || p != (Pin{1, 2, 1}) {
		t.Fatalf("pinned %v %v", p, ok)
	}
	a.Do("pin:1:2:1") // the same cell again releases
	if _, ok := a.Pinned(); ok {
		t.Error("pinning the pinned synapse again did not release it")
	}
	a.Do("pin:0:1:1")
	a.Do(CmdClose)
	if _, ok := a.Pinned(); ok {
		t.Error("Esc did not release the synapse")
	}
	for _, bad := range []string{"pin:9:0:0", "pin:0:99:0", "pin:x", "pin:1:2"} {
		a.LastErr = ""
		a.Do(bad)
		if _, ok := a.Pinned(); ok || a.LastErr == "" {
			t.Errorf("%s: pinned %v, error %q; want an error and no pin", bad, ok, a.LastErr)
		}
	}
	// A click on a heatmap cell finds its synapse, through the order.
	l := ComputeLayout(1280, 720, 1, true, 1, []int{6, 8})
	a.Do("pin:auto")
	a.Do(CmdClose)
	for _, ord := range []string{"natural", "coef"} {
		a.Do("order:" + ord)
		L := a.Current().Main().Brain.Layers()[1]
		dr := HeatDrawRect(l.HeatPics[1], L.In, L.Out, 1)
		cw, ch := dr.W/float64(L.In), dr.H/float64(L.Out)
		p, ok := a.HeatCellAt(l, dr.X+2.5*cw, dr.Y+1.5*ch)
		i, j := a.CellSynapse(1, 2, 1)
		if !ok || p != (Pin{1, i, j}) {
			t.Errorf("order %s: click on cell (2,1) gives %v %v, want layer 1 synapse (%d,%d)", ord, p, ok, i, j)
		}
		if x, y := a.SynapseCell(1, i, j); x != 2 || y != 1 {
			t.Errorf("order %s: synapse (%d,%d) drawn at (%d,%d), want (2,1)", ord, i, j, x, y)
		}
	}
}

func TestHeatmapOrdersAreFixedForTheEpisode(t *testing.T) {
	a := newTestApp()
	m := a.Current().Main()
	a.Do("order:coef")
	ls := m.Brain.Layers()
	rows, cols := a.HeatPerm(1)
	if len(rows) != ls[1].Out || len(cols) != ls[1].In {
		t.Fatalf("coef order: %d rows, %d cols for a %d×%d layer", len(rows), len(cols), ls[1].Out, ls[1].In)
	}
	// Rows sorted by the mean first coefficient of their synapses.
	mean := func(j int) float64 {
		s := 0.0
		for i := 0; i < ls[1].In; i++ {
			s += float64(ls[1].Coeffs[(j*ls[1].In+i)*ls[1].K])
		}
		return s
	}
	for y := 1; y < len(rows); y++ {
		if mean(rows[y]) > mean(rows[y-1])+1e-9 {
			t.Errorf("coef order: row %d (mean %.3f) above row %d (mean %.3f)", y, mean(rows[y]), y-1, mean(rows[y-1]))
		}
	}
	// Layer 1's columns are layer 0's rows: one place per hidden neuron.
	r0, _ := a.HeatPerm(0)
	if !slices.Equal(r0, cols) {
		t.Errorf("layer 0 rows %v, layer 1 columns %v: want the same order", r0, cols)
	}
	if !strings.Contains(a.OrderLabel(), "mean") {
		t.Errorf("legend %q does not say the order", a.OrderLabel())
	}
	a.Do("order:activity")
	if r, _ := a.HeatPerm(1); r != nil {
		t.Error("activity order before any activity")
	}
	for k := 0; k < OrderAfter; k++ {
		a.Do(CmdStep)
	}
	r1, _ := a.HeatPerm(1)
	if r1 == nil {
		t.Fatalf("no activity order after %d steps; legend %q", OrderAfter, a.OrderLabel())
	}
	for k := 0; k < 30; k++ {
		a.Do(CmdStep)
	}
	if r2, _ := a.HeatPerm(1); !slices.Equal(r1, r2) {
		t.Errorf("activity order changed mid-episode: %v → %v", r1, r2)
	}
	a.Do(CmdRestart)
	if r, _ := a.HeatPerm(1); r != nil {
		t.Error("activity order kept across episodes")
	}
	a.Do("order:natural")
	if r, _ := a.HeatPerm(1); r != nil {
		t.Error("natural order has a permutation")
	}
	a.LastErr = ""
	a.Do("order:sideways")
	if a.LastErr == "" {
		t.Error("unknown order accepted")
	}
}

func TestTourDrivesTheSimulationInBothScenes(t *testing.T) {
	for _, scene := range []string{"quadruped", "racer"} {
		t.Run(scene, func(t *testing.T) {
			a := newTestApp()
			a.Do("scene:" + scene)
			for k := 0; k < 40; k++ {
				a.Tick(60)
			}
			a.Do(CmdTour)
			sc := a.Current()
			n := len(a.Tour.Script.Steps)
			if !a.Tour.Active || !a.Paused || sc.Main().Ep.Index() == 0 || sc.Main().Ep.Index() > 5 {
				t.Fatalf("tour start: active %v paused %v step %d; want a paused, restarted episode a few steps in",
					a.Tour.Active, a.Paused, sc.Main().Ep.Index())
			}
			damaged, compared, wiped := false, false, false
			for k := 1; k < n; k++ {
				a.Do("tour:next")
				// Back and next again: the step's commands do not run twice.
				a.Do("tour:back")
				a.Do("tour:next")
				for i := 0; i < 30; i++ {
					a.Tick(60)
				}
				title, _, _ := a.Tour.Caption(scene)
				sc = a.Current()
				if len(sc.Want) > 0 {
					damaged = true
				}
				if sc.Compare {
					compared = true
					// Both lanes are damaged at the step the tour names.
					for sc.Main().Ep.Index() < 310 && !sc.Done() {
						a.Tick(60)
					}
					var at []int
					for _, m := range sc.Marks {
						if m.Kind == MarkDamage {
							at = append(at, m.Step)
						}
					}
					if !slices.Contains(at, 300) {
						t.Errorf("%s: compare step: damage marks at %v, want one at step 300", title, at)
					}
					if d := sc.Damageable().DamageState(); len(d) == 0 {
						t.Errorf("%s: nothing damaged after step 300", title)
					}
				}
				for _, m := range sc.Marks {
					if m.Kind == MarkWipe {
						wiped = true
					}
				}
				if k == 2 {
					if _, ok := a.Pinned(); !ok {
						t.Errorf("step %d (%s): no synapse pinned", k+1, title)
					}
				}
				if k == 4 && a.Paused {
					t.Errorf("step %d (%s): still paused", k+1, title)
				}
			}
			if !damaged || !compared || !wiped {
				t.Errorf("tour: damaged %v, compare %v, wipe %v; want all", damaged, compared, wiped)
			}
			if len(a.Tour.Script.Steps) < 8 {
				t.Errorf("tour has %d steps, want about eight", n)
			}
			a.Do("tour:next") // finish
			if a.Tour.Active {
				t.Error("finish did not end the tour")
			}
			if a.LastErr != "" {
				t.Errorf("the tour caused an error: %s", a.LastErr)
			}
			// The arrow keys do nothing once the tour is over.
			a.Do("tour:next")
			if a.Tour.Active || a.LastErr != "" {
				t.Error("tour:next outside a tour did something")
			}
		})
	}
}

func TestTourCaptionsPointInsideTheScreen(t *testing.T) {
	a := newTestApp()
	a.Do(CmdTour)
	for _, panels := range []bool{true, false} {
		for _, sz := range [][2]float64{{1280, 720}, {1000, 640}, {1920, 1080}} {
			l := ComputeLayout(sz[0], sz[1], 1, panels, 1, []int{6, 8})
			for k := range a.Tour.Script.Steps {
				a.Tour.Step = k
				box := a.TourBox(l)
				if box.W < 100 || box.X < l.World.X || box.Y < l.World.Y || box.X+box.W > l.World.X+l.World.W+0.5 || box.Y+box.H > l.World.Y+l.World.H+0.5 {
					t.Errorf("%v panels %v step %d: caption %v outside the world view %v", sz, panels, k+1, box, l.World)
				}
				fx, fy, tx, ty := a.TourArrow(l, box)
				if !(Rect{0, 0, sz[0], sz[1]}).Contains(tx, ty) || !(Rect{0, 0, sz[0] + 1, sz[1] + 1}).Contains(fx, fy) {
					t.Errorf("%v step %d: arrow (%.0f,%.0f)→(%.0f,%.0f) leaves the screen", sz, k+1, fx, fy, tx, ty)
				}
				items := a.Items(l)
				if !slices.ContainsFunc(items, func(it Item) bool { return it.Cmd == "tour:next" && box.Contains(it.R.X+1, it.R.Y+1) }) {
					t.Errorf("%v step %d: no next button inside the caption", sz, k+1)
				}
			}
		}
	}
}

func TestParseTourRejectsBadFiles(t *testing.T) {
	if _, err := ParseTour(assets.TourEN); err != nil {
		t.Fatalf("bundled tour: %v", err)
	}
	for _, c := range []struct{ name, json, want string }{
		{"not json", `{`, "tour file"},
		{"no steps", `{"steps": []}`, "no steps"},
		{"no text", `{"steps": [{"title": "a", "target": "world"}]}`, "step 1: needs a title and a text"},
		{"bad target", `{"steps": [{"title": "a", "text": "b", "target": "moon"}]}`, `target "moon"`},
		{"bad command", `{"steps": [{"title": "a", "text": "b", "target": "world", "do": ["quit"]}]}`, `"quit"`},
		{"bad at", `{"steps": [{"title": "a", "text": "b", "target": "world", "do": ["at:x:wipe"]}]}`, "at:STEP:COMMAND"},
		{"unknown field", `{"steps": [{"title": "a", "text": "b", "target": "world", "colour": 1}]}`, "colour"},
	} {
		_, err := ParseTour([]byte(c.json))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one containing %q", c.name, err, c.want)
		}
	}
}

func TestRuleTermsOfEveryRule(t *testing.T) {
	pre, post := 0.5, -0.25
	for _, c := range []struct {
		names []string
		coef  []float64
		want  float64
	}{
		{[]string{"A"}, []float64{2}, 2 * pre * post},
		{[]string{"A", "D"}, []float64{2, 0.1}, 2*pre*post + 0.1},
		{[]string{"A", "D", "eta"}, []float64{2, 0.1, 0.5}, 0.5 * (2*pre*post + 0.1)},
		{[]string{"A", "B", "C"}, []float64{1, 2, 3}, pre*post + 2*pre + 3*post},
		{[]string{"A", "B", "C", "D", "eta"}, []float64{1, 2, 3, 4, 0.1}, 0.1 * (pre*post + 2*pre + 3*post + 4)},
		{[]string{"A", "B", "C", "D_out", "eta"}, []float64{1, 2, 3, 4, 0.1}, 0.1*(pre*post+2*pre+3*post) + 4},
		{[]string{"A", "B", "C", "D_in", "eta", "D_out"}, []float64{1, 2, 3, 4, 0.1, 5}, 0.1*(pre*post+2*pre+3*post+4) + 5},
	} {
		s := RuleTerms(c.names, c.coef, pre, post)
		if math.Abs(s.DW-c.want) > 1e-15 {
			t.Errorf("%v: Δw %g, want %g", c.names, s.DW, c.want)
		}
	}
}

func TestTourAndPinFlags(t *testing.T) {
	dir := t.TempDir()
	good, bad := dir+"/de.json", dir+"/bad.json"
	if err := os.WriteFile(good, assets.TourEN, 0o644); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(bad, []byte(`{"steps": [{"title": "a", "text": "b", "target": "moon"}]}`), 0o644)
	for _, c := range []struct {
		args []string
		want string // "" valid; else a part of the one-line error
	}{
		{[]string{"--tour"}, ""},
		{[]string{"--tour", "--tour-file", good}, ""},
		{[]string{"--tour-file", dir + "/missing.json"}, "--tour-file: open"},
		{[]string{"--tour-file", bad}, `step 1: target "moon"`},
		{[]string{"--pin", "1:5:7"}, ""},
		{[]string{"--pin", "1:5"}, "--pin: pin \"1:5\": want LAYER:I:J"},
	} {
		f, err := ParseFlags(c.args, io.Discard)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%q: error %q, want none", c.args, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n")):
			t.Errorf("%q: error %v (flags %+v), want one line containing %q", c.args, err, f, c.want)
		}
	}
	if f, _ := ParseFlags([]string{"--tour", "--tour-file", good, "--pin", "0:1:2"}, io.Discard); !f.Tour || f.TourFile != good || f.Pin != "0:1:2" {
		t.Errorf("flags %+v", f)
	}
}
