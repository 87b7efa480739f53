package model

import "testing"

// The app opens each body with the bundled files a user should see first:
// the Hebbian file named "hebbian" for the env (for the racer the pixel
// one evolved with the perturbations, sorted before "-pixels-paper" and
// "-rays") and its static partner.
func TestFileLoaderDefaults(t *testing.T) {
	for env, want := range map[string][2]string{
		"quadruped": {"quadruped-hebbian.npz", "quadruped-static.npz"},
		"racer":     {"racer-hebbian-pixels.npz", "racer-static-pixels.npz"},
	} {
		h, s := FileLoader{}.Defaults(env)
		if h == nil || s == nil {
			t.Fatalf("%s: defaults %v, %v; want a Hebbian and a static file", env, h, s)
		}
		if h.Name != want[0] || s.Name != want[1] {
			t.Errorf("%s: default files %q and %q, want %q and %q", env, h.Name, s.Name, want[0], want[1])
		}
		if h.Env != env || s.Env != env {
			t.Errorf("%s: defaults are for %q and %q", env, h.Env, s.Env)
		}
		if s.Rule != "static" || h.Rule == "static" {
			t.Errorf("%s: rules %q (Hebbian) and %q (static)", env, h.Rule, s.Rule)
		}
	}
}
