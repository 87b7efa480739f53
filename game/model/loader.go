package model

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/hebbsim/hebbsim/assets"
	"github.com/hebbsim/hebbsim/brain"
)

// FileLoader loads brain rule files from disk and from the bundled assets.
type FileLoader struct{}

// Load implements RuleLoader.
func (FileLoader) Load(path string) (*Rules, error) {
	rf, err := brain.Load(path)
	if err != nil {
		return nil, err
	}
	r, err := RulesFromFile(rf, filepath.Base(path))
	if err != nil {
		return nil, err
	}
	r.Path = path
	return r, nil
}

// Bundled implements RuleLoader.
func (FileLoader) Bundled() []string { return assets.RuleFiles() }

// LoadBundled implements RuleLoader.
func (FileLoader) LoadBundled(name string) (*Rules, error) {
	b, err := assets.Open(name)
	if err != nil {
		return nil, err
	}
	rf, err := brain.Decode(b)
	if err != nil {
		return nil, err
	}
	return RulesFromFile(rf, name)
}

// Defaults implements RuleLoader: the first bundled Hebbian file for env
// (names containing "hebbian" win) and the first static one.
func (l FileLoader) Defaults(env string) (hebbian, static *Rules) {
	var plastic []*Rules
	// By stem, so that a name comes before its variants
	// (racer-hebbian-pixels before racer-hebbian-pixels-paper).
	names := l.Bundled()
	slices.SortFunc(names, func(a, b string) int {
		return strings.Compare(strings.TrimSuffix(a, ".npz"), strings.TrimSuffix(b, ".npz"))
	})
	for _, name := range names {
		r, err := l.LoadBundled(name)
		if err != nil || r.Env != env {
			continue
		}
		if r.Rule == brain.StaticName {
			if static == nil {
				static = r
			}
			continue
		}
		if strings.Contains(name, "hebbian") {
			// racer-hebbian-pixels (evolved with the perturbations)
			// comes before …-pixels-paper and …-rays.
			hebb := 0
			for hebb < len(plastic) && strings.Contains(plastic[hebb].Name, "hebbian") {
				hebb++
			}
			plastic = append(plastic[:hebb], append([]*Rules{r}, plastic[hebb:]...)...)
		} else {
			plastic = append(plastic, r)
		}
	}
	if len(plastic) > 0 {
		hebbian = plastic[0]
	}
	return hebbian, static
}

// RulesFromFile describes rf and builds networks from it.
func RulesFromFile(rf *brain.RuleFile, name string) (*Rules, error) {
	m := rf.Meta
	a, err := m.Arch()
	if err != nil {
		return nil, err
	}
	if _, err := rf.NewNetwork(); err != nil {
		return nil, err
	}
	p := m.Provenance
	prov := fmt.Sprintf("evolved %d generations, fitness %.1f, seed %d", p.Generations, p.Fitness, p.Seed)
	if p.Date != "" {
		prov += ", " + p.Date
	}
	if m.Description != "" {
		prov = m.Description + " — " + prov
	}
	return &Rules{
		Name: name, Env: m.Env, Obs: m.Obs, Rule: a.Rule, Arch: ArchString(a), Normalize: a.Normalize,
		Provenance: prov, Evolved: true,
		NewBrain: func() (Brain, error) {
			n, err := rf.NewNetwork()
			if err != nil {
				return nil, err
			}
			return NewNet(n), nil
		},
	}, nil
}

// errPrefixes are the package and context prefixes that wrapped errors
// stack up ("brain: rule file: … zip: …"); a user reads the reason
// without them.
var errPrefixes = map[string]bool{"brain": true, "rule file": true, "sim": true, "model": true, "physics": true, "zip": true, "assets": true}

// Reason is err as one short line for a user who already sees which file
// it is about: the path (given once by the caller) and stacked package
// prefixes are removed.
func Reason(err error, path string) string {
	s := err.Error()
	if path != "" {
		for _, p := range []string{"open " + path + ": ", "stat " + path + ": ", path + ": ", path} {
			s = strings.ReplaceAll(s, p, "")
		}
	}
	var keep []string
	for _, part := range strings.Split(s, ": ") {
		if part = strings.TrimSpace(part); part != "" && !errPrefixes[part] {
			keep = append(keep, part)
		}
	}
	return strings.Join(keep, ": ")
}
