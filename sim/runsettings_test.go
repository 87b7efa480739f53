package sim

import (
	"strings"
	"testing"
)

func TestRunSettingsCheck(t *testing.T) {
	for _, c := range []struct {
		name string
		edit func(*RunSettings)
		want string // "" ok, else a substring of the error
	}{
		{"defaults", func(*RunSettings) {}, ""},
		{"odd population", func(s *RunSettings) { s.Pop = 7 }, "--pop 7 must be even"},
		{"zero sigma", func(s *RunSettings) { s.Sigma = 0 }, "--sigma 0 must be greater than 0"},
		{"negative sigma", func(s *RunSettings) { s.Sigma = -1 }, "--sigma -1"},
		{"unknown rule", func(s *RunSettings) { s.Rule = "XYZ" }, `--rule "XYZ" is not known`},
		{"unknown env", func(s *RunSettings) { s.Env = "moon" }, "unknown environment"},
		{"bad damage kind", func(s *RunSettings) { s.DamageProb, s.DamageKinds = 0.5, "melt" }, "unknown damage kind"},
		{"static", func(s *RunSettings) { s.Rule = "static" }, ""},
		{"racer rays", func(s *RunSettings) { s.Env, s.Obs = "racer", "rays" }, ""},
		{"racer clipped", func(s *RunSettings) { s.Env, s.Obs, s.Output = "racer", "traction", "racer-clip" }, ""},
		{"unknown output", func(s *RunSettings) { s.Output = "bang" }, `--output "bang" is not known: want one of tanh, racer, linear, racer-clip`},
		{"racer output on the walker", func(s *RunSettings) { s.Output = "racer-clip" }, "needs 3 outputs"},
		{"mirrored walker", func(s *RunSettings) { s.Mirror = "front,back" }, ""},
		{"unknown mirror", func(s *RunSettings) { s.Mirror = "left" }, `--mirror "left" is not a mirror of the quadruped: want one of back, front`},
		{"mirror twice", func(s *RunSettings) { s.Mirror = "front,front" }, "names front twice"},
		{"racer mirror", func(s *RunSettings) { s.Env, s.Obs, s.Mirror = "racer", "rays", "front" }, "it has none"},
		{"mirror, odd hidden", func(s *RunSettings) { s.Mirror, s.Hidden = "front", "33" }, "--mirror front: with 1 mirrors every hidden layer splits into 2 equal blocks"},
	} {
		s := DefaultRunSettings()
		c.edit(&s)
		err := s.Check()
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s: have error %v, want none", c.name, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%s: have error %v, want one containing %q", c.name, err, c.want)
		}
	}
}

func TestRunSettingsCommand(t *testing.T) {
	s := DefaultRunSettings()
	if have, want := s.Command(5), "hebb evolve --gens 5"; have != want {
		t.Errorf("defaults: have %q, want %q", have, want)
	}
	s.Pop, s.Seed, s.Common = 16, 7, false
	if have, want := s.Command(3), "hebb evolve --common=false --gens 3 --pop 16 --seed 7"; have != want {
		t.Errorf("have %q, want %q", have, want)
	}
}

func TestPresets(t *testing.T) {
	for _, c := range []struct {
		env, preset string
		kinds       []string
	}{
		{"quadruped", PresetHealthy, nil},
		{"quadruped", PresetDamage, []string{"shorten", "amputate", "paralyze", "weaken", "lock"}},
		{"racer", PresetPerturb, []string{"oil", "engine", "steering"}},
	} {
		s := DefaultRunSettings()
		s.Env = c.env
		if err := s.ApplyPreset(c.preset); err != nil {
			t.Fatalf("%s %s: %v", c.env, c.preset, err)
		}
		if have := s.Preset(); have != c.preset {
			t.Errorf("%s: preset reads back as %q, want %q", c.env, have, c.preset)
		}
		cfg, err := s.TrainConfig()
		if err != nil {
			t.Fatalf("%s %s: %v", c.env, c.preset, err)
		}
		d := cfg.Protocol.Damage
		if c.kinds == nil {
			if d.Prob != 0 {
				t.Errorf("%s healthy: damage probability %v", c.env, d.Prob)
			}
			continue
		}
		if d.Prob != 0.5 || len(d.Targets) != 0 || strings.Join(d.Kinds, ",") != strings.Join(c.kinds, ",") {
			t.Errorf("%s %s: damage %+v, want p 0.5 on every target with kinds %v", c.env, c.preset, d, c.kinds)
		}
		if err := s.Check(); err != nil {
			t.Errorf("%s %s: %v", c.env, c.preset, err)
		}
	}
	s := DefaultRunSettings()
	if err := s.ApplyPreset(PresetPerturb); err == nil {
		t.Error("the racer's perturbations applied to the quadruped")
	}
}
