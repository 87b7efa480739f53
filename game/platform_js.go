//go:build js

package game

import (
	"encoding/json"
	"fmt"
	"syscall/js"

	"github.com/hebbsim/hebbsim/game/model"
)

// platform in the browser (the desktop's is in platform_desktop.go):
// settings in localStorage, files from the page's file picker or dropped on
// the canvas, screenshots as downloads, the state in a JS global for the
// end-to-end test, no quitting (close the tab). The page (web/index.html)
// defines the hebbsim* functions this file calls.
type platform struct {
	loader     *memLoader
	picked     chan pickedFile
	saved      string    // the settings JSON last written to storage
	started    bool      // the page has been told the first frame is drawn
	stateFrame int64     // the frame whose state was published last
	callbacks  []js.Func // kept alive while the page runs
}

type pickedFile struct {
	name string
	data []byte
}

// storageKey is the localStorage key of the settings.
const storageKey = "hebbsim.settings"

func newPlatform() (*platform, error) {
	return &platform{loader: newMemLoader(), picked: make(chan pickedFile, 4), stateFrame: -1}, nil
}

func storage() (v js.Value) {
	defer func() { // a page with storage turned off throws on access
		if recover() != nil {
			v = js.Undefined()
		}
	}()
	return js.Global().Get("localStorage")
}

func (p *platform) loadSettings() (model.Settings, error) {
	ls := storage()
	if !ls.Truthy() {
		return model.DefaultSettings(), nil
	}
	v := ls.Call("getItem", storageKey)
	if v.IsNull() || v.IsUndefined() {
		return model.DefaultSettings(), nil
	}
	p.saved = v.String()
	s, err := model.DecodeSettings([]byte(p.saved))
	pruneRecent(&s)
	if err != nil {
		return s, fmt.Errorf("settings in this browser's storage: %w", err)
	}
	return s, nil
}

func (p *platform) saveSettings(s model.Settings) (err error) {
	b, err := json.Marshal(s)
	if err != nil || string(b) == p.saved {
		return err
	}
	ls := storage()
	if !ls.Truthy() {
		return fmt.Errorf("this browser keeps no local storage: settings are not remembered")
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("settings: the browser refused to store them: %v", r)
		}
	}()
	ls.Call("setItem", storageKey, string(b))
	p.saved = string(b)
	return nil
}

// attach gives the page its way in: hebbsimLoadRules(name, Uint8Array)
// for the file picker, hebbsimTrajectory(scene, seed, steps) for the
// desktop–browser comparison, hebbsimSave() when the page goes away.
func (p *platform) attach(g *Game) {
	load := js.FuncOf(func(this js.Value, args []js.Value) any {
		if len(args) < 2 {
			return nil
		}
		b := make([]byte, args[1].Get("length").Int())
		js.CopyBytesToGo(b, args[1])
		select {
		case p.picked <- pickedFile{args[0].String(), b}:
		default: // the app has not caught up; the user picks again
		}
		return nil
	})
	traj := js.FuncOf(func(this js.Value, args []js.Value) any {
		if len(args) < 3 {
			return `{"error":"want hebbsimTrajectory(scene, seed, steps)"}`
		}
		t, err := model.RunTrajectory(args[0].String(), int64(args[1].Int()), args[2].Int(), p.loader)
		if err != nil {
			b, _ := json.Marshal(map[string]string{"error": err.Error()})
			return string(b)
		}
		b, _ := json.Marshal(t)
		return string(b)
	})
	// The page calls this when it is hidden or closed (pagehide), so a
	// change made in the last second is not lost.
	save := js.FuncOf(func(this js.Value, args []js.Value) any {
		p.saveSettings(g.app.Settings)
		return nil
	})
	js.Global().Set("hebbsimSave", save)
	p.callbacks = append(p.callbacks, load, traj, save)
	js.Global().Set("hebbsimLoadRules", load)
	js.Global().Set("hebbsimTrajectory", traj)
}

// update runs once per tick: picked files, the page's counters and the
// first-frame signal. (Game.saveSettings saves the settings through
// saveSettings within a second of a change, on both platforms.)
func (p *platform) update(g *Game) {
	select {
	case f := <-p.picked:
		g.loadBytes(f.name, f.data)
	default:
	}
	// Counters for measuring rates from the page (the state JSON is
	// published only every ten frames).
	js.Global().Set("hebbsimFrames", g.frame)
	js.Global().Set("hebbsimSteps", g.app.StepsTotal)
	if !p.started && g.frame > 0 {
		p.started = true
		call("hebbsimStarted")
	}
}

// canQuit: a page is closed by closing its tab.
func (p *platform) canQuit(g *Game) bool {
	g.app.Info("this is a web page: close the tab to quit")
	return false
}

// stateDue: the page's state is published once a frame (frames can be
// slow under software WebGL; a global costs no file write).
func (p *platform) stateDue(g *Game) bool {
	if g.frame == p.stateFrame {
		return false
	}
	p.stateFrame = g.frame
	return true
}

// publishState puts the app's state, as JSON, in window.hebbsimState.
func (p *platform) publishState(g *Game, b []byte) {
	js.Global().Set("hebbsimState", string(b))
}

// saveShot hands the PNG to the page, which offers it as a download.
func (p *platform) saveShot(dir, name string, b []byte) (string, error) {
	arr := js.Global().Get("Uint8Array").New(len(b))
	js.CopyBytesToJS(arr, b)
	if !call("hebbsimDownload", name, arr) {
		return "", fmt.Errorf("this page cannot offer downloads")
	}
	return "downloaded " + name, nil
}

// openDialog opens the page's file picker (the browser allows it shortly
// after a key press or click, which is when the app asks).
func (g *Game) openDialog() {
	if call("hebbsimOpenPicker") {
		g.app.Info("pick a rule file (.npz) in the browser's dialog, or drop one on the page")
		return
	}
	g.app.Info("this page has no file picker: drop a rule file (.npz) on the page, or use the list (L)")
}

// call calls window.name(args…) if the page defines it.
func call(name string, args ...any) bool {
	f := js.Global().Get(name)
	if f.Type() != js.TypeFunction {
		return false
	}
	f.Invoke(args...)
	return true
}
