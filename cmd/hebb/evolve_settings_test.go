package main

import (
	"testing"

	"github.com/hebbsim/hebbsim/sim"
)

// The app's Evolve panel starts from sim.DefaultRunSettings and writes
// `hebb evolve` commands from sim.RunSettings.Flags: both must agree with
// the real flags and their defaults.
func TestRunSettingsMatchEvolveFlags(t *testing.T) {
	fs := newEvolve().Flags()
	for _, f := range sim.DefaultRunSettings().Flags() {
		fl := fs.Lookup(f.Name)
		if fl == nil {
			t.Errorf("sim.RunSettings has --%s, hebb evolve has no such flag", f.Name)
			continue
		}
		if fl.DefValue != f.Value {
			t.Errorf("--%s: hebb evolve's default %q, sim.DefaultRunSettings %q", f.Name, fl.DefValue, f.Value)
		}
	}
}
