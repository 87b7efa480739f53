package model

import (
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"hash/fnv"
	"math"
)

// Trajectory is an episode of a scene with its default (bundled) rules,
// stepped exactly as the app steps its main lane, recorded so that two
// platforms can be compared: the desktop (amd64) and the browser
// (wasm), whose floating-point libraries may differ.
type Trajectory struct {
	Scene string      `json:"scene"`
	Rules string      `json:"rules"`
	Seed  int64       `json:"seed"`
	Steps int         `json:"steps"`    // steps taken (fewer than asked if the episode ended)
	Obs   [][]float32 `json:"obs"`      // the observation the network saw at each step
	Hash  string      `json:"hash"`     // FNV-1a over every observation and the final weights
	WHash string      `json:"w_hash"`   // FNV-1a over the final weights alone
	Ret   float64     `json:"return"`   // the episode's return after Steps
	Final float64     `json:"progress"` // metres walked (or % of track) after Steps
}

// RunTrajectory runs scene from seed for n steps with the bundled rules
// the app opens with (loader.Defaults) and records it.
func RunTrajectory(scene string, seed int64, n int, loader RuleLoader) (*Trajectory, error) {
	s := DefaultSettings()
	s.Scene = scene
	a, err := NewApp(Specs(), s, loader)
	if err != nil {
		return nil, err
	}
	sc := a.Current()
	if sc.Spec.Name != scene {
		return nil, fmt.Errorf("model: no scene %q", scene)
	}
	sc.Reset(seed)
	m := sc.Main()
	t := &Trajectory{Scene: scene, Rules: sc.Rules.Name, Seed: seed}
	h := fnv.New64a()
	var buf [8]byte
	for k := 0; k < n && !m.Done(); k++ {
		sc.Step(1)
		obs := append([]float32(nil), m.Ep.Obs()...)
		t.Obs = append(t.Obs, obs)
		for _, v := range obs {
			binary.LittleEndian.PutUint32(buf[:4], math.Float32bits(v))
			h.Write(buf[:4])
		}
		t.Steps++
	}
	hw := fnv.New64a()
	for _, L := range m.Brain.Layers() {
		for _, w := range L.W {
			binary.LittleEndian.PutUint32(buf[:4], math.Float32bits(w))
			h.Write(buf[:4])
			hw.Write(buf[:4])
		}
	}
	if m.Err != "" {
		return nil, fmt.Errorf("model: trajectory: %s", m.Err)
	}
	t.Hash, t.WHash = hex.EncodeToString(h.Sum(nil)), hex.EncodeToString(hw.Sum(nil))
	t.Ret, t.Final = m.Ep.Return(), m.Progress()
	return t, nil
}

// Diverge compares two trajectories and says where they first differ and
// by how much: the first step whose observations differ (-1: none), the
// largest |difference| of any observation value at that step and over the
// whole run.
func (t *Trajectory) Diverge(o *Trajectory) (first int, atFirst, worst float64) {
	first = -1
	n := min(len(t.Obs), len(o.Obs))
	for k := 0; k < n; k++ {
		d := 0.0
		for i := range min(len(t.Obs[k]), len(o.Obs[k])) {
			d = math.Max(d, math.Abs(float64(t.Obs[k][i])-float64(o.Obs[k][i])))
		}
		if d > 0 && first < 0 {
			first, atFirst = k, d
		}
		worst = math.Max(worst, d)
	}
	if first < 0 && len(t.Obs) != len(o.Obs) {
		first = n
	}
	return first, atFirst, worst
}
