package model

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/hebbsim/hebbsim/brain"
	"github.com/hebbsim/hebbsim/sim"
)

// Brain is a controller whose dense layers the app can inspect.
type Brain interface {
	sim.Controller
	// Layers returns views of the dense layers, input side first. The
	// slices alias the network's own memory: read them, never keep them
	// across a Reset of the rules.
	Layers() []Layer
	// CoefNames names the rule coefficients of a synapse (nil if static).
	CoefNames() []string
	// Plastic reports whether Update changes the weights.
	Plastic() bool
}

// Rules describes what drives a scene: a rule file or random coefficients.
type Rules struct {
	Name       string // file name, or "random coefficients"
	Path       string // the file it came from ("" for bundled or random)
	Env        string // the env the rules are for
	Obs        string // the env's observation mode ("" default)
	Rule       string // rule variant, e.g. "ABCD_lr", or "static"
	Arch       string // e.g. "24→128→64→8"
	Normalize  bool
	Provenance string // how it was evolved, one line
	Evolved    bool   // false: freshly random coefficients, nothing evolved

	// NewBrain builds a network with these rules.
	NewBrain func() (Brain, error)
}

// Net adapts a *brain.Network to Brain.
type Net struct {
	*brain.Network
	views []Layer
	names []string
}

// NewNet wraps n.
func NewNet(n *brain.Network) *Net {
	names := append([]string(nil), n.Rule().CoeffNames...)
	for i, s := range names {
		names[i] = strings.ReplaceAll(s, "eta", "η")
	}
	return &Net{Network: n, names: names}
}

// Layers implements Brain.
func (n *Net) Layers() []Layer {
	ls := n.Network.Layers()
	if len(n.views) != len(ls) {
		n.views = make([]Layer, len(ls))
	}
	for i, L := range ls {
		n.views[i] = Layer{In: L.In, Out: L.Out, K: L.K, W: L.W, DW: L.DW, Pre: L.Pre, Post: L.Post, Coeffs: L.Coeffs, MaxAbs: L.MaxAbs}
	}
	return n.views
}

// CoefNames implements Brain.
func (n *Net) CoefNames() []string { return n.names }

// Plastic implements Brain.
func (n *Net) Plastic() bool { return !n.Rule().Static() }

// Frozen wraps a plastic Brain so that Update does nothing: the network
// keeps the random weights it drew at Reset. It stands in for the static
// baseline in compare mode when no evolved static weights are loaded.
type Frozen struct{ Brain }

// Update implements sim.Controller: nothing changes.
func (Frozen) Update() {}

// Plastic implements Brain.
func (Frozen) Plastic() bool { return false }

// ArchString writes layer sizes as "a→b→c", with "CNN→" in front for the
// pixel network.
func ArchString(a brain.Arch) string {
	parts := make([]string, len(a.Layers))
	for i, n := range a.Layers {
		parts[i] = fmt.Sprint(n)
	}
	s := strings.Join(parts, "→")
	if a.CNN {
		s = "84×84×3 CNN→" + s
	}
	return s
}

// RandomRules are freshly random Hebbian coefficients for arch, drawn
// N(0, 1) from seed, as evolution starts (DESIGN.md §1). They are what the
// app runs until an evolved rule file is loaded, and it says so.
func RandomRules(env string, arch brain.Arch, seed uint64) (*Rules, error) {
	if err := arch.Validate(); err != nil {
		return nil, err
	}
	rule := arch.Rule
	if rule == "" {
		rule = brain.DefaultRule
	}
	return &Rules{
		Name: "random coefficients", Env: env, Rule: rule, Arch: ArchString(arch),
		Normalize: arch.Normalize, Provenance: fmt.Sprintf("coefficients drawn ~ N(0,1) with seed %d; nothing evolved", seed),
		NewBrain: func() (Brain, error) {
			n, err := brain.NewNetwork(arch)
			if err != nil {
				return nil, err
			}
			theta := make([]float64, n.NumParams())
			rng := rand.New(rand.NewPCG(seed, 0x72756c6573))
			for i := range theta {
				theta[i] = rng.NormFloat64()
			}
			if a := n.Arch(); a.CNN {
				// Conv weights: small, so the features are not saturated.
				for i := len(theta) - brain.CNNParams; i < len(theta); i++ {
					theta[i] *= 0.2
				}
			}
			if err := n.SetParams(theta); err != nil {
				return nil, err
			}
			return NewNet(n), nil
		},
	}, nil
}

// SeesVector reports whether the network sees a short vector of values
// (the racer's rays, alone or with slip and wheel spin) rather than
// pixels: the inset then shows those values and the world view the rays.
func (r *Rules) SeesVector() bool {
	return r != nil && (r.Obs == "rays" || r.Obs == "grip" || r.Obs == "traction" || r.Obs == "compass")
}
