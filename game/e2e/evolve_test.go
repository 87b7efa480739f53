package e2e

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hebbsim/hebbsim/brain"
)

// evoState is the Evolve mode's part of the state file.
type evoState struct {
	EvolveOn bool              `json:"evolve_on"`
	EvoState string            `json:"evo_state"`
	EvoGen   int               `json:"evo_gen"`
	EvoMsg   string            `json:"evo_msg"`
	EvoSaved string            `json:"evo_saved"`
	EvoCmd   string            `json:"evo_command"`
	DemoGen  int               `json:"demo_gen"`
	Buttons  map[string][2]int `json:"buttons"`
	Message  string            `json:"message"`
}

func (a *app) evo() (evoState, bool) {
	b, err := os.ReadFile(a.state)
	if err != nil {
		return evoState{}, false
	}
	var s evoState
	return s, json.Unmarshal(b, &s) == nil
}

func (a *app) waitEvo(what string, d time.Duration, ok func(evoState) bool) evoState {
	a.t.Helper()
	var last evoState
	for deadline := time.Now().Add(d); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if s, good := a.evo(); good {
			last = s
			if ok(s) {
				return s
			}
		}
	}
	a.t.Fatalf("timed out waiting for %s; last: %+v", what, last)
	return last
}

// clickEvo clicks the button that runs cmd, as a person would (held 80 ms),
// and waits up to d for ok; a click the app did not see (ok still false
// after 10 s, the button still there) is repeated once.
func (a *app) clickEvo(cmd, what string, d time.Duration, ok func(evoState) bool) evoState {
	a.t.Helper()
	for try := 0; ; try++ {
		s := a.waitEvo("button "+cmd, 10*time.Second, func(s evoState) bool { _, on := s.Buttons[cmd]; return on })
		p := s.Buttons[cmd]
		exec.Command("xdotool", "mousemove", "--window", a.wid, strconv.Itoa(p[0]), strconv.Itoa(p[1])).Run()
		time.Sleep(50 * time.Millisecond)
		exec.Command("xdotool", "mousedown", "1").Run()
		time.Sleep(80 * time.Millisecond)
		exec.Command("xdotool", "mouseup", "1").Run()
		for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
			if s, good := a.evo(); good && ok(s) {
				return s
			}
		}
		if s, good := a.evo(); try > 0 || !good || s.Buttons[cmd] != p {
			return a.waitEvo(what, d, ok)
		}
	}
}

// TestEvolveInTheApp starts a tiny evolution in the app (E, the panel's
// buttons), waits for two generations, saves the centre and checks the
// rule file against `hebb evolve` run with the command the file records:
// the same rules, bit for bit.
func TestEvolveInTheApp(t *testing.T) {
	needDisplay(t)
	bin := build(t)
	_, file, _, _ := runtime.Caller(0)
	root := filepath.Join(filepath.Dir(file), "..", "..")
	hebb := filepath.Join(filepath.Dir(bin), "hebb")
	cmd := exec.Command("go", "build", "-o", hebb, "./cmd/hebb")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build hebb: %v\n%s", err, out)
	}
	a := start(t, bin)
	a.key("e", "the Evolve mode", func(s state) bool { e, _ := a.evo(); return e.EvolveOn })

	for _, pop := range []string{"32", "16", "8"} {
		a.clickEvo("evolve:set:pop:down", "pop "+pop, 5*time.Second, func(s evoState) bool { return strings.Contains(s.EvoCmd, "--pop "+pop) })
	}
	a.clickEvo("evolve:start", "the run starts", 10*time.Second, func(s evoState) bool { return s.EvoState == "running" })
	s := a.waitEvo("two generations", 3*time.Minute, func(s evoState) bool { return s.EvoGen >= 2 })
	if s.DemoGen < 0 {
		t.Errorf("the demo does not run the centre: demo_gen %d", s.DemoGen)
	}
	s = a.clickEvo("evolve:save", "the centre saved", 10*time.Second, func(s evoState) bool { return s.EvoSaved != "" })
	// Stop waits for the generation under way.
	a.clickEvo("evolve:stop", "the run stopped", 3*time.Minute, func(s evoState) bool { return s.EvoState == "stopped" })

	app, err := brain.Load(s.EvoSaved)
	if err != nil {
		t.Fatal(err)
	}
	p := app.Meta.Provenance
	if p.Generations < 2 || !strings.Contains(p.Command, "--pop 8") {
		t.Fatalf("saved after generation %d with command %q", p.Generations, p.Command)
	}
	out := filepath.Join(a.dir, "cli")
	args := append(strings.Fields(p.Command)[1:], "--out", out, "--quiet")
	if b, err := exec.Command(hebb, args...).CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", p.Command, err, b)
	}
	cli, err := brain.Load(filepath.Join(out, "best.npz"))
	if err != nil {
		t.Fatal(err)
	}
	// The same file but for the date and --out.
	norm := func(rf *brain.RuleFile) []byte {
		c := *rf
		c.Meta.Provenance.Date = ""
		c.Meta.Provenance.Command = strings.Replace(c.Meta.Provenance.Command, " --out "+out, "", 1)
		var buf bytes.Buffer
		if err := c.Encode(&buf); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	if !bytes.Equal(norm(app), norm(cli)) {
		t.Errorf("the app's %s differs from `%s`'s best.npz\napp %+v\ncli %+v", filepath.Base(s.EvoSaved), p.Command, app.Meta.Provenance, cli.Meta.Provenance)
	}
}
