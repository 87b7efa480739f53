package sim

import (
	"testing"

	"github.com/hebbsim/hebbsim/brain"
)

// Every registered environment, every observation mode and every rule
// variant (and static) runs a few steps through the pool (house rule 8).
func TestEveryEnvEveryRule(t *testing.T) {
	steps := 5
	for _, spec := range Envs() {
		for _, obs := range spec.ObsModes {
			for _, rule := range brain.RuleNames() {
				cfg := TrainConfig{Env: spec.Name, Obs: obs, MaxSteps: steps, Seed: 1}
				cfg.Arch = spec.Arch(obs)
				cfg.Arch.Rule = rule
				cfg.ES.Pop = 2
				tr, err := NewTrainer(cfg, 1)
				if err != nil {
					t.Errorf("%s/%s/%s: %v", spec.Name, obs, rule, err)
					continue
				}
				g, err := tr.Step()
				if err != nil {
					t.Errorf("%s/%s/%s: %v", spec.Name, obs, rule, err)
					continue
				}
				if g.EnvSteps == 0 || g.EnvSteps > int64(2*steps) || g.Panics > 0 {
					t.Errorf("%s/%s/%s: have %d env steps, %d panics; want 1…%d steps, 0 panics", spec.Name, obs, rule, g.EnvSteps, g.Panics, 2*steps)
				}
			}
		}
	}
}

func TestParseEvents(t *testing.T) {
	cases := []struct {
		in, def string
		want    []Event
		bad     bool
	}{
		{"", "", nil, false},
		{"FL:shorten@300", "", []Event{{Step: 300, Damage: dmg("FL", "shorten")}}, false},
		{"FL:shorten@300, BR:paralyze@500", "", []Event{{Step: 300, Damage: dmg("FL", "shorten")}, {Step: 500, Damage: dmg("BR", "paralyze")}}, false},
		{"oil@200", "car", []Event{{Step: 200, Damage: dmg("car", "oil")}}, false},
		{"FL:repair@10,all:repair@20", "", []Event{{Step: 10, Damage: dmg("FL", ""), Repair: true}, {Step: 20, Repair: true}}, false},
		{"FL:shorten", "", nil, true},
		{"FL:shorten@-3", "", nil, true},
		{"shorten@3", "", nil, true},
		{"FL:shorten@x", "", nil, true},
	}
	for _, c := range cases {
		have, err := ParseEvents(c.in, c.def)
		if (err != nil) != c.bad {
			t.Errorf("ParseEvents(%q): err %v, want error %v", c.in, err, c.bad)
			continue
		}
		if len(have) != len(c.want) {
			t.Errorf("ParseEvents(%q): have %+v want %+v", c.in, have, c.want)
			continue
		}
		for i := range have {
			if have[i].Step != c.want[i].Step || have[i].Damage != c.want[i].Damage || have[i].Repair != c.want[i].Repair {
				t.Errorf("ParseEvents(%q): have %+v want %+v", c.in, have, c.want)
			}
		}
	}
}
