package e2e

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// TestSettingsSurviveSignalsAndResize changes the scene and the speed,
// resizes the window, and ends the app with SIGTERM or SIGINT (Ctrl+C in
// a terminal) instead of closing the window: the settings, window size
// included, are saved, and the next run opens at that size.
func TestSettingsSurviveSignalsAndResize(t *testing.T) {
	needDisplay(t)
	bin := build(t)
	for _, c := range []struct {
		name string
		sig  os.Signal
		w, h int
	}{{"SIGTERM", syscall.SIGTERM, 1100, 700}, {"SIGINT", os.Interrupt, 1024, 640}} {
		t.Run(c.name, func(t *testing.T) {
			a := start(t, bin, "--scene", "quadruped")
			a.key("bracketright", "racer", func(s state) bool { return s.Scene == "racer" })
			a.key("minus", "½×", func(s state) bool { return s.SpeedIndex == 2 })
			if out, err := exec.Command("xdotool", "windowsize", a.wid, itoa(c.w), itoa(c.h)).CombinedOutput(); err != nil {
				t.Fatalf("xdotool windowsize: %v %s", err, out)
			}
			a.waitFor("the new size", 10*time.Second, func(s state) bool { return s.Width == c.w && s.Height == c.h })
			if err := a.cmd.Process.Signal(c.sig); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- a.cmd.Wait() }()
			select {
			case err := <-done:
				if err != nil {
					t.Fatalf("after %s the app exited with %v", c.name, err)
				}
			case <-time.After(15 * time.Second):
				t.Fatalf("the app did not end on %s", c.name)
			}
			set, b, err := a.savedSettings()
			if err != nil || set.Scene != "racer" || set.Speed != 2 || set.WindowW != c.w || set.WindowH != c.h {
				t.Fatalf("settings after %s: have %s (%v), want scene racer, speed 2, window %dx%d", c.name, b, err, c.w, c.h)
			}
			// The next run, with no size on the command line, opens at the
			// remembered size, scene and speed.
			os.Remove(a.state)
			cmd := exec.Command(bin, "--state-file", a.state)
			cmd.Env = append(os.Environ(), "HEBBSIM_CONFIG_DIR="+filepath.Join(a.dir, "config"))
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			defer func() { cmd.Process.Kill(); cmd.Wait() }()
			b2 := &app{t: t, cmd: cmd, dir: a.dir, state: a.state}
			b2.waitFor("the remembered size, scene and speed", 60*time.Second, func(s state) bool {
				return s.Frame > 5 && s.Width == c.w && s.Height == c.h && s.Scene == "racer" && s.SpeedIndex == 2
			})
		})
	}
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}
