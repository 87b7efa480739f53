package model

import (
	"github.com/hebbsim/hebbsim/brain"
	"github.com/hebbsim/hebbsim/physics"
	"github.com/hebbsim/hebbsim/sim"
)

// sceneDefaults are the app's view of each registered environment.
var sceneDefaults = map[string]struct {
	title string
	zoom  float64 // pixels per metre at scale 1
	track bool    // progress is the share of the track visited, not metres
}{
	"quadruped": {"Quadruped", 42, false},
	"racer":     {"Racer", 6, true},
}

// Specs are the app's scenes, from the sim registry (house rule 3): the
// quadruped, then the racer.
func Specs() []SceneSpec {
	var out []SceneSpec
	for _, name := range []string{"quadruped", "racer"} {
		es, err := sim.Lookup(name)
		if err != nil {
			continue
		}
		d := sceneDefaults[name]
		out = append(out, SceneSpec{
			Name:  name,
			Title: d.title,
			NewEnv: func(obs string) (physics.Env, error) {
				obs, err := es.CheckObs(obs)
				if err != nil {
					return nil, err
				}
				return es.New(obs)
			},
			Arch:  func(int, int) brain.Arch { return es.Arch(es.ObsModes[0]) },
			Hz:    50,
			Zoom:  d.zoom,
			Track: d.track,
		})
	}
	return out
}
