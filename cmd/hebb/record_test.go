package main

import (
	"image/gif"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRecordWritesAGIF renders a short quadruped episode with a damage
// and checks what image/gif reads back: the size, and a frame every 4
// steps (12.5 fps at 50 steps/s) for steps 0…60.
func TestRecordWritesAGIF(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		name   string
		args   []string
		w, h   int
		frames int
		delay  int // hundredths of a second per frame
	}{
		{"world", nil, 640, 360, 16, 8},
		{"heatmaps", []string{"--heatmaps", "--width", "320", "--height", "180", "--fps", "25"}, 320, 180 + 72, 31, 4},
	} {
		out := filepath.Join(dir, c.name+".gif")
		args := append([]string{"record", "--rules", "quadruped-hebbian", "--steps", "60", "--damage", "BR:amputate@30", "--out", out}, c.args...)
		code, stdout, stderr := hebb(t, args...)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", c.name, code, stderr)
		}
		if !strings.Contains(stdout, out) {
			t.Errorf("%s: stdout %q does not name the file", c.name, stdout)
		}
		f, err := os.Open(out)
		if err != nil {
			t.Fatal(err)
		}
		g, err := gif.DecodeAll(f)
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		shown := 0
		for _, d := range g.Delay {
			shown += d
		}
		if g.Config.Width != c.w || g.Config.Height != c.h || shown != c.frames*c.delay {
			t.Errorf("%s: %d×%d, %d frames, delays %v; want %d×%d and %d frames shown", c.name, g.Config.Width, g.Config.Height, len(g.Image), g.Delay, c.w, c.h, c.frames)
		}
		if len(g.Image) < c.frames/2 {
			t.Errorf("%s: only %d distinct frames of %d: the body does not move?", c.name, len(g.Image), c.frames)
		}
	}
	for _, bad := range [][]string{
		{"record", "--rules", "quadruped-hebbian"},
		{"record", "--rules", "quadruped-hebbian", "--out", filepath.Join(dir, "x.gif"), "--width", "5"},
		{"record", "--rules", "quadruped-hebbian", "--out", filepath.Join(dir, "x.gif"), "--fps", "0"},
		{"record", "--rules", "quadruped-hebbian", "--out", filepath.Join(dir, "x.gif"), "--damage", "XX:amputate@3"},
		{"record", "--rules", "quadruped-hebbian", "--out", filepath.Join(dir, "no", "such", "dir", "x.gif"), "--steps", "4"},
	} {
		code, _, stderr := hebb(t, bad...)
		if code != exitUsage || strings.Count(strings.TrimSpace(stderr), "\n") != 0 || !strings.HasPrefix(stderr, "hebb: ") {
			t.Errorf("hebb %s: exit %d, stderr %q; want exit %d and one line", strings.Join(bad, " "), code, stderr, exitUsage)
		}
	}
}
