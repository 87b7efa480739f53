package model

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Pin is the synapse under the microscope: layer L (0 = input side),
// from input I (pre) to output J (post).
type Pin struct{ L, I, J int }

// String is the pin's command argument, "L:I:J".
func (p Pin) String() string { return fmt.Sprintf("%d:%d:%d", p.L, p.I, p.J) }

// ParsePin reads "L:I:J".
func ParsePin(s string) (Pin, error) {
	f := strings.Split(s, ":")
	if len(f) != 3 {
		return Pin{}, fmt.Errorf("pin %q: want LAYER:I:J", s)
	}
	var v [3]int
	for k, x := range f {
		n, err := strconv.Atoi(x)
		if err != nil || n < 0 {
			return Pin{}, fmt.Errorf("pin %q: want LAYER:I:J, non-negative integers", s)
		}
		v[k] = n
	}
	return Pin{v[0], v[1], v[2]}, nil
}

// pinTrack follows the pinned synapse of one lane step by step: the
// weight before and after each update and w(t) over the episode.
type pinTrack struct {
	pin     Pin
	before  float32 // w before the last step's update
	after   float32 // w after it (after normalisation)
	stepped bool    // a step ran since the pin was set
	start   int     // the episode step the history starts at
	hist    *History
}

func newPinTrack(p Pin) *pinTrack {
	return &pinTrack{pin: p, hist: NewHistory(512, "w")}
}

// weight reads the pinned weight of layers, or NaN if it is out of range.
func (p Pin) weight(layers []Layer) float32 {
	if p.L >= len(layers) {
		return float32(math.NaN())
	}
	L := &layers[p.L]
	if p.I >= L.In || p.J >= L.Out {
		return float32(math.NaN())
	}
	return L.W[p.J*L.In+p.I]
}

// Scope is what the microscope shows of the pinned synapse after the
// last step t: the activations the update at t used, each term of the
// rule, Δw as the rule gives it and as the weight really moved after
// normalisation. The terms are computed in float64 from the network's
// float32 values, so anyone recomputing them from a trace gets the same
// numbers; RuleDW is the network's own float32 Δw (Layer.DW).
type Scope struct {
	Pin        Pin
	Step       int     // the step whose update is shown (−1: none yet)
	Pre, Post  float64 // o_i (the layer's input) and o_j (its output)
	Names      []string
	Coef       []float64 // the synapse's coefficients, in Names order
	A, B, C, D float64   // coefficients (0 when the rule lacks one)
	Eta        float64   // η (1 when the rule has no learning rate)
	DOut       float64   // D_out of the _D_out rules (0 otherwise)
	HasEta     bool
	TermA      float64 // A·pre·post
	TermB      float64 // B·pre
	TermC      float64 // C·post
	TermD      float64 // D (D_in for ABCD_lr_D_in_and_out)
	DW         float64 // the rule's Δw recomputed: η(A·pre·post + B·pre + C·post + D) (+ D_out)
	RuleDW     float64 // the network's Δw of the update (before normalisation)
	WBefore    float64 // w(t), before the update
	WAfter     float64 // w(t+1), after the update and any normalisation
	Moved      float64 // WAfter − WBefore: Δw after normalisation
	Norm       float64 // max|w| of the layer the update divided by (0: no normalisation)
	Plastic    bool
	Valid      bool
}

// RuleTerms evaluates the rule's terms for a synapse with coefficients
// coef named names (brain's CoeffNames: A, B, C, D, eta, D_in, D_out)
// and activations pre, post; see DESIGN.md §1 for the nine rules.
func RuleTerms(names []string, coef []float64, pre, post float64) (s Scope) {
	s.Eta = 1
	for k, n := range names {
		if k >= len(coef) {
			break
		}
		v := coef[k]
		switch n {
		case "A":
			s.A = v
		case "B":
			s.B = v
		case "C":
			s.C = v
		case "D", "D_in":
			s.D = v
		case "eta", "η":
			s.Eta, s.HasEta = v, true
		case "D_out":
			s.DOut = v
		}
	}
	s.Pre, s.Post = pre, post
	s.TermA = s.A * pre * post
	s.TermB = s.B * pre
	s.TermC = s.C * post
	s.TermD = s.D
	s.DW = s.Eta*(s.TermA+s.TermB+s.TermC+s.TermD) + s.DOut
	return s
}

// Pinned is the pinned synapse of the current scene, if any.
func (a *App) Pinned() (Pin, bool) {
	if a.pin == nil {
		return Pin{}, false
	}
	return *a.pin, true
}

// pinCmd pins the synapse "L:I:J" ("auto": the one of layer 2 whose
// weight moves most at this step), or releases it if it is already
// pinned.
func (a *App) pinCmd(arg string) {
	sc := a.cur()
	var p Pin
	if arg == "auto" {
		p = AutoPin(sc.Main().Brain.Layers())
	} else {
		var err error
		if p, err = ParsePin(arg); err != nil {
			a.Error(err)
			return
		}
	}
	ls := sc.Main().Brain.Layers()
	if p.L >= len(ls) || p.I >= ls[p.L].In || p.J >= ls[p.L].Out {
		a.Error(fmt.Errorf("pin %s: no such synapse in %s", p, sc.Rules.Arch))
		return
	}
	if a.pin != nil && *a.pin == p && arg != "auto" {
		a.Unpin()
		return
	}
	a.pin = &p
	for _, s := range a.Scenes {
		if s != nil {
			s.setPin(nil)
		}
	}
	sc.setPin(&p)
	a.scope = sc.Scope()
}

// Unpin releases the pinned synapse.
func (a *App) Unpin() {
	a.pin = nil
	for _, s := range a.Scenes {
		if s != nil {
			s.setPin(nil)
		}
	}
}

// Scope is the microscope's reading, refreshed a few times a second while
// the simulation runs (numbers that change sixty times a second cannot be
// read) and after every step while paused.
func (a *App) Scope() (Scope, bool) {
	if a.pin == nil {
		return Scope{}, false
	}
	return a.scope, true
}

// PinHistory is w(t) of the pinned synapse, for its plot.
func (a *App) PinHistory() *History {
	t := a.cur().Main().pin
	if a.pin == nil || t == nil {
		return nil
	}
	return t.hist
}

// PinStart is the episode step the pinned synapse's w(t) history starts
// at (its sample k is step PinStart + k·Stride).
func (a *App) PinStart() int {
	if t := a.cur().Main().pin; t != nil {
		return t.start
	}
	return 0
}

// ScopeEvery is how many ticks apart the running microscope refreshes.
const ScopeEvery = 15

func (a *App) refreshScope(force bool) {
	if a.pin == nil {
		return
	}
	a.scopeTick++
	if force || a.scopeTick%ScopeEvery == 0 || !a.scope.Valid {
		a.scope = a.cur().Scope()
	}
}

// setPin starts (or with nil stops) tracking p in the main lane.
func (s *Scene) setPin(p *Pin) {
	m := s.Main()
	if p == nil {
		m.pin = nil
		return
	}
	t := newPinTrack(*p)
	t.start = m.Ep.Index()
	w := p.weight(m.Brain.Layers())
	t.before, t.after = w, w
	m.pin = t
}

// Scope reads the microscope for the main lane's pinned synapse.
func (s *Scene) Scope() Scope {
	m := s.Main()
	t := m.pin
	if t == nil {
		return Scope{}
	}
	p := t.pin
	layers := m.Brain.Layers()
	if p.L >= len(layers) {
		return Scope{Pin: p}
	}
	L := &layers[p.L]
	if p.I >= L.In || p.J >= L.Out {
		return Scope{Pin: p}
	}
	syn := p.J*L.In + p.I
	names := m.Brain.CoefNames()
	var coef []float64
	if L.K > 0 && len(L.Coeffs) >= (syn+1)*L.K {
		for c := 0; c < L.K; c++ {
			coef = append(coef, float64(L.Coeffs[syn*L.K+c]))
		}
	}
	var pre, post float64
	if p.I < len(L.Pre) {
		pre = float64(L.Pre[p.I])
	}
	if p.J < len(L.Post) {
		post = float64(L.Post[p.J])
	}
	sc := RuleTerms(coefLabels(names, L.K), coef, pre, post)
	sc.Pin, sc.Names, sc.Coef = p, coefLabels(names, L.K), coef
	sc.Plastic = m.Brain.Plastic()
	sc.Step = m.Ep.Index() - 1
	if syn < len(L.DW) {
		sc.RuleDW = float64(L.DW[syn])
	}
	sc.WBefore, sc.WAfter = float64(t.before), float64(t.after)
	sc.Moved = sc.WAfter - sc.WBefore
	if s.Rules != nil && s.Rules.Normalize && sc.Plastic {
		sc.Norm = float64(L.MaxAbs)
	}
	if !t.stepped {
		// Nothing ran since the pin: the activations are those of the
		// last step, the weight has not moved since.
		sc.WBefore = sc.WAfter
		sc.Moved = 0
	}
	if !sc.Plastic {
		sc.DW, sc.TermA, sc.TermB, sc.TermC, sc.TermD = 0, 0, 0, 0, 0
	}
	sc.Valid = true
	return sc
}

// AutoPin picks a synapse worth watching: in the second layer (the
// first if there is one), of the synapses whose weight is well inside the
// layer's range (a weight at the normalisation's bound, ±max, barely
// moves), the one whose last Δw is largest.
func AutoPin(layers []Layer) Pin {
	if len(layers) == 0 {
		return Pin{}
	}
	l := min(1, len(layers)-1)
	L := &layers[l]
	n := min(L.In*L.Out, len(L.DW), len(L.W))
	wmax := 0.0
	for k := 0; k < n; k++ {
		wmax = math.Max(wmax, math.Abs(float64(L.W[k])))
	}
	best, bi := -1.0, 0
	for k := 0; k < n; k++ {
		if math.Abs(float64(L.W[k])) > 0.5*wmax {
			continue
		}
		if v := math.Abs(float64(L.DW[k])); v > best {
			best, bi = v, k
		}
	}
	return Pin{L: l, I: bi % max(1, L.In), J: bi / max(1, L.In)}
}

// Lines are the microscope's text lines.
func (s Scope) Lines() []string {
	if !s.Valid {
		return []string{fmt.Sprintf("synapse %s: not in this network", s.Pin)}
	}
	out := []string{fmt.Sprintf("SYNAPSE L%d  i=%d → j=%d  step %d", s.Pin.L+1, s.Pin.I, s.Pin.J, max(s.Step, 0))}
	out = append(out, fmt.Sprintf("pre o_i %+.4f    post o_j %+.4f", s.Pre, s.Post))
	if !s.Plastic {
		out = append(out, "static network: the weight does not change", fmt.Sprintf("w %+.5f", s.WAfter))
		return out
	}
	out = append(out,
		fmt.Sprintf("A·pre·post %+.3e   (A %+.3f)", s.TermA, s.A),
		fmt.Sprintf("B·pre      %+.3e   (B %+.3f)", s.TermB, s.B),
		fmt.Sprintf("C·post     %+.3e   (C %+.3f)", s.TermC, s.C),
		fmt.Sprintf("D          %+.3e", s.TermD),
	)
	eta := "η  (none: 1)"
	if s.HasEta {
		eta = fmt.Sprintf("η          %+.4f", s.Eta)
	}
	if s.DOut != 0 {
		eta += fmt.Sprintf("   D_out %+.3e", s.DOut)
	}
	out = append(out, eta,
		fmt.Sprintf("Δw (rule)  %+.3e", s.DW))
	if s.Norm > 0 {
		out = append(out, fmt.Sprintf("÷ max|w| %-7.4g Δw after %+.3e", s.Norm, s.Moved))
	} else {
		out = append(out, fmt.Sprintf("no normalisation   Δw      %+.3e", s.Moved))
	}
	out = append(out, fmt.Sprintf("w  %+.5f → %+.5f", s.WBefore, s.WAfter))
	return out
}

// ScopeRect is where the microscope panel goes: in the side panel below
// its items when there is room (the world stays clear, in compare mode
// too), else the bottom left of the world view; zero when nothing is
// pinned.
func (a *App) ScopeRect(l Layout) Rect {
	if a.pin == nil {
		return Rect{}
	}
	s := l.S
	n := len(a.scope.Lines())
	h := float64(n)*15*s + ScopePlotH*s + 2*Pad*s + 22*s
	if w := l.Side.W - 8*s; w >= 300*s && a.sideEnd > 0 && l.Status.Y-8*s-a.sideEnd >= h {
		return Rect{l.Side.X + 4*s, l.Status.Y - 4*s - h, w, h}
	}
	w := math.Min(312*s, l.World.W-16*s)
	h = math.Min(h, l.World.H-16*s)
	return Rect{l.World.X + 8*s, l.World.Y + l.World.H - h - 8*s, w, h}
}

// ScopePlotH is the height of the microscope's w(t) plot at scale 1.
const ScopePlotH = 64

// ScopePlot is the rectangle of the microscope's w(t) plot in layout l.
func (a *App) ScopePlot(l Layout) Rect {
	r := a.ScopeRect(l)
	if r.W == 0 {
		return r
	}
	s := l.S
	return Rect{r.X + Pad*s, r.Y + r.H - ScopePlotH*s - Pad*s, r.W - 2*Pad*s, ScopePlotH * s}
}

// scopeItems lays out the microscope panel's box, lines and release
// button; the game draws the w(t) plot into ScopePlot.
func (a *App) scopeItems(l Layout, items []Item) []Item {
	r := a.ScopeRect(l)
	if r.W == 0 {
		return items
	}
	s := l.S
	items = append(items, Item{R: r, Style: StyleMuted})
	for k, ln := range a.scope.Lines() {
		st := StyleText
		if k == 0 {
			st = StyleHeader
		}
		items = append(items, Item{R: Rect{r.X + Pad*s, r.Y + Pad*s + float64(k)*15*s, r.W - 2*Pad*s, 15 * s}, Text: ln, Style: st, Mono: k > 0})
	}
	y := r.Y + r.H - ScopePlotH*s - Pad*s - 17*s
	items = append(items, Item{R: Rect{r.X + Pad*s, y, r.W - 80*s, 15 * s}, Text: "w(t), damage marked", Style: StyleMuted})
	items = append(items, Item{R: Rect{r.X + r.W - 62*s, r.Y + 3*s, 56 * s, 18 * s}, Text: "release", Cmd: CmdPin + ":off",
		Style: StyleButton, Tip: "release the synapse (click it again, or Esc)"})
	return items
}

// HeatDrawRect is where a layer's w×h heatmap is drawn inside its
// picture area (Layout.HeatPics), as the game draws it and as clicks find
// cells.
func HeatDrawRect(area Rect, w, h int, s float64) Rect {
	dr := FitRect(area, w, h, 3)
	dr.X, dr.Y = area.X, area.Y
	if m := 28 * s; dr.H < m { // a layer with very few outputs (the racer's 3)
		dr.H = math.Min(m, area.H)
	}
	return dr
}

// HeatCellAt finds the synapse under screen point (x, y) in the
// heatmaps of layout l: its layer and (i, j), through the current order.
func (a *App) HeatCellAt(l Layout, x, y float64) (Pin, bool) {
	ls := a.cur().Main().Brain.Layers()
	for k, L := range ls {
		if k >= len(l.HeatPics) {
			break
		}
		dr := HeatDrawRect(l.HeatPics[k], L.In, L.Out, l.S)
		cx, cy, ok := Cell(dr, L.In, L.Out, x, y)
		if !ok {
			continue
		}
		i, j := a.CellSynapse(k, cx, cy)
		return Pin{L: k, I: i, J: j}, true
	}
	return Pin{}, false
}

// finite reports whether every number of s can be written as JSON.
func (s Scope) finite() bool {
	for _, v := range append([]float64{s.Pre, s.Post, s.A, s.B, s.C, s.D, s.Eta, s.DOut, s.TermA, s.TermB, s.TermC,
		s.TermD, s.DW, s.RuleDW, s.WBefore, s.WAfter, s.Moved, s.Norm}, s.Coef...) {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return false
		}
	}
	return true
}
