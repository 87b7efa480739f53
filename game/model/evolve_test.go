package model

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hebbsim/hebbsim/brain"
	"github.com/hebbsim/hebbsim/sim"
)

// tinyEvolve are settings small enough for a test: pop 4, 60-step
// episodes, two generations.
func tinyEvolve() EvolveSettings {
	s := DefaultEvolveSettings()
	s.Run.Pop, s.Run.MaxSteps, s.Run.Seed = 4, 60, 5
	s.Gens, s.Workers = 2, 2
	return s
}

// sameRules reports whether two rule files are the same but for the date
// and the command (`hebb evolve` records its --out, the app does not).
func sameRules(t *testing.T, a, b *brain.RuleFile) bool {
	t.Helper()
	enc := func(rf *brain.RuleFile) []byte {
		c := *rf
		c.Meta.Provenance.Date = ""
		c.Meta.Provenance.Command = outFlag(c.Meta.Provenance.Command)
		var buf bytes.Buffer
		if err := c.Encode(&buf); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	return bytes.Equal(enc(a), enc(b))
}

// outFlag drops --out DIR from a command.
func outFlag(cmd string) string {
	f := strings.Fields(cmd)
	var out []string
	for i := 0; i < len(f); i++ {
		if f[i] == "--out" {
			i++
			continue
		}
		out = append(out, f[i])
	}
	return strings.Join(out, " ")
}

func runEvolve(t *testing.T, s EvolveSettings, dir string) *Evolve {
	t.Helper()
	e := NewEvolve(s, dir)
	if err := e.Start(); err != nil {
		t.Fatal(err)
	}
	e.Wait()
	if st := e.Snapshot(); st.State != EvoStopped || st.Gen != s.Gens {
		t.Fatalf("run ended %v at generation %d (msg %q), want stopped at %d", st.State, st.Gen, st.Msg, s.Gens)
	}
	return e
}

// The app's run and `hebb evolve` with the same settings and seed write
// the same rule file, bit for bit (date and --out aside).
func TestEvolveMatchesHebbEvolve(t *testing.T) {
	if testing.Short() {
		t.Skip("builds hebb")
	}
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go tool to build hebb")
	}
	tmp := t.TempDir()
	hebb := filepath.Join(tmp, "hebb")
	if out, err := exec.Command(gobin, "build", "-o", hebb, "github.com/hebbsim/hebbsim/cmd/hebb").CombinedOutput(); err != nil {
		t.Fatalf("go build hebb: %v\n%s", err, out)
	}
	s := tinyEvolve()
	e := runEvolve(t, s, filepath.Join(tmp, "app"))
	path, err := e.SaveCentre(filepath.Join(tmp, "saved"))
	if err != nil {
		t.Fatal(err)
	}
	app, err := brain.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	// The command the app records is the one to run.
	cmd := app.Meta.Provenance.Command
	if !strings.HasPrefix(cmd, "hebb evolve ") {
		t.Fatalf("provenance command %q", cmd)
	}
	args := append(strings.Fields(cmd)[1:], "--out", filepath.Join(tmp, "cli"), "--quiet")
	if out, err := exec.Command(hebb, args...).CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", cmd, err, out)
	}
	cli, err := brain.Load(filepath.Join(tmp, "cli", "best.npz"))
	if err != nil {
		t.Fatal(err)
	}
	if !sameRules(t, app, cli) {
		t.Errorf("the app's rule file differs from `%s`'s best.npz\napp %+v\ncli %+v", cmd, app.Meta.Provenance, cli.Meta.Provenance)
	}
	if app.Meta.Provenance.Generations != s.Gens {
		t.Errorf("saved after generation %d, want %d", app.Meta.Provenance.Generations, s.Gens)
	}
}

// A run interrupted (the app closed) and resumed from its checkpoint ends
// identical to one never interrupted.
func TestEvolveResumeIsIdentical(t *testing.T) {
	s := tinyEvolve()
	s.Gens = 3
	tmp := t.TempDir()
	whole := runEvolve(t, s, filepath.Join(tmp, "whole"))

	dir := filepath.Join(tmp, "cut")
	e := NewEvolve(s, dir)
	if err := e.Start(); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(time.Minute); e.Snapshot().Gen < 1 && time.Now().Before(deadline); {
		time.Sleep(5 * time.Millisecond)
	}
	e.Stop()
	cut := e.Snapshot().Gen
	if cut >= s.Gens {
		t.Skipf("stopped only after generation %d of %d: nothing left to resume", cut, s.Gens)
	}
	// "Closing the app": a new session on the same folder offers to resume.
	r := NewEvolve(DefaultEvolveSettings(), dir)
	r.Set.Workers = 1 // the number of workers never changes the results
	gen, gens, ok := r.Resumable()
	if !ok || gen != cut || gens != s.Gens {
		t.Fatalf("Resumable() = %d, %d, %v; want %d, %d, true", gen, gens, ok, cut, s.Gens)
	}
	if err := r.Resume(); err != nil {
		t.Fatal(err)
	}
	r.Wait()
	a, _ := whole.Centre()
	b, _ := r.Centre()
	if b == nil || !sameRules(t, a, b) {
		t.Errorf("resumed after generation %d: the centre differs from the uninterrupted run's", cut)
	}
	if _, _, ok := r.Resumable(); ok {
		t.Error("a finished run is still offered for resume")
	}
}

// Bad settings are a message in the panel; nothing starts, nothing panics.
func TestEvolveBadSettingsAreShown(t *testing.T) {
	t.Setenv("HEBBSIM_CONFIG_DIR", t.TempDir())
	for _, c := range []struct{ cmd, want string }{
		{"evolve:set:pop:7", "--pop 7 must be even"},
		{"evolve:set:sigma:0", "--sigma 0 must be greater than 0"},
		{"evolve:set:sigma:-0.5", "--sigma -0.5"},
		{"evolve:set:rule:XYZ", `--rule "XYZ" is not known`},
		{"evolve:set:gens:0", "generations 0 must be at least 1"},
	} {
		a := newEvoApp(t)
		a.Do("evolve:on")
		a.Do(c.cmd)
		if msg := a.Evo.Snapshot().Msg; !strings.Contains(msg, c.want) {
			t.Errorf("%s: panel says %q, want %q", c.cmd, msg, c.want)
		}
		a.Do("evolve:start")
		if msg := a.Evo.Snapshot().Msg; !strings.Contains(msg, c.want) {
			t.Errorf("%s, start: panel says %q, want %q", c.cmd, msg, c.want)
		}
		if st := a.Evo.State(); st != EvoIdle {
			t.Errorf("%s: a run started (%v)", c.cmd, st)
		}
		a.Items(ComputeLayout(1280, 720, 1, true, 1, []int{24, 128, 64}))
	}
	// A value that does not parse changes nothing and says why.
	a := newEvoApp(t)
	a.Do("evolve:set:pop:many")
	if msg := a.Evo.Snapshot().Msg; !strings.Contains(msg, `population "many": want a whole number`) || a.Evo.Set.Run.Pop != 64 {
		t.Errorf("pop many: panel says %q, pop %d", msg, a.Evo.Set.Run.Pop)
	}
}

// The demo drives the body with the newest centre, each new episode from
// fresh random weights, and the heatmap shows the centre's coefficients.
func TestEvolveDemoTakesTheNewestCentre(t *testing.T) {
	t.Setenv("HEBBSIM_CONFIG_DIR", t.TempDir())
	a := newEvoApp(t)
	a.Evo.Set = tinyEvolve()
	a.Do("evolve:start")
	if !a.EvoOn || a.Current() != a.evoScene {
		t.Fatal("start did not show the Evolve mode's demo")
	}
	a.Evo.Wait()
	if a.DemoGen() != 0 {
		t.Errorf("demo runs generation %d before its episode ended, want 0", a.DemoGen())
	}
	sc := a.Current()
	for i := 0; i < 5000 && !sc.Done(); i++ {
		sc.Step(100)
	}
	a.nextEpisode(sc)
	if a.DemoGen() != a.Evo.Set.Gens {
		t.Errorf("the next episode runs generation %d, want the newest, %d", a.DemoGen(), a.Evo.Set.Gens)
	}
	a.View = ViewCoef
	if _, _, key := a.HeatLayers(); key != "centre/2" {
		t.Errorf("coefficient heatmap key %q, want the centre of generation 2", key)
	}
	p := filepath.Join(a.Evo.Dir, "checkpoint")
	if _, err := os.Stat(p); err != nil {
		t.Errorf("no checkpoint in the data folder: %v", err)
	}
	a.Do("evolve:use")
	if a.EvoOn || a.Current().Rules.Path == "" || !strings.Contains(a.Current().Rules.Path, "gen2") {
		t.Errorf("use these rules: evolve %v, scene rules %q", a.EvoOn, a.Current().Rules.Path)
	}
}

// newEvoApp is an app on the real bodies (the trainer runs real ones).
func newEvoApp(t *testing.T) *App {
	t.Helper()
	a, err := NewApp(Specs(), DefaultSettings(), FileLoader{})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// Every body of the panel evolves and drives its demo: the racer from rays
// and from pixels, with its perturbation preset.
func TestEvolveEveryBody(t *testing.T) {
	t.Setenv("HEBBSIM_CONFIG_DIR", t.TempDir())
	for _, b := range EvoBodies {
		a := newEvoApp(t)
		a.Do("evolve:set:body:" + b.Label)
		if b.Env == "racer" {
			a.Do("evolve:set:preset:" + sim.PresetPerturb)
		}
		a.Evo.Set.Run.Pop, a.Evo.Set.Run.MaxSteps, a.Evo.Set.Gens = 2, 30, 1
		a.Do("evolve:start")
		if msg := a.Evo.Snapshot().Msg; msg != "" || !a.EvoOn {
			t.Fatalf("%s: %q", b.Label, msg)
		}
		a.Evo.Wait()
		if s := a.Evo.Snapshot(); s.State != EvoStopped || s.Gen != 1 {
			t.Errorf("%s: ended %v at generation %d (%s)", b.Label, s.State, s.Gen, s.Msg)
		}
		sc := a.Current()
		if sc.Spec.Name != b.Env {
			t.Errorf("%s: the demo shows %s", b.Label, sc.Spec.Name)
		}
		for i := 0; i < 2000 && !sc.Done(); i++ {
			sc.Step(10)
		}
		a.nextEpisode(sc)
		if a.DemoGen() != 1 {
			t.Errorf("%s: demo runs generation %d, want 1", b.Label, a.DemoGen())
		}
	}
}

// The mirror button ties the quadruped's genome (the command says so and
// the run's genome is a quarter as long); switching to the racer, which
// has no symmetry, drops it.
func TestEvolveMirrorToggle(t *testing.T) {
	s := tinyEvolve()
	if err := s.Edit("mirror", "toggle"); err != nil {
		t.Fatal(err)
	}
	if s.Run.Mirror != "back,front" || !strings.Contains(s.Run.Command(s.Gens), "--mirror back,front") {
		t.Fatalf("mirror %q, command %q: want both mirrors", s.Run.Mirror, s.Run.Command(s.Gens))
	}
	cfg, err := s.Run.TrainConfig()
	if err != nil {
		t.Fatal(err)
	}
	tr, err := sim.NewTrainer(cfg, 1)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(tr.Centre()); n != 65280/4 {
		t.Errorf("mirrored genome has %d values, want %d", n, 65280/4)
	}
	if err := s.Edit("body", "next"); err != nil {
		t.Fatal(err)
	}
	if s.Run.Env != "racer" || s.Run.Mirror != "" {
		t.Errorf("after switching to %s the mirror is %q, want none", s.Run.Env, s.Run.Mirror)
	}
	if err := s.Run.Check(); err != nil {
		t.Errorf("racer settings after the mirror: %v", err)
	}
	s.Edit("body", "next")
	s.Edit("mirror", "toggle")
	s.Edit("mirror", "toggle")
	if s.Run.Mirror != "" {
		t.Errorf("toggled twice: mirror %q, want none", s.Run.Mirror)
	}
}
