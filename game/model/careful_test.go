package model

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Items of issue 17: what a careful user checks.

func TestBundledNameLoadsAsHebbAcceptsIt(t *testing.T) {
	a, err := NewApp(Specs(), DefaultSettings(), FileLoader{})
	if err != nil {
		t.Fatal(err)
	}
	a.Do("rules:racer-hebbian-rays")
	sc := a.Current()
	if a.LastErr != "" || sc.Spec.Name != "racer" || sc.Rules.Name != "racer-hebbian-rays.npz" || sc.Rules.Obs != "rays" {
		t.Fatalf("have error %q, scene %s, rules %q", a.LastErr, sc.Spec.Name, sc.Rules.Name)
	}
	// Loading it from the quadruped switched the scene: the message says so.
	if !strings.Contains(a.Msg.Text, "switched to the Racer scene") {
		t.Errorf("message %q does not say the scene changed", a.Msg.Text)
	}
	if a.Settings.Recent[0] != BundledPrefix+"racer-hebbian-rays.npz" {
		t.Errorf("recent: have %v", a.Settings.Recent)
	}
}

func TestLoadErrorsNameTheFileOnceWithoutPrefixes(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.npz")
	os.WriteFile(bad, []byte("not a zip"), 0o644)
	a, err := NewApp(Specs(), DefaultSettings(), FileLoader{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ path, want string }{
		{bad, "cannot load bad.npz: not an .npz (zip) archive: not a valid zip file"},
		{filepath.Join(dir, "none.npz"), "cannot load none.npz: no such file or directory"},
	} {
		a.LastErr = ""
		a.Do("rules:" + c.path)
		if a.LastErr != c.want {
			t.Errorf("have %q, want %q", a.LastErr, c.want)
		}
	}
	if have := Reason(errors.New("brain: rule file: sim: x"), ""); have != "x" {
		t.Errorf("Reason: have %q", have)
	}
}

func TestRacerSaysTrackFromStepZero(t *testing.T) {
	for _, sp := range Specs() {
		sc, err := NewScene(sp, nil, 1)
		if err != nil {
			t.Fatal(err)
		}
		want, unit := "distance (m)", " m"
		if sp.Name == "racer" {
			want, unit = "track visited (%)", "%"
		}
		if sp.ProgressTitle() != want || !strings.HasSuffix(sc.Main().ProgressText(), unit) {
			t.Errorf("%s at step 0: title %q, HUD %q; want %q and a value in%s", sp.Name, sp.ProgressTitle(), sc.Main().ProgressText(), want, unit)
		}
	}
}

func TestNonNegativePlotNeverGoesBelowZero(t *testing.T) {
	for _, data := range [][]float64{{0, 0.01, 0.02}, {0, 0, 0}, {0.5, 0.5}, nil} {
		p := PlotSpec{Lines: []Line{{Data: data}}, NonNegative: true}
		if lo, hi := p.Range(); lo < 0 || !(hi > lo) || math.IsNaN(hi) {
			t.Errorf("%v: range [%v, %v], want lo ≥ 0 < hi", data, lo, hi)
		}
	}
}

func TestToolbarDoesNotSayMaxTwice(t *testing.T) {
	a := newTestApp()
	a.Do(CmdMax)
	n := 0
	for _, it := range a.Items(ComputeLayout(1280, 720, 1, true, 1, []int{6, 16, 8})) {
		if it.Text == "max" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("at max speed the toolbar says \"max\" %d times, want once", n)
	}
}

func TestSpreadLabelsSeparatesStackedLabels(t *testing.T) {
	in := []Rect{{10, 10, 60, 14}, {12, 14, 60, 14}, {200, 10, 30, 14}, {15, 12, 40, 14}}
	out := SpreadLabels(in, 2)
	for i := range out {
		if out[i].X != in[i].X || out[i].Y < in[i].Y {
			t.Errorf("label %d moved sideways or up: %v → %v", i, in[i], out[i])
		}
		for j := range out[:i] {
			if overlaps(out[i], out[j]) {
				t.Errorf("labels %d %v and %d %v overlap", i, out[i], j, out[j])
			}
		}
	}
	if out[2] != in[2] {
		t.Errorf("a label with room moved: %v", out[2])
	}
}

func TestRememberedWindowIsNeverBelowTheMinimum(t *testing.T) {
	path := filepath.Join(t.TempDir(), "settings.json")
	for _, c := range []struct{ w, h, wantW, wantH int }{{100, 50, MinW, MinH}, {0, 0, 1280, 720}, {1100, 700, 1100, 700}, {2000, 500, 2000, MinH}} {
		s := DefaultSettings()
		s.WindowW, s.WindowH = c.w, c.h
		if err := s.Save(path); err != nil {
			t.Fatal(err)
		}
		got, err := LoadSettings(path)
		if err != nil || got.WindowW != c.wantW || got.WindowH != c.wantH {
			t.Errorf("saved %dx%d: loaded %dx%d (%v), want %dx%d", c.w, c.h, got.WindowW, got.WindowH, err, c.wantW, c.wantH)
		}
	}
}
