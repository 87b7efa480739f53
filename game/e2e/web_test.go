package e2e

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"github.com/hebbsim/hebbsim/internal/loadavg"
	"image"
	"image/png"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/hebbsim/hebbsim/game/model"
)

// findChromium returns Debian's chromium (scripts/setup.sh installs it) or
// another Chrome. Without one the test skips, except in CI (CI=true),
// where it must run.
func findChromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("no chromium in CI: scripts/setup.sh installs the chromium package")
	}
	t.Skip("chromium is not installed (scripts/setup.sh installs it): the browser test is skipped")
	return ""
}

// buildWeb writes what make web writes into a temporary folder: the page,
// Go's wasm_exec.js and cmd/hebbsim-app built for js/wasm.
func buildWeb(t *testing.T) (dir string, took time.Duration) {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	root := filepath.Join(filepath.Dir(file), "..", "..")
	dir = t.TempDir()
	t0 := time.Now()
	cmd := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", filepath.Join(dir, "hebbsim.wasm"), "./cmd/hebbsim-app")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("wasm build: %v\n%s", err, out)
	}
	took = time.Since(t0)
	goroot, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		t.Fatal(err)
	}
	for src, dst := range map[string]string{
		filepath.Join(root, "web", "index.html"):                                        "index.html",
		filepath.Join(strings.TrimSpace(string(goroot)), "lib", "wasm", "wasm_exec.js"): "wasm_exec.js",
	} {
		b, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, dst), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir, took
}

// browser starts headless chromium with software WebGL (DESIGN.md §6).
func browser(t *testing.T, exe string) context.Context {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe),
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.NoSandbox,
		chromedp.Flag("headless", "new"),
		chromedp.Flag("use-angle", "swiftshader"),
		chromedp.Flag("enable-unsafe-swiftshader", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("mute-audio", true),
		chromedp.WindowSize(1280, 800),
		chromedp.UserDataDir(t.TempDir()),
	}
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	ctx, cancel2 := chromedp.NewContext(actx)
	t.Cleanup(cancel2)
	return ctx
}

// webState is the state the page publishes: the fields the desktop test
// reads, and a few more.
type webState struct {
	state
	Panels  bool `json:"panels"`
	Compare bool `json:"compare"`
	Help    bool `json:"help"`
	Lanes   []struct {
		Label string `json:"label"`
	} `json:"lanes"`
	Rules string  `json:"rules"`
	FPS   float64 `json:"fps"`
	TPS   float64 `json:"tps"`
}

// webPage is one tab of the web build.
type webPage struct {
	t   *testing.T
	ctx context.Context
}

// eval runs a script in the page and returns its value.
func eval[T any](p *webPage, js string) (T, error) {
	ctx, cancel := context.WithTimeout(p.ctx, 60*time.Second)
	defer cancel()
	return chromedp.Run(ctx, chromedp.Evaluate[T](js))
}

// text is a string the page holds ("" if it cannot be read).
func (p *webPage) text(js string) string {
	s, _ := eval[string](p, js)
	return s
}

func (p *webPage) number(js string) float64 {
	f, _ := eval[float64](p, js)
	return f
}

// state reads window.hebbsimState, the app's state the page publishes.
func (p *webPage) state() (webState, bool) {
	raw := p.text(`window.hebbsimState || ""`)
	if raw == "" {
		return webState{}, false
	}
	var s webState
	if json.Unmarshal([]byte(raw), &s) != nil {
		return webState{}, false
	}
	return s, true
}

func (p *webPage) waitFor(what string, d time.Duration, ok func(webState) bool) webState {
	p.t.Helper()
	deadline := time.Now().Add(d)
	var last webState
	for time.Now().Before(deadline) {
		if s, good := p.state(); good {
			last = s
			if ok(s) {
				return s
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	cover := p.text(`document.getElementById("status").textContent`)
	p.t.Fatalf("browser: timed out waiting for %s; page says %q; last state: %+v", what, cover, last)
	return last
}

// keys are the DOM code and Windows key code of the keys the test presses.
var keys = map[string]struct {
	code string
	vk   int64
}{"1": {"Digit1", 49}, "=": {"Equal", 187}, "F12": {"F12", 123}, "F1": {"F1", 112},
	" ": {"Space", 32}, "c": {"KeyC", 67}, ".": {"Period", 190}}

// key presses a key on the canvas and holds it for a few frames, as a
// person would: a press and release that both fall between two ticks is
// never seen as a press.
func (p *webPage) key(k string) { p.hold(k, 150*time.Millisecond) }

// press presses k until ok holds: held 150 ms, then, if the app has not
// reacted, longer. A press that falls between two ticks is never seen (a
// frame takes up to seconds under software WebGL on a busy machine), and
// one that is released is never seen later, so pressing again cannot
// toggle twice.
func (p *webPage) press(k, what string, ok func(webState) bool) webState {
	p.t.Helper()
	for _, d := range []time.Duration{150 * time.Millisecond, 600 * time.Millisecond, 1500 * time.Millisecond, 3 * time.Second} {
		p.hold(k, d)
		deadline := time.Now().Add(8 * time.Second)
		for time.Now().Before(deadline) {
			if s, good := p.state(); good && ok(s) {
				return s
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	return p.waitFor(what+" after key "+k, time.Second, ok)
}

func (p *webPage) hold(k string, d time.Duration) {
	p.t.Helper()
	kc, ok := keys[k]
	if !ok {
		p.t.Fatalf("key %q: not in the test's key table", k)
	}
	ctx, cancel := context.WithTimeout(p.ctx, 10*time.Second)
	defer cancel()
	if _, err := eval[any](p, `document.querySelector("canvas").focus()`); err != nil {
		p.t.Fatalf("focus: %v", err)
	}
	send := func(typ input.DispatchKeyEventType) chromedp.Action[chromedp.Void] {
		return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, input.DispatchKeyEvent, input.DispatchKeyEventParams{
				Type: typ, Key: k, Code: kc.code, WindowsVirtualKeyCode: kc.vk, NativeVirtualKeyCode: kc.vk})
			return err
		})
	}
	if err := chromedp.Do(ctx, send(input.DispatchKeyEventTypeRawKeyDown), chromedp.Sleep(d), send(input.DispatchKeyEventTypeKeyUp)); err != nil {
		p.t.Fatalf("key %q: %v", k, err)
	}
}

// clickUntil clicks the left mouse button at (x, y) in CSS pixels (the
// page's device scale is 1) until ok holds, held longer each time (see
// press: an unseen click is never seen later).
func (p *webPage) clickUntil(x, y float64, what string, ok func(webState) bool) webState {
	p.t.Helper()
	for _, d := range []time.Duration{700 * time.Millisecond, 1500 * time.Millisecond, 3 * time.Second} {
		ctx, cancel := context.WithTimeout(p.ctx, 15*time.Second)
		err := chromedp.Do(ctx,
			chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, x, y),
			chromedp.Sleep(500*time.Millisecond),
			chromedp.MouseEvent(input.DispatchMouseEventTypeMousePressed, x, y, chromedp.ButtonLeft, chromedp.ClickCount(1)),
			chromedp.Sleep(d),
			chromedp.MouseEvent(input.DispatchMouseEventTypeMouseReleased, x, y, chromedp.ButtonLeft, chromedp.ClickCount(1)),
		)
		cancel()
		if err != nil {
			p.t.Fatalf("click at %.0f,%.0f: %v", x, y, err)
		}
		deadline := time.Now().Add(8 * time.Second)
		for time.Now().Before(deadline) {
			if s, good := p.state(); good && ok(s) {
				return s
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	return p.waitFor(what, time.Second, ok)
}

func (p *webPage) screenshot() image.Image {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, 30*time.Second)
	defer cancel()
	b, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		p.t.Fatal(err)
	}
	if out := os.Getenv("HEBBSIM_WEB_SHOT"); out != "" { // docs/screenshot-web.png
		os.WriteFile(out, b, 0o644)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		p.t.Fatal(err)
	}
	return img
}

// dropFile drops a file with the given bytes on the canvas, as a person
// dragging it from a file manager would.
func (p *webPage) dropFile(name string, data []byte) {
	p.t.Helper()
	buf, _ := json.Marshal(data) // base64
	js := fmt.Sprintf(`(() => {
		const bin = atob(%s);
		const bytes = new Uint8Array(bin.length);
		for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
		const dt = new DataTransfer();
		dt.items.add(new File([bytes], %q));
		const c = document.querySelector("canvas");
		c.dispatchEvent(new DragEvent("dragover", {dataTransfer: dt, bubbles: true, cancelable: true}));
		c.dispatchEvent(new DragEvent("drop", {dataTransfer: dt, bubbles: true, cancelable: true}));
		return true;
	})()`, buf, name)
	if _, err := eval[bool](p, js); err != nil {
		p.t.Fatalf("drop %s: %v", name, err)
	}
}

// TestWebBuildInChromium runs the web build in headless Chromium: it draws
// the scene, runs in real time at 1× with heatmaps and plots, reacts to a
// damage key, shows a bad rule file's error (picked and dropped) and keeps
// running, loads a good one dropped on the canvas, remembers settings in
// local storage, gives the same trajectory as the desktop, and says so
// plainly when WebGL is missing. It logs what docs/web.md reports.
func TestWebBuildInChromium(t *testing.T) {
	exe := findChromium(t)
	if testing.Short() {
		t.Skip("-short: the browser test takes about a minute")
	}
	t0 := time.Now()
	dir, buildTook := buildWeb(t)
	wasm, err := os.ReadFile(filepath.Join(dir, "hebbsim.wasm"))
	if err != nil {
		t.Fatal(err)
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(wasm)
	zw.Close()
	t.Logf("hebbsim.wasm: %.1f MB, gzipped %.1f MB (built in %.0f s)", float64(len(wasm))/1e6, float64(gz.Len())/1e6, buildTook.Seconds())

	srv := httptest.NewServer(http.FileServer(http.Dir(dir)))
	defer srv.Close()
	ctx := browser(t, exe)
	p := &webPage{t: t, ctx: ctx}
	nctx, cancel := context.WithTimeout(ctx, 90*time.Second)
	defer cancel()
	if err := chromedp.Do(nctx, chromedp.Navigate(srv.URL+"/?seed=1&speed=3&scene=quadruped")); err != nil {
		t.Fatalf("navigate: %v", err)
	}
	loading := p.text(`document.getElementById("status").textContent`)
	s := p.waitFor("the first frames", 90*time.Second, func(s webState) bool { return s.Frame > 5 })
	firstMs, loadedMs := p.number(`window.hebbsimFirstFrameMs || 0`), p.number(`window.hebbsimLoadedMs || 0`)
	t.Logf("page: %q while loading; wasm fetched and compiled after %.1f s, first frame after %.1f s (from navigation)", loading, loadedMs/1000, firstMs/1000)
	if !strings.Contains(loading, "Loading") && !strings.Contains(loading, "Starting") {
		t.Errorf("while loading the page says %q, want it to say it is loading", loading)
	}
	if s.Scene != "quadruped" || s.SpeedIndex != 3 || !s.Panels {
		t.Errorf("start: scene %q, speed %d, panels %v; want quadruped at 1× (the URL's flags) with panels", s.Scene, s.SpeedIndex, s.Panels)
	}

	// Real time at 1× with heatmaps and plots: 50 steps/s.
	p.waitFor("running", 30*time.Second, func(s webState) bool { return s.StepsTotal > 0 })
	rate, appFPS := p.rates(8 * time.Second)
	s1, _ := p.state()
	t.Logf("at 1× with heatmaps and plots: %.1f steps/s (real time is 50), %.1f FPS (Ebitengine's last: %.0f FPS, %.0f TPS) (load average %s)", rate, appFPS, s1.FPS, s1.TPS, loadavg.String())
	if load := loadavg.PerCore(); rate < 40 && load < 2 {
		t.Errorf("at 1× the browser ran %.1f steps/s, want real time (50; ≥ 40 accepted)", rate)
	} else if rate < 40 {
		t.Logf("at 1× the browser ran %.1f steps/s, below real time, but the machine is overloaded (load %.1f per core): not judged", rate, load)
	}

	// A non-blank scene: sky, ground, body, heatmaps — many colours.
	img := p.screenshot()
	colours := map[[3]uint8]int{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 2 {
		for x := b.Min.X; x < b.Max.X; x += 2 {
			r, g, bl, _ := img.At(x, y).RGBA()
			colours[[3]uint8{uint8(r >> 8), uint8(g >> 8), uint8(bl >> 8)}]++
		}
	}
	blue := count(img, image.Rect(0, b.Dy()*62/100, b.Dx()/2, b.Dy()*95/100), func(r, g, b uint8) bool { return b > 150 && b > r+60 })
	orange := count(img, image.Rect(0, b.Dy()*62/100, b.Dx()/2, b.Dy()*95/100), func(r, g, b uint8) bool { return r > 150 && r > b+80 })
	t.Logf("canvas: %v, %d colours; heatmaps %d blue, %d orange pixels", b.Size(), len(colours), blue, orange)
	if b.Dx() < 1000 || len(colours) < 50 || blue < 50 || orange < 50 {
		t.Errorf("the page looks blank or lacks heatmaps: %v, %d colours, %d blue, %d orange", b.Size(), len(colours), blue, orange)
	}

	// The same trajectory as the desktop: quadruped, bundled rules, seed 1.
	const steps = 1000
	tw := time.Now()
	raw, err := eval[string](p, fmt.Sprintf(`hebbsimTrajectory("quadruped", 1, %d)`, steps))
	if err != nil {
		t.Fatalf("hebbsimTrajectory: %v", err)
	}
	webTook := time.Since(tw)
	var web model.Trajectory
	if err := json.Unmarshal([]byte(raw), &web); err != nil || web.Steps == 0 {
		t.Fatalf("hebbsimTrajectory: %v: %.200s", err, raw)
	}
	desk, err := model.RunTrajectory("quadruped", 1, steps, model.FileLoader{})
	if err != nil {
		t.Fatal(err)
	}
	first, atFirst, worst := desk.Diverge(&web)
	t.Logf("trajectory, quadruped %s seed 1, %d steps: desktop hash %s (%.3f m), browser hash %s (%.3f m, computed in %.2f s); first difference at step %d by %g, largest %g",
		desk.Rules, desk.Steps, desk.Hash, desk.Final, web.Hash, web.Final, webTook.Seconds(), first, atFirst, worst)
	if desk.Hash != web.Hash || first >= 0 {
		t.Errorf("the browser's trajectory differs from the desktop's: first at step %d (of %d) by %g in an observation value, largest difference %g; final weights hash %s vs %s",
			first, steps, atFirst, worst, desk.WHash, web.WHash)
	}

	// A damage key changes the app's state.
	s = p.press("1", "FL damaged", func(s webState) bool { return s.Damage["FL"] == "shorten" })
	if len(s.Marks) == 0 {
		t.Errorf("damage: no mark on the plots")
	}

	// A click on a leg damages it, as on the desktop: pause, wait for a
	// still picture, click an undamaged leg where the app says it is.
	s = p.press(" ", "paused", func(s webState) bool { return s.Paused })
	// In some poses a leg lies behind its partner at the same hip and has
	// no firm point (the mirrored default moves each pair nearly in step):
	// then step once (.) and look again.
	leg := ""
	for try := 0; ; try++ {
		last, lastFrame := s.Points, s.Frame
		s = p.waitFor("still click points", 20*time.Second, func(s webState) bool {
			if s.Frame < lastFrame+10 {
				return false
			}
			still := reflect.DeepEqual(s.Points, last)
			last, lastFrame = s.Points, s.Frame
			return still
		})
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
		s = p.press(".", "one step", func(s webState) bool { return s.StepsTotal > n })
	}
	p.clickUntil(float64(s.Points[leg][0]), float64(s.Points[leg][1]), leg+" damaged by a click", func(s webState) bool { return s.Want[leg] == "shorten" })
	p.press(" ", "running", func(s webState) bool { return !s.Paused && s.Damage[leg] == "shorten" })

	// Compare mode and the F1 help, as on the desktop.
	p.press("c", "compare on", func(s webState) bool { return s.Compare && len(s.Lanes) == 2 })
	p.press("c", "compare off", func(s webState) bool { return !s.Compare })
	p.press("F1", "help shown", func(s webState) bool { return s.Help })
	p.press("F1", "help hidden", func(s webState) bool { return !s.Help })

	// Settings live in local storage: go to 2× and reload without flags.
	p.press("=", "2×", func(s webState) bool { return s.SpeedIndex == 4 })
	var stored string
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) && !strings.Contains(stored, `"speed":4`) {
		time.Sleep(200 * time.Millisecond)
		stored = p.text(`localStorage.getItem("hebbsim.settings") || ""`)
	}
	if !strings.Contains(stored, `"speed":4`) {
		t.Errorf("local storage holds %q, want the speed 4 (2×)", stored)
	}

	// F12 offers the screenshot as a download.
	p.press("F12", "screenshot offered as a download", func(s webState) bool { return strings.HasPrefix(s.Screenshot, "downloaded hebbsim-") })

	// A bad rule file, from the page's file picker: its error is shown and
	// the simulation keeps running.
	bad := filepath.Join(t.TempDir(), "bad.npz")
	os.WriteFile(bad, []byte("this is not a rule file"), 0o644)
	uctx, ucancel := context.WithTimeout(ctx, 20*time.Second)
	defer ucancel()
	if err := chromedp.Do(uctx, chromedp.SetUploadFiles(chromedp.ID("picker"), []string{bad})); err != nil {
		t.Fatalf("file picker: %v", err)
	}
	s = p.waitFor("the bad file's error", 30*time.Second, func(s webState) bool { return strings.Contains(s.Error, "bad.npz") })
	t.Logf("bad rule file (picker): %q", s.Error)
	n := s.StepsTotal
	p.waitFor("the simulation running on after the bad file", 30*time.Second, func(s webState) bool { return s.StepsTotal > n+20 && s.Rules == "quadruped-hebbian.npz" })

	// Dropped on the canvas: a bad one is reported, a good one loads (the
	// rays racer: the app switches scene).
	p.dropFile("dropped.npz", []byte("PK not really"))
	s = p.waitFor("the dropped file's error", 30*time.Second, func(s webState) bool { return strings.Contains(s.Error, "dropped.npz") })
	t.Logf("bad rule file (dropped): %q", s.Error)
	good, err := os.ReadFile(filepath.Join("..", "..", "assets", "rules", "racer-hebbian-rays.npz"))
	if err != nil {
		t.Fatal(err)
	}
	p.dropFile("racer-hebbian-rays.npz", good)
	p.waitFor("the dropped rule file loaded", 45*time.Second, func(s webState) bool {
		return s.Scene == "racer" && s.Rules == "racer-hebbian-rays.npz" && s.Step > 0
	})

	// Reload without flags: the remembered speed (2×) and scene come back
	// (saved within a second of the change, or when the page goes).
	rctx, rcancel := context.WithTimeout(ctx, 60*time.Second)
	defer rcancel()
	if err := chromedp.Do(rctx, chromedp.Navigate(srv.URL+"/")); err != nil {
		t.Fatal(err)
	}
	// (The state is published from the first tick; the pixel racer's
	// frames are slow under software WebGL, so frames are not waited for.)
	p.waitFor("the remembered settings after a reload", 90*time.Second, func(s webState) bool {
		return s.SpeedIndex == 4 && s.Scene == "racer"
	})

	// The floor: the same page drawing an empty frame (one fill), as
	// make fps measures it on the desktop (DESIGN.md §6); the app's frame
	// rate is reported as a ratio to it.
	fctx, fcancel := context.WithTimeout(ctx, 60*time.Second)
	defer fcancel()
	if err := chromedp.Do(fctx, chromedp.Navigate(srv.URL+"/?seed=1&speed=3&scene=quadruped&env.HEBBSIM_EMPTY_FRAME=1")); err != nil {
		t.Fatal(err)
	}
	p.waitFor("empty frames", 60*time.Second, func(s webState) bool { return s.Frame > 5 })
	floorSteps, floor := p.rates(6 * time.Second)
	t.Logf("empty frame (the floor): %.1f FPS, %.1f steps/s; the app's %.1f FPS is %.2f of it (load average %s)",
		floor, floorSteps, appFPS, appFPS/floor, loadavg.String())

	// Without WebGL the page says so instead of failing silently.
	wctx, wcancel := context.WithTimeout(ctx, 30*time.Second)
	defer wcancel()
	if err := chromedp.Do(wctx,
		chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{
				Source: `HTMLCanvasElement.prototype.getContext = function () { return null; };`})
			return err
		}),
		chromedp.Navigate(srv.URL+"/"),
	); err != nil {
		t.Fatal(err)
	}
	msg, err := chromedp.Run(wctx, chromedp.Text(chromedp.ID("status")))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(msg, "needs WebGL 2") {
		t.Errorf("without WebGL the page says %q, want it to say it needs WebGL 2", msg)
	}
	t.Logf("browser test took %.0f s in all", time.Since(t0).Seconds())
}

// rates measures steps and frames per second over d from the page's
// counters (window.hebbsimSteps, window.hebbsimFrames).
func (p *webPage) rates(d time.Duration) (steps, fps float64) {
	p.t.Helper()
	read := func() (float64, float64, time.Time) {
		return p.number(`window.hebbsimSteps || 0`), p.number(`window.hebbsimFrames || 0`), time.Now()
	}
	s0, f0, t0 := read()
	time.Sleep(d)
	s1, f1, t1 := read()
	dt := t1.Sub(t0).Seconds()
	return (s1 - s0) / dt, (f1 - f0) / dt
}
