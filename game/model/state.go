package model

import (
	"encoding/json"
	"sort"
)

// State is the app's state as JSON, for the end-to-end test and for
// anyone scripting the app (--state-file).
type State struct {
	Scene      string            `json:"scene"`
	Seed       int64             `json:"seed"`
	Step       int               `json:"step"`
	Return     float64           `json:"return"`
	Done       bool              `json:"done"`
	Paused     bool              `json:"paused"`
	Speed      string            `json:"speed"`
	SpeedIndex int               `json:"speed_index"`
	Max        bool              `json:"max"`
	Kind       string            `json:"kind"`
	Damage     map[string]string `json:"damage"` // what the env reports
	Want       map[string]string `json:"want"`   // what was asked for
	Marks      []Mark            `json:"marks"`
	Rules      string            `json:"rules"`
	Rule       string            `json:"rule"`
	Arch       string            `json:"arch"`
	Evolved    bool              `json:"evolved"`
	Compare    bool              `json:"compare"`
	Lanes      []LaneState       `json:"lanes"`
	View       string            `json:"view"`
	Help       bool              `json:"help"`
	Panels     bool              `json:"panels"`
	Message    string            `json:"message"`
	Error      string            `json:"error"` // the last error shown
	StepsTotal int64             `json:"steps_total"`
	Tour       TourState         `json:"tour"`
	Pin        *Pin              `json:"pin"`   // the synapse under the microscope
	Scope      *Scope            `json:"scope"` // its reading
	Order      string            `json:"order"` // the heatmaps' order
	Recording  bool              `json:"recording"`
	HeatPics   []Rect            `json:"heat_pics"` // where each layer's heatmap picture is (filled by the game)
	Clip       string            `json:"clip"`      // the last clip written
	// The Evolve mode.
	EvolveOn bool   `json:"evolve_on"`
	EvoState string `json:"evo_state"`
	EvoGen   int    `json:"evo_gen"`
	EvoMsg   string `json:"evo_msg"`
	EvoSaved string `json:"evo_saved"`   // the last rule file saved from the run
	EvoCmd   string `json:"evo_command"` // the panel's settings as a hebb evolve command
	DemoGen  int    `json:"demo_gen"`    // the centre the demo runs (-1: random)

	// Filled by the game.
	Frame      int64   `json:"frame"`
	FPS        float64 `json:"fps"`
	TPS        float64 `json:"tps"`
	StepsPerS  float64 `json:"steps_per_s"`
	Width      int     `json:"width"`
	Height     int     `json:"height"`
	Screenshot string  `json:"screenshot"` // the last screenshot written
	// Episode is the scene's episode counter; HUDEpisode and PlotEpisodes
	// are the episodes the HUD and each plot showed in the last frame
	// drawn, and OutOfStepFrames counts the frames in which a plot showed
	// another episode than the HUD.
	Episode         int   `json:"episode"`
	HUDEpisode      int   `json:"hud_episode"`
	PlotEpisodes    []int `json:"plot_episodes"`
	OutOfStepFrames int64 `json:"out_of_step_frames"`
	// Buttons are the centres of the buttons on screen, by command (for
	// tests that click one).
	Buttons map[string][2]int `json:"buttons"`
	// TargetPoints are screen points where a click hits each damage
	// target of the main lane (for tests that click a leg).
	TargetPoints map[string][2]int `json:"target_points"`
}

// TourState is the guided tour in State.
type TourState struct {
	Active  bool `json:"active"`
	Step    int  `json:"step"` // 0-based
	Steps   int  `json:"steps"`
	Pending int  `json:"pending"` // commands waiting for their step
}

// LaneState is one lane in State.
type LaneState struct {
	Label    string  `json:"label"`
	Step     int     `json:"step"`
	Return   float64 `json:"return"`
	Done     bool    `json:"done"`
	Err      string  `json:"err,omitempty"`
	Distance float64 `json:"distance"`
	// Where the camera's view is, where the body's focus point is drawn
	// and whether that lies inside the view (screen pixels).
	View   Rect       `json:"view"`
	Body   [2]float64 `json:"body"`
	InView bool       `json:"body_in_view"`
}

// State snapshots the app.
func (a *App) State() State {
	sc := a.cur()
	m := sc.Main()
	st := State{
		Scene: sc.Spec.Name, Seed: sc.Seed, Step: m.Ep.Index(), Return: m.Ep.Return(), Done: sc.Done(),
		Paused: a.Paused, Speed: a.SpeedLabel(), SpeedIndex: a.Speed, Max: a.Max,
		Kind: sc.kind(), Damage: map[string]string{}, Want: map[string]string{},
		Marks: append([]Mark{}, sc.Marks...), Rules: sc.Rules.Name, Rule: sc.Rules.Rule, Arch: sc.Rules.Arch,
		Evolved: sc.Rules.Evolved, Compare: sc.Compare, View: ViewNames[a.View], Help: a.Help, Panels: a.Panels,
		Message: a.Msg.Text, Error: a.LastErr, StepsTotal: a.StepsTotal, Episode: sc.Episode,
	}
	es := a.Evo.Snapshot()
	st.EvolveOn, st.EvoState, st.EvoGen, st.EvoMsg, st.EvoSaved, st.DemoGen = a.EvoOn, es.State.String(), es.Gen, es.Msg, a.EvoSave, a.evoGen
	st.EvoCmd = a.Evo.Set.Run.Command(a.Evo.Set.Gens)
	if d := sc.Damageable(); d != nil {
		for k, v := range d.DamageState() {
			st.Damage[k] = v
		}
	}
	for k, v := range sc.Want {
		st.Want[k] = v
	}
	for _, l := range sc.Lanes {
		bx, by := l.Cam.ToScreen(l.Env.Focus())
		st.Lanes = append(st.Lanes, LaneState{Label: l.Label, Step: l.Ep.Index(), Return: l.Ep.Return(), Done: l.Done(), Err: l.Err,
			Distance: l.Info.Distance, View: l.Cam.View, Body: [2]float64{bx, by}, InView: l.Cam.InView(l.Env.Focus())})
	}
	st.Tour = TourState{Active: a.Tour.Active, Step: a.Tour.Step, Pending: len(a.Tour.pending)}
	if a.Tour.Script != nil {
		st.Tour.Steps = len(a.Tour.Script.Steps)
	}
	if p, ok := a.Pinned(); ok {
		st.Pin = &p
		if sc := a.scope; sc.finite() {
			st.Scope = &sc
		}
	}
	st.Order = OrderNames[a.Order]
	st.Recording, st.Clip = a.Recording, a.LastClip
	return st
}

// JSON encodes s (keys sorted, indented).
func (s State) JSON() []byte {
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		panic("model: state: " + err.Error())
	}
	return append(b, '\n')
}

// sortedKeys returns m's keys in order.
func sortedKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
