// Command hebbsim starts the desktop simulator: watch networks that start
// from random weights organise themselves, through evolved Hebbian rules,
// into a walking quadruped or a driving car; damage them mid-episode and
// watch every weight re-organise.
//
//	hebbsim [--rules FILE] [--scene quadruped|racer] [--seed N] [--speed N]
//
// hebbsim is a launcher. Ebitengine panics in its package initialisation
// when there is no X display (DESIGN.md §6), before main could say
// anything, so this program never imports it: it checks the flags
// (game/model.ParseFlags, internal/flagcheck), prints --help, looks for an
// X display, and only then replaces itself with hebbsim-app, the window,
// which sits beside it (make build builds both). Without a display it says
// so in one line and exits 1.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"

	"github.com/hebbsim/hebbsim/game/model"
)

// AppName is the program that opens the window.
const AppName = "hebbsim-app"

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run is main without os.Exit: it returns only when it does not exec.
func run(args []string, stdout, stderr io.Writer) int {
	if _, err := model.ParseFlags(args, stdout); err != nil {
		if errors.Is(err, model.ErrHelp) {
			return 0
		}
		fmt.Fprintln(stderr, "hebbsim:", err)
		return 2
	}
	if needsX() {
		if err := checkDisplay(os.Getenv("DISPLAY"), x11Dir); err != nil {
			fmt.Fprintf(stderr, "hebbsim: no X display (%v): run it under xvfb-run, open the web build (make serve), or use the headless tool hebb\n", err)
			return 1
		}
	}
	app, err := findApp()
	if err != nil {
		fmt.Fprintln(stderr, "hebbsim:", err)
		return 1
	}
	if err := execApp(app, args); err != nil {
		fmt.Fprintf(stderr, "hebbsim: cannot start %s: %v\n", app, err)
		return 1
	}
	return 0
}

// needsX reports whether the window needs an X server here: on Linux and
// the BSDs Ebitengine (GLFW) opens its window through X11 (Wayland
// sessions provide one through XWayland and set DISPLAY).
func needsX() bool {
	switch runtime.GOOS {
	case "linux", "freebsd", "openbsd", "netbsd", "dragonfly":
		return true
	}
	return false
}

// findApp returns hebbsim-app beside this executable, else on PATH.
func findApp() (string, error) {
	name := AppName
	if runtime.GOOS == "windows" {
		name += ".exe"
	}
	self, err := os.Executable()
	if err == nil {
		if s, err := filepath.EvalSymlinks(self); err == nil {
			self = s
		}
		p := filepath.Join(filepath.Dir(self), name)
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			return p, nil
		}
	}
	if p, err := lookPath(name); err == nil {
		return p, nil
	}
	where := "beside hebbsim"
	if self != "" {
		where = "in " + filepath.Dir(self)
	}
	return "", fmt.Errorf("%s is not %s nor on PATH: build both with make build (go build -o bin/ ./cmd/...)", name, where)
}
