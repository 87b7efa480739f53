//go:build !js

package game

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/hebbsim/hebbsim/game/model"
)

// platform is what differs between the desktop and the browser
// (platform_js.go): where settings live, how a file is chosen, where a
// screenshot goes, whether the app may quit, where the state goes.
type platform struct {
	loader *memLoader
	spath  string // settings file
}

func newPlatform() (*platform, error) {
	spath, err := model.SettingsPath()
	if err != nil {
		return nil, err
	}
	return &platform{loader: newMemLoader(), spath: spath}, nil
}

func (p *platform) loadSettings() (model.Settings, error) {
	s, err := model.LoadSettings(p.spath)
	pruneRecent(&s)
	return s, err
}

func (p *platform) saveSettings(s model.Settings) error { return s.Save(p.spath) }

func (p *platform) attach(*Game)       {}
func (p *platform) update(*Game)       {}
func (p *platform) canQuit(*Game) bool { return true }

// stateDue: the state file (--state-file) is written every ten frames.
func (p *platform) stateDue(g *Game) bool { return g.opts.State != "" && g.frame%10 == 0 }

// publishState writes the state file (--state-file) atomically.
func (p *platform) publishState(g *Game, b []byte) {
	if err := model.WriteFileAtomic(g.opts.State, b); err != nil {
		fmt.Fprintln(os.Stderr, "hebbsim: state file:", err)
	}
}

// saveShot writes a screenshot into dir and returns its path.
func (p *platform) saveShot(dir, name string, b []byte) (string, error) {
	path := filepath.Join(dir, name)
	if abs, err := filepath.Abs(path); err == nil {
		path = abs // the message says where it went, in full
	}
	return path, model.WriteFileAtomic(path, b)
}

// openDialog runs the system's file chooser (zenity, else kdialog) in the
// background; without one it says so and points at the other ways.
func (g *Game) openDialog() {
	var cmd *exec.Cmd
	if p, err := exec.LookPath("zenity"); err == nil {
		cmd = exec.Command(p, "--file-selection", "--title=Load a hebbsim rule file", "--file-filter=Rule files | *.npz", "--file-filter=All files | *")
	} else if p, err := exec.LookPath("kdialog"); err == nil {
		cmd = exec.Command(p, "--getopenfilename", ".", "*.npz")
	} else {
		g.app.Info("no native file dialog here (zenity or kdialog): drop a file on the window, use --rules, or the list (L)")
		return
	}
	go func() {
		out, err := cmd.Output()
		if err != nil { // cancelled
			g.dialogDone <- ""
			return
		}
		g.dialogDone <- strings.TrimSpace(string(out))
	}()
}
