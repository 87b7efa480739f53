package model

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/hebbsim/hebbsim/physics"
)

func TestKeyBindingsAreUniqueAndHelped(t *testing.T) {
	m := KeyCommands() // panics on a duplicate key
	help := strings.Join(HelpLines(), "\n")
	for _, want := range []struct{ key, cmd string }{
		{"Space", CmdPause}, {"BracketLeft", "scene:prev"}, {"BracketRight", "scene:next"},
		{"Digit1", "damage:1"}, {"Digit4", "damage:4"}, {"F1", CmdHelp}, {"F12", CmdShot}, {"Home", CmdHome},
	} {
		if have := m[want.key]; have != want.cmd {
			t.Errorf("key %s: have %q, want %q", want.key, have, want.cmd)
		}
	}
	for _, b := range Bindings {
		if !strings.Contains(help, b.Help) {
			t.Errorf("help lacks %q (key %s)", b.Help, b.Key)
		}
	}
}

func TestPacerRunsTheRightNumberOfSteps(t *testing.T) {
	for _, c := range []struct {
		speed float64
		want  int
	}{{0.125, 6}, {0.5, 25}, {1, 50}, {2, 100}, {8, 400}} {
		var p Pacer
		n := 0
		for i := 0; i < 60; i++ { // one second at 60 ticks/s
			n += p.Steps(c.speed, 50, 1.0/60)
		}
		if n != c.want {
			t.Errorf("speed %g: have %d steps in 1 s, want %d", c.speed, n, c.want)
		}
	}
}

func TestSpeedLadder(t *testing.T) {
	a := newTestApp()
	var have []string
	for i := 0; i < 6; i++ {
		a.Do(CmdFaster)
		have = append(have, a.SpeedLabel())
	}
	a.Do(CmdSlower)
	have = append(have, a.SpeedLabel())
	for i := 0; i < 10; i++ {
		a.Do(CmdSlower)
	}
	have = append(have, a.SpeedLabel())
	want := "2× 4× 8× max max max 8× ⅛×"
	if strings.Join(have, " ") != want {
		t.Errorf("ladder: have %q, want %q", strings.Join(have, " "), want)
	}
}

func TestPacerKeepsSpeedWhenTicksAreLate(t *testing.T) {
	var p Pacer
	n := 0
	for i := 0; i < 40; i++ { // one second at only 40 ticks/s
		n += p.Steps(8, 50, 1.0/40)
	}
	if n != 400 {
		t.Errorf("8× at 40 ticks/s: have %d steps in 1 s, want 400", n)
	}
	if n := p.Steps(1, 50, 10); n != 12 { // capped at MaxTickDt = 0.25 s: 12.5 steps, the half carried
		t.Errorf("after a 10 s stall: have %d steps, want 12", n)
	}
	p.Reset()
	n = 0
	for i := 0; i < 4; i++ { // a slow browser: one second at 4 ticks/s
		n += p.Steps(1, 50, 0.25)
	}
	if n != 50 {
		t.Errorf("1× at 4 ticks/s: have %d steps in 1 s, want 50", n)
	}
}

func TestTickStepsAtSpeedAndPauses(t *testing.T) {
	a := newTestApp()
	for i := 0; i < 60; i++ {
		a.Tick(60)
	}
	if have := a.Current().Main().Ep.Index(); have != 50 {
		t.Errorf("1×: have %d steps after 1 s, want 50", have)
	}
	a.Do(CmdPause)
	a.Tick(60)
	a.Do(CmdStep)
	if have := a.Current().Main().Ep.Index(); have != 51 || !a.Paused {
		t.Errorf("pause + step: have step %d paused %v, want 51 true", have, a.Paused)
	}
}

func TestMaxModeSpendsItsBudget(t *testing.T) {
	a := newTestApp()
	now := time.Unix(0, 0)
	a.Now = func() time.Time { now = now.Add(time.Millisecond); return now }
	a.MaxBudget = 5 * time.Millisecond
	a.Do(CmdMax)
	n := a.Tick(60)
	// The clock advances 1 ms per reading: start, then 4 readings within
	// budget, each followed by 4 steps.
	if n != 16 {
		t.Errorf("max: have %d steps in a 5 ms budget, want 16", n)
	}
}

func TestDamageKeysToggleLegsWithTheChosenKind(t *testing.T) {
	a := newTestApp()
	a.Tick(60) // the first tick runs 0 steps at 50/60 per tick
	a.Tick(60)
	env := a.Current().Main().Env.(*fakeEnv)
	steps := []struct {
		cmd  string
		want map[string]string
	}{
		{"damage:1", map[string]string{"FL": "shorten"}},
		{"kind:amputate", map[string]string{"FL": "shorten"}},
		{"damage:2", map[string]string{"FL": "shorten", "FR": "amputate"}},
		{"damage:FL", map[string]string{"FL": "amputate", "FR": "amputate"}}, // other kind: replace
		{"damage:1", map[string]string{"FR": "amputate"}},                    // same kind: repair
		{"kind:bogus", map[string]string{"FR": "amputate"}},
		{"damage:9", map[string]string{"FR": "amputate"}},
		{CmdRepair, map[string]string{}},
	}
	for _, s := range steps {
		a.Do(s.cmd)
		a.Do(CmdStep) // events apply before the next step
		if have := env.DamageState(); !sameMap(have, s.want) {
			t.Errorf("after %s: have %v, want %v", s.cmd, have, s.want)
		}
	}
	if a.LastErr == "" || !strings.Contains(a.LastErr, "no damage slot") {
		t.Errorf("bad slot: have error %q, want 'no damage slot'", a.LastErr)
	}
	marks := a.Current().Marks
	if len(marks) != 5 || marks[0].Step != 1 || marks[0].Label != "FL shorten" || marks[3].Kind != MarkRepair {
		t.Errorf("marks: have %+v", marks)
	}
}

func TestRacerPerturbationsUseOneTarget(t *testing.T) {
	a := newTestApp()
	a.Do("scene:next")
	if a.Current().Spec.Name != "racer" {
		t.Fatalf("scene: have %s, want racer", a.Current().Spec.Name)
	}
	env := a.Current().Main().Env.(*fakeEnv)
	for _, s := range []struct {
		cmd  string
		want map[string]string
	}{
		{"damage:1", map[string]string{"car": "oil"}},
		{"damage:3", map[string]string{"car": "steering"}},
		{"damage:steering", map[string]string{}},
	} {
		a.Do(s.cmd)
		a.Do(CmdStep)
		if have := env.DamageState(); !sameMap(have, s.want) {
			t.Errorf("after %s: have %v, want %v", s.cmd, have, s.want)
		}
	}
}

func TestDamageThatEndsByItselfCanBeAppliedAgain(t *testing.T) {
	a := newTestApp()
	a.Do("scene:racer")
	env := a.Current().Main().Env.(*fakeEnv)
	a.Do("damage:oil")
	a.Do(CmdStep)
	env.Repair("car") // the oil patch is behind the car
	a.Do(CmdStep)
	a.Do("damage:oil")
	a.Do(CmdStep)
	if have := env.DamageState(); have["car"] != "oil" {
		t.Errorf("oil again after it ended: have %v, want car: oil", have)
	}
}

func TestScenesSwitchAndKeepTheirState(t *testing.T) {
	a := newTestApp()
	for i := 0; i < 3; i++ {
		a.Do(CmdStep)
	}
	var have []string
	for _, c := range []string{"scene:next", "scene:next", "scene:prev", "scene:quadruped", "scene:nowhere"} {
		a.Do(c)
		have = append(have, a.Current().Spec.Name)
	}
	if want := "racer quadruped racer quadruped quadruped"; strings.Join(have, " ") != want {
		t.Errorf("scenes: have %v, want %s", have, want)
	}
	if s := a.Current().Main().Ep.Index(); s != 3 {
		t.Errorf("quadruped lost its episode: step %d, want 3", s)
	}
	if !strings.Contains(a.LastErr, "nowhere") {
		t.Errorf("unknown scene: have error %q", a.LastErr)
	}
}

func TestRestartIsDeterministicAndWipeChangesWeights(t *testing.T) {
	a := newTestApp()
	run := func() float64 {
		for i := 0; i < 40; i++ {
			a.Do(CmdStep)
		}
		return a.Current().Main().Ep.Return()
	}
	r1 := run()
	a.Do(CmdRestart)
	r2 := run()
	if r1 != r2 {
		t.Errorf("restart with the same seed: returns %v then %v", r1, r2)
	}
	a.Do(CmdNewSeed)
	if a.Current().Seed != 2 {
		t.Errorf("new seed: have %d, want 2", a.Current().Seed)
	}
	w0 := append([]float32(nil), a.Current().Main().Brain.Layers()[0].W...)
	a.Do(CmdWipe)
	w1 := a.Current().Main().Brain.Layers()[0].W
	same := 0
	for i := range w0 {
		if w0[i] == w1[i] {
			same++
		}
	}
	if same > len(w0)/10 {
		t.Errorf("brain wipe left %d of %d weights unchanged", same, len(w0))
	}
	if m := a.Current().Marks; len(m) != 1 || m[0].Kind != MarkWipe {
		t.Errorf("wipe mark: have %+v", m)
	}
}

func TestCompareAppliesTheSameDamageAtTheSameStep(t *testing.T) {
	a := newTestApp()
	a.Do(CmdCompare)
	sc := a.Current()
	if len(sc.Lanes) != 2 || sc.Lanes[1].Brain.Plastic() {
		t.Fatalf("compare: have %d lanes, second plastic=%v; want 2, false", len(sc.Lanes), sc.Lanes[1].Brain.Plastic())
	}
	for i := 0; i < 10; i++ {
		a.Do(CmdStep)
	}
	a.Do("damage:3")
	a.Do(CmdStep)
	for _, l := range sc.Lanes {
		if have := l.Env.(*fakeEnv).DamageState(); have["BL"] != "shorten" || l.Ep.Index() != 11 {
			t.Errorf("%s: damage %v at step %d, want BL shorten at 11", l.Label, have, l.Ep.Index())
		}
	}
	// Same seed, same start: the first step's observation is the same.
	o0, o1 := sc.Lanes[0].Ep.Obs(), sc.Lanes[1].Ep.Obs()
	if len(o0) != len(o1) {
		t.Fatal("lanes differ in observation size")
	}
	// Plasticity makes them differ after a while.
	if sc.Lanes[0].Ep.Return() == sc.Lanes[1].Ep.Return() {
		t.Errorf("Hebbian and frozen lanes have the same return %v", sc.Lanes[0].Ep.Return())
	}
}

func TestCompareUsesTheEvolvedBaselineOnlyWithTheSameObservation(t *testing.T) {
	a := newTestApp()
	a.Do("scene:racer")
	sc := a.Current()
	static, err := RandomRules("racer", smallArch(6, 3), 9)
	if err != nil {
		t.Fatal(err)
	}
	static.Rule = "static"
	sc.Static = static
	for _, c := range []struct {
		obs, want string
	}{{"", "static (evolved)"}, {"rays", "static (random, frozen)"}} {
		n := 6
		if c.obs == "rays" {
			n = 4
		}
		r, err := RandomRules("racer", smallArch(n, 3), 2)
		if err != nil {
			t.Fatal(err)
		}
		r.Obs = c.obs
		if err := sc.SetRules(r); err != nil {
			t.Fatal(err)
		}
		if err := sc.SetCompare(true); err != nil {
			t.Fatal(err)
		}
		if have := sc.Lanes[1].Label; have != c.want {
			t.Errorf("Hebbian on %q observations: baseline %q, want %q", c.obs, have, c.want)
		}
		sc.SetCompare(false)
	}
}

func TestBadRuleFileShowsErrorAndKeepsRunning(t *testing.T) {
	a := newTestApp()
	a.Do(CmdStep)
	before := a.Current().Rules
	a.Do("rules:/nonexistent.npz")
	if !strings.Contains(a.LastErr, "nonexistent") || !a.Msg.Err {
		t.Errorf("have error %q, want one naming the file", a.LastErr)
	}
	if a.Current().Rules != before || a.Current().Main().Ep.Index() != 1 {
		t.Error("a bad file changed the scene")
	}
	a.Do(CmdPause)
	for i := 0; i < 12; i++ {
		a.Tick(60)
	}
	if a.Current().Main().Ep.Index() <= 1 {
		t.Error("the simulation stopped after a bad file")
	}
	a.Do("rules:wrong-size")
	if !strings.Contains(a.LastErr, "observations") {
		t.Errorf("wrong-size rules: have error %q", a.LastErr)
	}
}

func TestGoodRuleFileSwitchesSceneAndIsRemembered(t *testing.T) {
	a := newTestApp()
	a.Do("rules:good-racer")
	if a.Current().Spec.Name != "racer" || a.Current().Rules.Name != "good-racer" {
		t.Errorf("have scene %s rules %s, want racer good-racer", a.Current().Spec.Name, a.Current().Rules.Name)
	}
	a.Do("rules:bundled:quad.npz")
	if a.Current().Spec.Name != "quadruped" {
		t.Errorf("bundled: have scene %s", a.Current().Spec.Name)
	}
	ch := a.RuleChoices()
	if ch[0] != "bundled:quad.npz" || !strings.HasSuffix(ch[1], "good-racer") || ch[len(ch)-1] != "default" {
		t.Errorf("choices: have %v", ch)
	}
}

func TestPhysicsPanicEndsTheEpisodeNotTheApp(t *testing.T) {
	specs := testSpecs(func() *fakeEnv { e := newQuad(); e.panicAt = 5; return e }, newCar)
	a, err := NewApp(specs, DefaultSettings(), nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 10; i++ {
		a.Do(CmdStep)
	}
	l := a.Current().Main()
	if !strings.Contains(l.Err, "assertion") || l.Ep.Index() != 5 || !a.Current().Done() {
		t.Errorf("have err %q at step %d", l.Err, l.Ep.Index())
	}
	a.Paused = false
	for i := 0; i < TicksToRestart; i++ {
		a.Tick(60)
	}
	if a.Current().Seed != 2 || a.Current().Main().Err != "" {
		t.Errorf("auto-restart: have seed %d err %q, want 2 and none", a.Current().Seed, a.Current().Main().Err)
	}
}

func TestLegClickResolvesTarget(t *testing.T) {
	a := newTestApp()
	sc := a.Current()
	l := sc.Main()
	l.Cam.View = Rect{0, 0, 800, 400}
	l.Cam.Center = physics.Vec2{}
	x, y := l.Cam.ToScreen(physics.Vec2{X: 1, Y: 0}) // BL sits at x = 1
	if have := sc.TargetAt(l, l.Cam.ToWorld(x, y)); have != "BL" {
		t.Errorf("click at BL: have %q", have)
	}
	if have := sc.TargetAt(l, l.Cam.ToWorld(x, y+100)); have != "" {
		t.Errorf("click in the air: have %q", have)
	}
	l.Cam.Zoom = 50
	pts := sc.TargetPoints(l, 2)
	if len(pts) != 4 {
		t.Fatalf("target points: have %v, want all four legs", pts)
	}
	for name, p := range pts {
		if have := sc.TargetAt(l, l.Cam.ToWorld(float64(p[0]), float64(p[1]))); have != name {
			t.Errorf("target point of %s at %v hits %q", name, p, have)
		}
	}
}

func TestStateDump(t *testing.T) {
	a := newTestApp()
	a.Do("damage:1")
	a.Do(CmdStep)
	a.Do(CmdFaster)
	st := a.State()
	if st.Scene != "quadruped" || st.Damage["FL"] != "shorten" || st.Speed != "2×" || !st.Paused || st.Step != 1 || st.Evolved {
		t.Errorf("state: have %+v", st)
	}
	if !strings.Contains(string(st.JSON()), `"FL": "shorten"`) {
		t.Errorf("json: %s", st.JSON())
	}
}

func TestHistoryPlotsFollowTheSteps(t *testing.T) {
	a := newTestApp()
	for i := 0; i < 30; i++ {
		a.Do(CmdStep)
	}
	h := a.Current().Main().Hist
	if h.Len() != 30 || len(h.Series) != 2+2+3 {
		t.Fatalf("history: have %d samples of %d series, want 30 of 7", h.Len(), len(h.Series))
	}
	if ret := h.Series[0][29]; math.Abs(ret-a.Current().Main().Ep.Return()) > 1e-12 {
		t.Errorf("return series: have %v, want %v", ret, a.Current().Main().Ep.Return())
	}
	if dw := h.Series[2][29]; !(dw > 0) {
		t.Errorf("mean |Δw| of layer 0: have %v, want > 0", dw)
	}
}

func sameMap(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}
