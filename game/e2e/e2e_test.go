package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// state mirrors the fields of model.State the test reads.
type state struct {
	Scene      string            `json:"scene"`
	Step       int               `json:"step"`
	SpeedIndex int               `json:"speed_index"`
	Speed      string            `json:"speed"`
	Damage     map[string]string `json:"damage"`
	Marks      []struct {
		Step  int    `json:"Step"`
		Label string `json:"Label"`
	} `json:"marks"`
	Error      string            `json:"error"`
	Message    string            `json:"message"`
	Frame      int64             `json:"frame"`
	Screenshot string            `json:"screenshot"`
	Width      int               `json:"width"`
	Paused     bool              `json:"paused"`
	Want       map[string]string `json:"want"`
	Points     map[string][2]int `json:"target_points"`
	Height     int               `json:"height"`
	StepsTotal int64             `json:"steps_total"`
}

func needDisplay(t *testing.T) {
	t.Helper()
	if os.Getenv("DISPLAY") == "" {
		t.Skip("no X display: run under xvfb-run (make test does)")
	}
	for _, tool := range []string{"xdotool", "import"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not installed (scripts/setup.sh installs it)", tool)
		}
	}
}

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
	buildDir  string
)

// build compiles cmd/hebbsim and cmd/hebbsim-app once per test binary.
func build(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		_, file, _, _ := runtime.Caller(0)
		root := filepath.Join(filepath.Dir(file), "..", "..")
		buildDir, buildErr = os.MkdirTemp("", "hebbsim-e2e-")
		if buildErr != nil {
			return
		}
		// hebbsim is the launcher; it execs the hebbsim-app beside it.
		binPath = filepath.Join(buildDir, "hebbsim")
		cmd := exec.Command("go", "build", "-o", buildDir+string(filepath.Separator), "./cmd/hebbsim", "./cmd/hebbsim-app")
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

func TestMain(m *testing.M) {
	code := m.Run()
	if buildDir != "" {
		os.RemoveAll(buildDir)
	}
	os.Exit(code)
}

type app struct {
	t     *testing.T
	cmd   *exec.Cmd
	dir   string
	state string
	wid   string
}

func start(t *testing.T, bin string, args ...string) *app {
	t.Helper()
	dir := t.TempDir()
	a := &app{t: t, dir: dir, state: filepath.Join(dir, "state.json")}
	args = append([]string{"--state-file", a.state, "--shots", dir, "--width", "1280", "--height", "720", "--seed", "1", "--speed", "3"}, args...)
	a.cmd = exec.Command(bin, args...)
	a.cmd.Env = append(os.Environ(), "HEBBSIM_CONFIG_DIR="+filepath.Join(dir, "config"))
	a.cmd.Stdout, a.cmd.Stderr = os.Stderr, os.Stderr
	if err := a.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		a.cmd.Process.Kill()
		a.cmd.Wait()
	})
	a.waitFor("the first frames", 60*time.Second, func(s state) bool { return s.Frame > 5 })
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, "xdotool", "search", "--sync", "--pid", strconv.Itoa(a.cmd.Process.Pid)).Output()
	if err != nil || len(strings.Fields(string(out))) == 0 {
		out, err = exec.CommandContext(ctx, "xdotool", "search", "--sync", "--name", "^hebbsim").Output()
	}
	if err != nil {
		t.Fatalf("xdotool search: %v", err)
	}
	a.wid = strings.Fields(string(out))[0]
	exec.Command("xdotool", "windowmove", a.wid, "0", "0").Run()
	exec.Command("xdotool", "windowfocus", a.wid).Run()
	return a
}

func (a *app) read() (state, bool) {
	b, err := os.ReadFile(a.state)
	if err != nil {
		return state{}, false
	}
	var s state
	if json.Unmarshal(b, &s) != nil {
		return state{}, false
	}
	return s, true
}

// waitFor polls the state file until ok holds, failing after d.
func (a *app) waitFor(what string, d time.Duration, ok func(state) bool) state {
	a.t.Helper()
	deadline := time.Now().Add(d)
	var last state
	for time.Now().Before(deadline) {
		if s, good := a.read(); good {
			last = s
			if ok(s) {
				return s
			}
		}
		if a.cmd.ProcessState != nil {
			a.t.Fatalf("the app exited while waiting for %s", what)
		}
		time.Sleep(100 * time.Millisecond)
	}
	a.t.Fatalf("timed out waiting for %s; last state: %+v", what, last)
	return last
}

// stillPoints waits, after a pause, until two state dumps at least ten
// frames apart give the same click points: the camera has settled.
func (a *app) stillPoints(s state) state {
	a.t.Helper()
	last, lastFrame := s.Points, s.Frame
	return a.waitFor("still click points", 5*time.Second, func(s state) bool {
		if s.Frame < lastFrame+10 {
			return false
		}
		still := reflect.DeepEqual(s.Points, last)
		last, lastFrame = s.Points, s.Frame
		return still
	})
}

// key presses a key; if the app has not reacted within 4 s (an early key
// can be lost before the window has focus), it presses once more.
func (a *app) key(k, what string, ok func(state) bool) state {
	a.t.Helper()
	for try := 0; try < 2; try++ {
		// Held for a few frames, as a person would: a press and release
		// that both fall between two ticks is never seen as a press.
		exec.Command("xdotool", "keydown", "--window", a.wid, k).Run()
		time.Sleep(80 * time.Millisecond)
		exec.Command("xdotool", "keyup", "--window", a.wid, k).Run()
		deadline := time.Now().Add(4 * time.Second)
		for time.Now().Before(deadline) {
			if s, good := a.read(); good && ok(s) {
				return s
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	return a.waitFor(what+" after key "+k, time.Second, ok)
}

func loadPNG(t *testing.T, path string) image.Image {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return img
}

// count counts the pixels in r whose colour satisfies ok.
func count(img image.Image, r image.Rectangle, ok func(r, g, b uint8) bool) int {
	n := 0
	r = r.Intersect(img.Bounds())
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			cr, cg, cb, _ := img.At(x, y).RGBA()
			if ok(uint8(cr>>8), uint8(cg>>8), uint8(cb>>8)) {
				n++
			}
		}
	}
	return n
}

func TestAppEndToEnd(t *testing.T) {
	needDisplay(t)
	bin := build(t)
	a := start(t, bin, "--scene", "quadruped")

	// Damage the front-left leg with key 1.
	s := a.key("1", "FL damaged", func(s state) bool { return s.Damage["FL"] == "shorten" })
	if len(s.Marks) != 1 || s.Marks[0].Label != "FL shorten" {
		t.Errorf("damage mark: have %+v", s.Marks)
	}
	// Faster twice: 1× → 4×; the simulation really runs faster.
	a.key("equal", "2×", func(s state) bool { return s.SpeedIndex == 4 })
	s = a.key("equal", "4×", func(s state) bool { return s.SpeedIndex == 5 && s.Speed == "4×" })
	t0, n0 := time.Now(), s.StepsTotal
	time.Sleep(2 * time.Second)
	s, _ = a.read()
	rate := float64(s.StepsTotal-n0) / time.Since(t0).Seconds()
	t.Logf("at 4×: %.0f steps/s (real time is 50)", rate)
	if rate < 100 {
		t.Errorf("at 4× the simulation ran %.0f steps/s, want well above 1×'s 50", rate)
	}

	// Screenshot (F12): the app writes a PNG and names it in its state.
	s = a.key("F12", "screenshot", func(s state) bool { return s.Screenshot != "" })
	img := loadPNG(t, s.Screenshot)
	if b := img.Bounds(); b.Dx() != s.Width || b.Dy() != s.Height || b.Dx() < 1000 {
		t.Errorf("screenshot is %v, window %dx%d", b, s.Width, s.Height)
	}
	// The heatmaps (bottom left) show both signs of the diverging scale:
	// blue (negative weights) and orange (positive).
	heat := image.Rect(0, img.Bounds().Dy()*62/100, img.Bounds().Dx()/2, img.Bounds().Dy()*95/100)
	blue := count(img, heat, func(r, g, b uint8) bool { return b > 150 && b > r+60 })
	orange := count(img, heat, func(r, g, b uint8) bool { return r > 150 && r > b+80 })
	if blue < 50 || orange < 50 {
		t.Errorf("heatmaps: %d blue and %d orange pixels, want both ≥ 50", blue, orange)
	}
	// The world shows the damaged leg in red.
	world := image.Rect(0, 30, img.Bounds().Dx()*7/10, img.Bounds().Dy()*6/10)
	red := count(img, world, func(r, g, b uint8) bool { return r > 200 && g < 70 && b < 70 })
	if red < 10 {
		t.Errorf("world: %d red pixels, want the damaged leg drawn red", red)
	}

	// Pause, then click an undamaged leg in the world (BR if it can be
	// clicked): it is damaged (queued until the next step) with the kind
	// chosen in the panel.
	s = a.key("space", "paused", func(s state) bool { return s.Paused })
	// The points must come from a still picture: the camera keeps easing
	// towards the robot for a moment after the pause, so wait until two
	// dumps some frames apart agree. In some poses a leg lies behind its
	// partner at the same hip and has no firm point (the mirrored default
	// moves each pair nearly in step): then step once (.) and look again.
	leg := ""
	for try := 0; ; try++ {
		s = a.stillPoints(s)
		for _, l := range []string{"BR", "BL", "FR"} {
			if _, ok := s.Points[l]; ok && leg == "" {
				leg = l
			}
		}
		if leg != "" {
			break
		}
		if try == 30 {
			t.Fatalf("no firm point on BR, BL or FR in 30 steps; last state: %+v", s)
		}
		n := s.StepsTotal
		s = a.key("period", "one step", func(s state) bool { return s.StepsTotal > n })
	}
	p := s.Points[leg]
	// Relative to the window: GLFW may still re-centre it after windowmove.
	exec.Command("xdotool", "mousemove", "--window", a.wid, strconv.Itoa(p[0]), strconv.Itoa(p[1])).Run()
	time.Sleep(150 * time.Millisecond)
	exec.Command("xdotool", "mousedown", "1").Run()
	time.Sleep(80 * time.Millisecond)
	exec.Command("xdotool", "mouseup", "1").Run()
	s = a.waitFor(leg+" damaged by a click", 5*time.Second, func(s state) bool { return s.Want[leg] == "shorten" })
	a.key("space", "running", func(s state) bool { return !s.Paused && s.Damage[leg] == "shorten" })

	// Switch scene with ]: the racer, with its observation inset.
	a.key("bracketright", "racer", func(s state) bool { return s.Scene == "racer" && s.Step > 20 })
	shot := filepath.Join(a.dir, "root.png")
	if out, err := exec.Command("import", "-window", "root", shot).CombinedOutput(); err != nil {
		t.Fatalf("import: %v\n%s", err, out)
	}
	img = loadPNG(t, shot)
	// The racer's grass fills the world view.
	green := count(img, image.Rect(0, 40, 900, 440), func(r, g, b uint8) bool { return g > 150 && r < 130 && b < 130 })
	if green < 20000 {
		t.Errorf("racer: %d grass pixels in the world view, want ≥ 20000", green)
	}
}

func TestBadRuleFileIsShownAndTheAppKeepsRunning(t *testing.T) {
	needDisplay(t)
	bin := build(t)
	for _, c := range []struct {
		name, content, want string
	}{
		{"nonexistent.npz", "", "nonexistent.npz"},
		{"garbage.npz", "this is not a rule file", "garbage.npz"},
	} {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), c.name)
			if c.content != "" {
				os.WriteFile(path, []byte(c.content), 0o644)
			}
			a := start(t, bin, "--rules", path)
			s := a.waitFor("the error", 10*time.Second, func(s state) bool { return s.Error != "" })
			if !strings.Contains(s.Error, c.want) || !strings.Contains(s.Message, "cannot load") {
				t.Errorf("error: have %q (message %q), want it to name %s", s.Error, s.Message, c.want)
			}
			// Still running: the steps go on.
			a.waitFor("steps after the error", 15*time.Second, func(t state) bool { return t.Step > s.Step+20 })
			shot := filepath.Join(a.dir, "root.png")
			if out, err := exec.Command("import", "-window", "root", shot).CombinedOutput(); err != nil {
				t.Fatalf("import: %v\n%s", err, out)
			}
			img := loadPNG(t, shot)
			// The error box (red text on dark red) sits at the bottom of
			// the side panel.
			side := image.Rect(940, 200, 1280, 460)
			errText := count(img, side, func(r, g, b uint8) bool { return r > 200 && g < 140 && g > 60 && b < 140 })
			if errText < 30 {
				t.Errorf("error text: %d pixels of the error colour in the side panel, want ≥ 30", errText)
			}
		})
	}
}

func TestSettingsAreRememberedBetweenRuns(t *testing.T) {
	needDisplay(t)
	bin := build(t)
	a := start(t, bin, "--scene", "quadruped")
	a.key("bracketright", "racer", func(s state) bool { return s.Scene == "racer" })
	a.key("minus", "½×", func(s state) bool { return s.SpeedIndex == 2 })
	// Ctrl+Q quits; the settings are written on the way out. A press that
	// falls between two ticks of a busy app is never seen, so press again,
	// held longer, while it is still running.
	done := make(chan error, 1)
	go func() { done <- a.cmd.Wait() }()
	quit := false
	for _, hold := range []time.Duration{80 * time.Millisecond, 400 * time.Millisecond, 1500 * time.Millisecond} {
		exec.Command("xdotool", "keydown", "--window", a.wid, "ctrl+q").Run()
		time.Sleep(hold)
		exec.Command("xdotool", "keyup", "--window", a.wid, "ctrl+q").Run()
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("the app exited with %v", err)
			}
			quit = true
		case <-time.After(8 * time.Second):
		}
		if quit {
			break
		}
	}
	if !quit {
		t.Fatal("the app did not quit on ctrl+q")
	}
	set, b, err := a.savedSettings()
	if err != nil || set.Scene != "racer" || set.Speed != 2 {
		t.Errorf("settings: have %s (%v), want scene racer, speed 2", b, err)
	}
	// A second run in the same config opens where the first stopped.
	cmd := exec.Command(bin, "--state-file", a.state, "--width", "960", "--height", "600")
	cmd.Env = append(os.Environ(), "HEBBSIM_CONFIG_DIR="+filepath.Join(a.dir, "config"))
	os.Remove(a.state)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	b2 := &app{t: t, cmd: cmd, dir: a.dir, state: a.state}
	b2.waitFor("the remembered scene and speed", 60*time.Second, func(s state) bool {
		return s.Frame > 5 && s.Scene == "racer" && s.SpeedIndex == 2
	})
}

// savedSettings is what the app wrote to its settings file, and the
// file's bytes for messages.
type savedSettings struct {
	Scene   string `json:"scene"`
	Speed   int    `json:"speed"`
	WindowW int    `json:"window_w"`
	WindowH int    `json:"window_h"`
}

func (a *app) savedSettings() (savedSettings, []byte, error) {
	var set savedSettings
	b, err := os.ReadFile(filepath.Join(a.dir, "config", "settings.json"))
	if err == nil {
		err = json.Unmarshal(b, &set)
	}
	return set, b, err
}
