package model

import (
	"fmt"
	"sort"
)

// Order is how the heatmaps order each layer's rows (outputs) and columns
// (inputs). In the natural order a random network looks like noise; sorted
// by a per-neuron score, structure shows. The order is fixed for an
// episode, so the picture does not jump while the weights change.
type Order int

// The orderings G cycles through.
const (
	OrderNatural  Order = iota // neuron index
	OrderCoef                  // by the neuron's mean rule coefficient (the one shown when chosen)
	OrderActivity              // by the neuron's mean activity over the first OrderAfter steps
	numOrders
)

// OrderNames are the command arguments of the orders.
var OrderNames = []string{"natural", "coef", "activity"}

// OrderAfter is how many steps of activity the activity order averages
// before it is fixed for the rest of the episode.
const OrderAfter = 50

// orderTrack holds the neuron permutations of one lane. Neuron layer 0 is
// the network's input, neuron layer k the output of dense layer k−1:
// dense layer l shows rows perm[l+1] and columns perm[l], so a hidden
// neuron sits at the same place as a row of one heatmap and a column of
// the next.
type orderTrack struct {
	kind Order
	coef int
	name string // the coefficient's name (OrderCoef)
	// sums is, per neuron layer, Σ activity (OrderActivity): sorted by
	// its sign and size, neurons that fire together sit together, and the
	// Hebbian term A·pre·post shows as blocks in the weights.
	sums [][]float64
	n    int     // steps summed
	perm [][]int // per neuron layer; nil: natural
	inv  [][]int // inverse permutations
}

func newOrderTrack(kind Order, coef int, names []string, layers []Layer) *orderTrack {
	o := &orderTrack{kind: kind, coef: coef}
	if kind == OrderCoef && len(layers) > 0 && layers[0].K > 0 {
		o.name = coefLabels(names, layers[0].K)[coef%layers[0].K]
	}
	o.reset(layers)
	return o
}

// reset starts an episode: the coefficient order is computed at once
// (coefficients do not change within an episode), the activity order
// starts summing again.
func (o *orderTrack) reset(layers []Layer) {
	o.perm, o.inv, o.n = nil, nil, 0
	o.sums = o.sums[:0]
	switch o.kind {
	case OrderCoef:
		o.setScores(coefScores(layers, o.coef))
	case OrderActivity:
		for k := 0; k <= len(layers); k++ {
			o.sums = append(o.sums, make([]float64, neurons(layers, k)))
		}
	}
}

func neurons(layers []Layer, k int) int {
	if k == 0 {
		return layers[0].In
	}
	return layers[k-1].Out
}

// observe adds one step's activations (after the step) while the activity
// order is still summing.
func (o *orderTrack) observe(layers []Layer, step int) {
	if o.kind != OrderActivity || o.perm != nil || len(o.sums) != len(layers)+1 {
		return
	}
	for k := range o.sums {
		var act []float32
		if k == 0 {
			act = layers[0].Pre
		} else {
			act = layers[k-1].Post
		}
		for i := range o.sums[k] {
			if i < len(act) {
				o.sums[k][i] += float64(act[i])
			}
		}
	}
	o.n++
	if o.n >= OrderAfter {
		o.setScores(o.sums)
	}
}

// coefScores scores each neuron by the mean of coefficient c over the
// synapses that end in it (the input layer: that start from it).
func coefScores(layers []Layer, c int) [][]float64 {
	if len(layers) == 0 || layers[0].K == 0 {
		return nil
	}
	out := make([][]float64, len(layers)+1)
	for k := range out {
		out[k] = make([]float64, neurons(layers, k))
	}
	for l, L := range layers {
		if L.K == 0 || len(L.Coeffs) < L.In*L.Out*L.K {
			return nil
		}
		cc := c % L.K
		for j := 0; j < L.Out; j++ {
			for i := 0; i < L.In; i++ {
				v := float64(L.Coeffs[(j*L.In+i)*L.K+cc])
				out[l+1][j] += v / float64(L.In)
				if l == 0 {
					out[0][i] += v / float64(L.Out)
				}
			}
		}
	}
	return out
}

// setScores sorts every neuron layer by score, highest first.
func (o *orderTrack) setScores(scores [][]float64) {
	if scores == nil {
		return
	}
	o.perm, o.inv = make([][]int, len(scores)), make([][]int, len(scores))
	for k, sc := range scores {
		p := make([]int, len(sc))
		for i := range p {
			p[i] = i
		}
		sort.SliceStable(p, func(a, b int) bool { return sc[p[a]] > sc[p[b]] })
		inv := make([]int, len(p))
		for pos, i := range p {
			inv[i] = pos
		}
		o.perm[k], o.inv[k] = p, inv
	}
}

// Perm returns the rows and columns dense layer l is drawn in: row y shows
// output rows[y], column x input cols[x]; nil slices mean natural order.
func (o *orderTrack) Perm(l int) (rows, cols []int) {
	if o == nil || o.perm == nil || l+1 >= len(o.perm) {
		return nil, nil
	}
	return o.perm[l+1], o.perm[l]
}

// HeatPerm is the order the main lane's layer l is drawn in (see
// orderTrack.Perm).
func (a *App) HeatPerm(l int) (rows, cols []int) { return a.cur().Main().order.Perm(l) }

// CellSynapse maps heatmap cell (x, y) of layer l to the synapse (i, j)
// it shows.
func (a *App) CellSynapse(l, x, y int) (i, j int) {
	rows, cols := a.HeatPerm(l)
	i, j = x, y
	if cols != nil && x < len(cols) {
		i = cols[x]
	}
	if rows != nil && y < len(rows) {
		j = rows[y]
	}
	return i, j
}

// SynapseCell is the inverse of CellSynapse: where synapse (i, j) of
// layer l is drawn.
func (a *App) SynapseCell(l, i, j int) (x, y int) {
	o := a.cur().Main().order
	x, y = i, j
	if o == nil || o.inv == nil || l+1 >= len(o.inv) {
		return x, y
	}
	if i < len(o.inv[l]) {
		x = o.inv[l][i]
	}
	if j < len(o.inv[l+1]) {
		y = o.inv[l+1][j]
	}
	return x, y
}

// OrderLabel says in the legend how the heatmaps are ordered.
func (a *App) OrderLabel() string {
	o := a.cur().Main().order
	switch {
	case a.Order == OrderCoef && o != nil && o.perm != nil:
		return fmt.Sprintf("order: by mean %s per neuron (G)", o.name)
	case a.Order == OrderActivity && o != nil && o.perm != nil:
		return fmt.Sprintf("order: by mean activity over %d steps, fixed for the episode (G)", OrderAfter)
	case a.Order == OrderActivity:
		return fmt.Sprintf("order: by mean activity once %d steps are summed; natural until then (G)", OrderAfter)
	case a.Order == OrderCoef:
		return "order: natural (static network has no rule) (G)"
	}
	return "order: neuron index (G sorts)"
}

// setOrder sets the heatmap order ("next" or a name) and applies it to
// the main lane from now; an activity order starts summing at the next
// episode unless there is still time in this one.
func (a *App) setOrder(arg string) {
	switch arg {
	case "", "next":
		a.Order = (a.Order + 1) % numOrders
	default:
		k := -1
		for i, n := range OrderNames {
			if n == arg {
				k = i
			}
		}
		if k < 0 {
			a.Error(fmt.Errorf("unknown order %q (valid: natural, coef, activity)", arg))
			return
		}
		a.Order = Order(k)
	}
	a.orderFor = nil
	a.syncLanes()
}

// syncLanes gives the current scene's main lane the app's pin and order
// (lanes are rebuilt when rules or compare mode change).
func (a *App) syncLanes() {
	sc := a.cur()
	m := sc.Main()
	if a.pin != nil && (m.pin == nil || m.pin.pin != *a.pin) {
		ls := m.Brain.Layers()
		p := *a.pin
		if p.L < len(ls) && p.I < ls[p.L].In && p.J < ls[p.L].Out {
			sc.setPin(a.pin)
			a.scope = sc.Scope()
		} else {
			a.Unpin()
		}
	}
	if a.Order == OrderNatural {
		m.order = nil
		a.orderFor = nil
		return
	}
	if m.order == nil || a.orderFor != m {
		ls := m.Brain.Layers()
		if len(ls) == 0 {
			return
		}
		// Chosen mid-episode, the activity order sums the next OrderAfter
		// steps and is fixed from then to the end of the episode.
		m.order = newOrderTrack(a.Order, a.Coef, m.Brain.CoefNames(), ls)
		a.orderFor = m
	}
}
