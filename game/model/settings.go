package model

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/hebbsim/hebbsim/internal/atomicfile"
)

// Settings are what the app remembers between runs.
type Settings struct {
	Scene     string   `json:"scene"`      // last scene ("quadruped", "racer")
	Speed     int      `json:"speed"`      // rung of Speeds
	View      string   `json:"view"`       // heatmap view name
	Kind      string   `json:"kind"`       // last damage kind chosen for the quadruped
	Panels    bool     `json:"panels"`     // heatmaps and plots shown
	Recent    []string `json:"recent"`     // recently loaded rule files, newest first
	WindowW   int      `json:"window_w"`   // window size in device-independent pixels
	WindowH   int      `json:"window_h"`   //
	ShotsDir  string   `json:"shots_dir"`  // where F12 writes PNGs ("" = current dir)
	AutoReset bool     `json:"auto_reset"` // start the next episode when one ends
	ClipWorld bool     `json:"clip_world"` // F9 clips record the world view only (else the window)
	// Evolve is the Evolve panel's settings (nil: the defaults).
	Evolve *EvolveSettings `json:"evolve,omitempty"`
}

// MaxRecent bounds the recent-files list.
const MaxRecent = 8

// DefaultSettings are the settings of a first run.
func DefaultSettings() Settings {
	return Settings{Scene: "quadruped", Speed: DefaultSpeed, View: "w", Kind: "shorten",
		Panels: true, WindowW: 1280, WindowH: 720, AutoReset: true}
}

// SettingsPath is os.UserConfigDir()/hebbsim/settings.json; the
// HEBBSIM_CONFIG_DIR environment variable overrides the directory (tests).
func SettingsPath() (string, error) {
	if d := os.Getenv("HEBBSIM_CONFIG_DIR"); d != "" {
		return filepath.Join(d, "settings.json"), nil
	}
	d, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("settings: %w", err)
	}
	return filepath.Join(d, "hebbsim", "settings.json"), nil
}

// LoadSettings reads path. A missing file gives the defaults and no error;
// a corrupt one gives the defaults and an error to show.
func LoadSettings(path string) (Settings, error) {
	s := DefaultSettings()
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return s, nil
	}
	if err != nil {
		return s, fmt.Errorf("settings: %w", err)
	}
	s, err = DecodeSettings(b)
	if err != nil {
		return s, fmt.Errorf("settings %s: %w", path, err)
	}
	return s, nil
}

// DecodeSettings reads settings from JSON (a file's bytes, or the
// browser's local storage), filling what is missing with the defaults and
// clamping what is out of range. Corrupt JSON gives the defaults and an
// error to show.
func DecodeSettings(b []byte) (Settings, error) {
	s := DefaultSettings()
	if err := json.Unmarshal(b, &s); err != nil {
		return DefaultSettings(), err
	}
	s.Speed = clampInt(s.Speed, 0, len(Speeds)-1)
	if _, ok := ParseView(s.View); !ok {
		s.View = "w"
	}
	if len(s.Recent) > MaxRecent {
		s.Recent = s.Recent[:MaxRecent]
	}
	if s.WindowW <= 0 || s.WindowH <= 0 {
		s.WindowW, s.WindowH = 1280, 720
	}
	s.WindowW, s.WindowH = max(s.WindowW, MinW), max(s.WindowH, MinH)
	return s, nil
}

// Save writes s to path atomically (temp file + rename), creating the
// directory.
func (s Settings) Save(path string) error {
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return fmt.Errorf("settings: %w", err)
	}
	return WriteFileAtomic(path, append(b, '\n'))
}

// AddRecent puts path first in the recent list, without duplicates.
func (s *Settings) AddRecent(path string) {
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	out := []string{path}
	for _, p := range s.Recent {
		if p != path && len(out) < MaxRecent {
			out = append(out, p)
		}
	}
	s.Recent = out
}

// WriteFileAtomic writes data atomically (atomicfile.Write), creating the
// directory if needed.
func WriteFileAtomic(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return atomicfile.Write(path, func(w io.Writer) error { _, err := w.Write(data); return err })
}
