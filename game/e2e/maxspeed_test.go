package e2e

import (
	"encoding/json"
	"os"
	"testing"
	"time"
)

// stepState is what TestPlotsAndHUDShowTheSameEpisodeAtMaxSpeed reads.
type stepState struct {
	state
	Episode         int   `json:"episode"`
	HUDEpisode      int   `json:"hud_episode"`
	PlotEpisodes    []int `json:"plot_episodes"`
	OutOfStepFrames int64 `json:"out_of_step_frames"`
}

// TestPlotsAndHUDShowTheSameEpisodeAtMaxSpeed runs both scenes as fast as
// possible (M) across several episode restarts, and checks with the app's
// own count that in no frame drawn did a plot show another episode than
// the HUD (the plots used to be re-rendered on staggered frames, so after
// a restart some still showed the old episode).
func TestPlotsAndHUDShowTheSameEpisodeAtMaxSpeed(t *testing.T) {
	needDisplay(t)
	bin := build(t)
	a := start(t, bin, "--scene", "quadruped")
	read := func() stepState {
		var s stepState
		a.readInto(&s)
		return s
	}
	a.key("m", "max speed", func(s state) bool { return s.Speed == "max" })
	for _, scene := range []string{"quadruped", "racer"} {
		if scene == "racer" {
			a.key("bracketright", "racer", func(s state) bool { return s.Scene == "racer" })
		}
		first := read().Episode
		deadline := time.Now().Add(40 * time.Second)
		samples, mismatched := 0, 0
		for {
			s := read()
			if s.Scene == scene && len(s.PlotEpisodes) == 4 {
				samples++
				for _, ep := range s.PlotEpisodes {
					if ep != s.HUDEpisode {
						mismatched++
						t.Logf("%s frame %d: HUD shows episode %d, plots %v", scene, s.Frame, s.HUDEpisode, s.PlotEpisodes)
						break
					}
				}
				if s.Episode >= first+3 {
					t.Logf("%s: episodes %d → %d at max speed, %d state samples, %d frames out of step in all",
						scene, first, s.Episode, samples, s.OutOfStepFrames)
					break
				}
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: fewer than 3 episodes in 40 s at max speed (episode %d → %d)", scene, first, s.Episode)
			}
			time.Sleep(30 * time.Millisecond)
		}
		if s := read(); s.OutOfStepFrames != 0 || mismatched != 0 {
			t.Errorf("%s at max speed: %d frames drawn with a plot of another episode than the HUD (%d of %d state samples)",
				scene, s.OutOfStepFrames, mismatched, samples)
		}
	}
}

// readInto decodes the state file into v (which may hold more fields than
// state); it leaves v as it is when the file is not readable yet.
func (a *app) readInto(v any) bool {
	b, err := os.ReadFile(a.state)
	if err != nil {
		return false
	}
	return json.Unmarshal(b, v) == nil
}
