package brain

import (
	"fmt"
	"slices"
)

// Mirror is a symmetry of the body a network drives: pairs of inputs and
// pairs of outputs that play the same part, such as the quadruped's FL
// and FR legs, which hang from one hip. A network whose Arch lists mirrors
// has a tied genome: a synapse and its mirror image share their rule
// coefficients (static: their weight), so whatever the rule does with one
// leg it does with the other, and which leg leads is left to the random
// starting weights and to what the body senses (docs/adaptation.md, Q-H8).
//
// The hidden layers carry the mirrors too: with k mirrors each hidden
// layer is 2^k blocks of equal size, and mirror m swaps the blocks whose
// numbers differ in bit m (unit r of block b with unit r of block b^(1<<m)).
//
// Only the genome is tied; the weights are each synapse's own. A rule file
// stores every synapse's coefficients, so a file evolved with mirrors
// loads as a network without them that behaves the same.
type Mirror struct {
	In  [][2]int `json:"in"`  // input pairs the mirror swaps
	Out [][2]int `json:"out"` // output pairs the mirror swaps
}

// MaxMirrors bounds Arch.Mirrors (each doubles the hidden blocks).
const MaxMirrors = 4

// checkMirrors validates a's mirrors against its layers.
func (a Arch) checkMirrors() error {
	if len(a.Mirrors) == 0 {
		return nil
	}
	if a.CNN {
		return fmt.Errorf("brain: mirrors need a vector observation, not the CNN")
	}
	if len(a.Mirrors) > MaxMirrors {
		return fmt.Errorf("brain: %d mirrors, at most %d allowed", len(a.Mirrors), MaxMirrors)
	}
	blocks := 1 << len(a.Mirrors)
	for i := 1; i < len(a.Layers)-1; i++ {
		if a.Layers[i]%blocks != 0 {
			return fmt.Errorf("brain: with %d mirrors every hidden layer splits into %d equal blocks; layer %d has %d units", len(a.Mirrors), blocks, i, a.Layers[i])
		}
	}
	for m, mi := range a.Mirrors {
		for _, side := range []struct {
			name  string
			pairs [][2]int
			size  int
		}{{"input", mi.In, a.Layers[0]}, {"output", mi.Out, a.Layers[len(a.Layers)-1]}} {
			seen := map[int]bool{}
			for _, p := range side.pairs {
				for _, u := range p {
					if u < 0 || u >= side.size {
						return fmt.Errorf("brain: mirror %d: %s %d is out of range [0, %d)", m, side.name, u, side.size)
					}
					if seen[u] {
						return fmt.Errorf("brain: mirror %d: %s %d appears twice", m, side.name, u)
					}
					seen[u] = true
				}
			}
		}
	}
	return nil
}

// tying maps each dense layer's synapses to genome slots: synapse s of
// layer l (s = j*In+i) takes its coefficients from slot slots[l][s].
type tying struct {
	slots [][]int32
	count []int // distinct slots per layer
}

// newTying computes the orbits of the synapses under the mirrors (nil
// when there are none): union-find over the edges "synapse → its image
// under mirror m", slots numbered in order of their first synapse.
func newTying(a Arch) *tying {
	if len(a.Mirrors) == 0 {
		return nil
	}
	t := &tying{}
	last := len(a.Layers) - 1
	for l := 1; l <= last; l++ {
		in, out := a.Layers[l-1], a.Layers[l]
		parent := make([]int32, in*out)
		for s := range parent {
			parent[s] = int32(s)
		}
		var find func(int32) int32
		find = func(x int32) int32 {
			for parent[x] != x {
				parent[x] = parent[parent[x]]
				x = parent[x]
			}
			return x
		}
		for m := range a.Mirrors {
			pin := a.unitPerm(l-1, m)
			pout := a.unitPerm(l, m)
			for j := range out {
				for i := range in {
					x, y := find(int32(j*in+i)), find(int32(pout[j]*in+pin[i]))
					if x != y {
						parent[max(x, y)] = min(x, y) // the root is the orbit's first synapse
					}
				}
			}
		}
		slots := make([]int32, in*out)
		n := 0
		for s := range slots {
			if r := find(int32(s)); r == int32(s) {
				slots[s] = int32(n)
				n++
			} else {
				slots[s] = slots[r] // r < s: numbered already
			}
		}
		t.slots = append(t.slots, slots)
		t.count = append(t.count, n)
	}
	return t
}

// unitPerm is mirror m acting on the units of layer position p (0: the
// inputs, the last: the outputs, otherwise a hidden layer's blocks).
func (a Arch) unitPerm(p, m int) []int {
	n := a.Layers[p]
	perm := make([]int, n)
	for u := range perm {
		perm[u] = u
	}
	switch p {
	case 0, len(a.Layers) - 1:
		pairs := a.Mirrors[m].In
		if p != 0 {
			pairs = a.Mirrors[m].Out
		}
		for _, q := range pairs {
			perm[q[0]], perm[q[1]] = q[1], q[0]
		}
	default:
		size := n >> len(a.Mirrors)
		for u := range perm {
			b, r := u/size, u%size
			perm[u] = (b^(1<<m))*size + r
		}
	}
	return perm
}

// cloneMirrors deep-copies ms (nil stays nil).
func cloneMirrors(ms []Mirror) []Mirror {
	if ms == nil {
		return nil
	}
	out := make([]Mirror, len(ms))
	for i, m := range ms {
		out[i] = Mirror{In: slices.Clone(m.In), Out: slices.Clone(m.Out)}
	}
	return out
}

// mirroredGenome is GenomeFor for a network with mirrors: n (loaded from a
// rule file, so untied) must have the same architecture and coefficients
// that already agree across every orbit, as a file evolved with the same
// mirrors has; its genome is then each orbit's coefficients once. advice
// ends the error for coefficients that disagree.
func (n *Network) mirroredGenome(to Arch, advice string) ([]float64, error) {
	plain := to
	plain.Mirrors = nil
	from := n.Arch()
	if !slices.Equal(from.Layers, plain.Layers) || from.CNN || from.Rule != plain.Rule {
		return nil, fmt.Errorf("brain: a mirrored %v %s network cannot start from a %v %s one", to.Layers, to.Rule, from.Layers, from.Rule)
	}
	m, err := NewNetwork(to)
	if err != nil {
		return nil, err
	}
	full := make([]float64, n.NumParams())
	n.Params(full)
	k := max(n.rule.K, 1)
	var out []float64
	o := 0
	for l, slots := range m.tie.slots {
		g := make([]float64, m.tie.count[l]*k)
		set := make([]bool, m.tie.count[l])
		for s, slot := range slots {
			src := full[o+s*k : o+(s+1)*k]
			dst := g[int(slot)*k : int(slot+1)*k]
			if !set[slot] {
				copy(dst, src)
				set[slot] = true
			} else if !slices.Equal(dst, src) {
				return nil, fmt.Errorf("brain: the file's layer %d synapse %d differs from its mirror image: %s", l, s, advice)
			}
		}
		out = append(out, g...)
		o += len(slots) * k
	}
	return out, nil
}
