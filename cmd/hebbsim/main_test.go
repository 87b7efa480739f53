package main

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// fakeX listens where an X server with display number num would, in dir:
// enough for checkDisplay, which only connects.
func fakeX(t *testing.T, dir string, num int) {
	t.Helper()
	l, err := net.Listen("unix", filepath.Join(dir, "X"+strconv.Itoa(num)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go acceptAndClose(l)
}

// fakeTCPX listens on 127.0.0.1:6000+N for a free N and returns the
// DISPLAY that points at it.
func fakeTCPX(t *testing.T) string {
	t.Helper()
	for n := 150; n < 250; n++ {
		l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", 6000+n))
		if err != nil {
			continue
		}
		t.Cleanup(func() { l.Close() })
		go acceptAndClose(l)
		return fmt.Sprintf("127.0.0.1:%d.0", n)
	}
	t.Skip("no free TCP port in 6150..6249 for a fake X server")
	return ""
}

func TestCheckDisplay(t *testing.T) {
	dir := t.TempDir()
	fakeX(t, dir, 5)
	tcp := fakeTCPX(t)
	for _, c := range []struct {
		display string
		want    string // "" means a display is there
	}{
		{"", "DISPLAY is not set"},
		{":5", ""},
		{":5.0", ""},
		{"unix:5", ""},
		{tcp, ""},
		{":6", "no X server answers at " + filepath.Join(dir, "X6")},
		{"127.0.0.1:99", "no X server answers at 127.0.0.1:6099"},
		{"nonsense", `want [host]:N`},
		{":x", `want [host]:N`},
	} {
		err := checkDisplay(c.display, dir)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("DISPLAY=%q: have %v, want a display", c.display, err)
		case c.want != "" && err == nil:
			t.Errorf("DISPLAY=%q: have a display, want %q", c.display, c.want)
		case c.want != "" && !strings.Contains(err.Error(), c.want):
			t.Errorf("DISPLAY=%q: have %q, want it to contain %q", c.display, err, c.want)
		}
	}
}

// launcher builds hebbsim into a temporary folder beside a fake
// hebbsim-app (a shell script that prints its arguments).
func launcher(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	bin := filepath.Join(dir, "hebbsim")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	app := "#!/bin/sh\necho \"app ran with: $*\"\n"
	if err := os.WriteFile(filepath.Join(dir, AppName), []byte(app), 0o755); err != nil {
		t.Fatal(err)
	}
	return bin
}

type result struct {
	code           int
	stdout, stderr string
}

func launch(t *testing.T, bin, display string, args ...string) result {
	t.Helper()
	cmd := exec.Command(bin, args...)
	env := []string{}
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "DISPLAY=") {
			env = append(env, kv)
		}
	}
	if display != "" {
		env = append(env, "DISPLAY="+display)
	}
	cmd.Env = env
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err := cmd.Run()
	r := result{stdout: o.String(), stderr: e.String()}
	if ee, ok := err.(*exec.ExitError); ok {
		r.code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return r
}

// oneLine fails unless s is exactly one line with no Go panic in it.
func oneLine(t *testing.T, what, s string) {
	t.Helper()
	if strings.Count(s, "\n") != 1 || !strings.HasSuffix(s, "\n") {
		t.Errorf("%s: want one line, have %q", what, s)
	}
	if strings.Contains(s, "panic") || strings.Contains(s, "goroutine") {
		t.Errorf("%s: a panic: %q", what, s)
	}
}

// TestFlags runs the launcher without a display: every bad value is
// refused with exit 2 and one line naming the flag and the valid range;
// every edge value is accepted and gets as far as the display check.
func TestFlags(t *testing.T) {
	bin := launcher(t)
	for _, c := range []struct {
		args []string
		want string // "" means accepted
	}{
		{[]string{"--speed", "9"}, "hebbsim: --speed 9 is out of range: want an integer in [0, 6]"},
		{[]string{"--speed", "-3"}, "hebbsim: --speed -3 is out of range: want an integer in [0, 6]"},
		{[]string{"--speed", "x"}, `invalid value "x" for flag -speed`},
		{[]string{"--width", "-5"}, "hebbsim: --width -5 is out of range: want an integer in [960, 7680]"},
		{[]string{"--height", "100000"}, "hebbsim: --height 100000 is out of range: want an integer in [600, 4320]"},
		{[]string{"--seed", "0"}, "hebbsim: --seed 0 is out of range: want an integer ≥ 1"},
		{[]string{"--scene", "bogus"}, `hebbsim: --scene "bogus" is not known: want one of quadruped, racer`},
		{[]string{"--fps-test", "10ms"}, "hebbsim: --fps-test 10ms is out of range: want a duration in [1s, 1h0m0s]"},
		{[]string{"--nope"}, "hebbsim: unknown flag -nope"},
		{[]string{"stray"}, `hebbsim: unexpected argument "stray"`},
		{[]string{"--speed", "0"}, ""},
		{[]string{"--speed", "6"}, ""},
		{[]string{"--width", "960", "--height", "600"}, ""},
		{[]string{"--width", "959"}, "hebbsim: --width 959 is out of range"},
		{[]string{"--width", "7680", "--height", "4320"}, ""},
		{[]string{"--seed", "1"}, ""},
		{[]string{"--fps-test", "1s"}, ""},
		{[]string{"--scene", "racer"}, ""},
	} {
		r := launch(t, bin, "", c.args...)
		what := strings.Join(c.args, " ")
		oneLine(t, what, r.stderr)
		if c.want == "" {
			if r.code != 1 || !strings.Contains(r.stderr, "no X display") {
				t.Errorf("%s: want accepted (then exit 1, no display), have exit %d: %q", what, r.code, r.stderr)
			}
			continue
		}
		if r.code != 2 || !strings.Contains(r.stderr, c.want) {
			t.Errorf("%s: have exit %d %q, want exit 2 and %q", what, r.code, r.stderr, c.want)
		}
	}
}

func TestHelpWithoutDisplay(t *testing.T) {
	bin := launcher(t)
	for _, h := range []string{"--help", "-h"} {
		r := launch(t, bin, "", h)
		if r.code != 0 || !strings.Contains(r.stdout, "usage: hebbsim") || !strings.Contains(r.stdout, "--speed") || r.stderr != "" {
			t.Errorf("%s: have exit %d, stdout %q, stderr %q; want exit 0 and the usage", h, r.code, r.stdout, r.stderr)
		}
	}
}

func TestNoDisplay(t *testing.T) {
	bin := launcher(t)
	for _, c := range []struct{ display, want string }{
		{"", "hebbsim: no X display (DISPLAY is not set): run it under xvfb-run, open the web build (make serve), or use the headless tool hebb"},
		{":187", "hebbsim: no X display (DISPLAY=:187, but no X server answers at /tmp/.X11-unix/X187)"},
	} {
		r := launch(t, bin, c.display)
		oneLine(t, "DISPLAY="+c.display, r.stderr)
		if r.code != 1 || !strings.Contains(r.stderr, c.want) || strings.Contains(r.stdout, "app ran") {
			t.Errorf("DISPLAY=%q: have exit %d, stderr %q, stdout %q; want exit 1 and %q", c.display, r.code, r.stderr, r.stdout, c.want)
		}
	}
}

// TestExecsTheAppWhenThereIsADisplay points DISPLAY at a fake X server
// (a TCP listener): the launcher replaces itself with the hebbsim-app
// beside it, passing the flags unchanged.
func TestExecsTheAppWhenThereIsADisplay(t *testing.T) {
	bin := launcher(t)
	r := launch(t, bin, fakeTCPX(t), "--seed", "3", "--speed", "5")
	if r.code != 0 || r.stdout != "app ran with: --seed 3 --speed 5\n" {
		t.Errorf("have exit %d, stdout %q, stderr %q; want the app run with the flags", r.code, r.stdout, r.stderr)
	}
	os.Remove(filepath.Join(filepath.Dir(bin), AppName))
	r = launch(t, bin, fakeTCPX(t))
	oneLine(t, "no app", r.stderr)
	if r.code != 1 || !strings.Contains(r.stderr, "hebbsim-app is not in") || !strings.Contains(r.stderr, "make build") {
		t.Errorf("without hebbsim-app: have exit %d, %q", r.code, r.stderr)
	}
}

// TestLauncherNeverImportsEbitengine: Ebitengine panics in its package
// initialisation without a display, so the launcher must not depend on it
// (nor on package game, which imports it; game/model is display-free).
func TestLauncherNeverImportsEbitengine(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, dep := range strings.Fields(string(out)) {
		if strings.HasPrefix(dep, "github.com/hajimehoshi/ebiten") || strings.HasPrefix(dep, "github.com/ebitengine/") ||
			dep == "github.com/hebbsim/hebbsim/game" {
			t.Errorf("cmd/hebbsim depends on %s: it must start without a display", dep)
		}
	}
}

// TestMakeRunWithoutDisplay: make run, on a machine without a display,
// ends with the launcher's one line, not a panic. (It builds into a
// temporary folder; make's own "Error 1" line follows.)
func TestMakeRunWithoutDisplay(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: make run builds the programs")
	}
	if _, err := exec.LookPath("make"); err != nil {
		t.Skip("make is not installed")
	}
	bin := t.TempDir()
	cmd := exec.Command("make", "-s", "-C", filepath.Join("..", ".."), "run", "BIN="+bin)
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "DISPLAY=") && !strings.HasPrefix(kv, "MAKEFLAGS=") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatalf("make run without a display succeeded:\n%s", out)
	}
	want := "hebbsim: no X display (DISPLAY is not set): run it under xvfb-run, open the web build (make serve), or use the headless tool hebb"
	if !strings.Contains(string(out), want) || strings.Contains(string(out), "panic") || strings.Contains(string(out), "goroutine") {
		t.Errorf("make run without a display said:\n%s\nwant the line %q and no panic", out, want)
	}
}

// acceptAndClose answers every connection to l by closing it: enough for
// the launcher's display probe, which only connects.
func acceptAndClose(l net.Listener) {
	for {
		c, err := l.Accept()
		if err != nil {
			return
		}
		c.Close()
	}
}
