package model

import "testing"

// The app opens each body with the bundled files a user should see first:
// the Hebbian file named "hebbian" for the env (for the racer the pixel
// one evolved with the perturbations, sorted before "-pixels-paper" and
// "-rays") and a static partner of the same env.
func TestFileLoaderDefaults(t *testing.T) {
	for env, want := range map[string]string{
		"quadruped": "quadruped-hebbian.npz",
		"racer":     "racer-hebbian-pixels.npz",
	} {
		h, s := FileLoader{}.Defaults(env)
		if h == nil || s == nil {
			t.Fatalf("%s: defaults %v, %v; want a Hebbian and a static file", env, h, s)
		}
		if h.Name != want {
			t.Errorf("%s: default Hebbian file %q, want %q", env, h.Name, want)
		}
		if h.Env != env || s.Env != env {
			t.Errorf("%s: defaults are for %q and %q", env, h.Env, s.Env)
		}
		if s.Rule != "static" || h.Rule == "static" {
			t.Errorf("%s: rules %q (Hebbian) and %q (static)", env, h.Rule, s.Rule)
		}
	}
}
