package sim

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/hebbsim/hebbsim/brain"
	"github.com/hebbsim/hebbsim/physics"
)

// EnvSpec is one entry of the registry of environments (house rule 3): the
// app, the tests, the benchmarks and the trainer all find environments
// here, so a new one appears everywhere at once.
type EnvSpec struct {
	Name string
	// ObsModes lists the observation modes; the first is the default.
	ObsModes []string
	// New builds an environment observing in mode obs (one of ObsModes).
	New func(obs string) (physics.Env, error)
	// Arch is the default network for mode obs (rule ABCD_lr).
	Arch func(obs string) brain.Arch
	// EarlyStop is the default early stop for training and evaluation.
	EarlyStop EarlyStop
	// MaxSteps is the episode length (1,000 in the paper).
	MaxSteps int
	// Fitness is the default training measure ("return" or "distance").
	Fitness string
	// Doc is a one-line description for help texts.
	Doc string
	// Mirrors are the body's symmetries a run may tie the genome to
	// (--mirror), by name; see brain.Mirror.
	Mirrors map[string]brain.Mirror
}

// MirrorNames lists the env's mirrors, sorted.
func (s EnvSpec) MirrorNames() []string { return slices.Sorted(maps.Keys(s.Mirrors)) }

// CheckObs returns the observation mode to use ("" means the default) or
// an error naming the valid ones.
func (s EnvSpec) CheckObs(obs string) (string, error) {
	if obs == "" {
		return s.ObsModes[0], nil
	}
	if !slices.Contains(s.ObsModes, obs) {
		return "", fmt.Errorf("sim: %s has no observation mode %q (valid: %s)", s.Name, obs, strings.Join(s.ObsModes, ", "))
	}
	return obs, nil
}

var (
	regMu    sync.RWMutex
	registry = map[string]EnvSpec{}
)

// Register adds an environment to the registry. A duplicate or incomplete
// spec is a programmer error and panics.
func Register(s EnvSpec) {
	if s.Name == "" || len(s.ObsModes) == 0 || s.New == nil || s.Arch == nil {
		panic(fmt.Sprintf("sim: Register: incomplete spec %q", s.Name))
	}
	regMu.Lock()
	defer regMu.Unlock()
	if _, dup := registry[s.Name]; dup {
		panic("sim: Register: duplicate environment " + s.Name)
	}
	if s.MaxSteps == 0 {
		s.MaxSteps = 1000
	}
	registry[s.Name] = s
}

// Envs returns the registered environments sorted by name.
func Envs() []EnvSpec {
	regMu.RLock()
	defer regMu.RUnlock()
	out := make([]EnvSpec, 0, len(registry))
	for _, s := range registry {
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// EnvNames returns the registered names, sorted.
func EnvNames() []string {
	var n []string
	for _, s := range Envs() {
		n = append(n, s.Name)
	}
	return n
}

// Lookup returns the environment called name or an error naming the
// registered ones.
func Lookup(name string) (EnvSpec, error) {
	regMu.RLock()
	s, ok := registry[name]
	regMu.RUnlock()
	if !ok {
		return EnvSpec{}, fmt.Errorf("sim: unknown environment %q (valid: %s)", name, strings.Join(EnvNames(), ", "))
	}
	return s, nil
}
