package brain

import (
	"fmt"
	"io"
	"strconv"
)

// MaxTraceBytes bounds the memory a TraceRecorder may take.
const MaxTraceBytes = 4 << 30

// TraceRecorder records, for every dense layer, the activations each
// step's update used and the weights it started from, for analysis in
// Python (docs/rule-file.md, "Traces").
//
// Call Record after the environment step and before Update (the rollout
// loop's BeforeUpdate hook), then Finish after the last Update, then Save.
type TraceRecorder struct {
	n     *Network
	steps int // capacity T
	t     int // steps recorded
	done  bool
	pre   [][]float32 // per layer, T×In
	post  [][]float32 // per layer, T×Out
	w     [][]float32 // per layer, (T+1)×Out×In
}

// NewTraceRecorder prepares a trace of up to steps steps of n. It fails if
// the trace would take more than MaxTraceBytes.
func NewTraceRecorder(n *Network, steps int) (*TraceRecorder, error) {
	if steps < 1 {
		return nil, fmt.Errorf("brain: trace needs at least 1 step, got %d", steps)
	}
	per := 0
	for _, L := range n.layers {
		per += L.In + L.Out + L.In*L.Out
	}
	if bytes := 4 * (uint64(per)*uint64(steps) + uint64(n.Synapses())); bytes > MaxTraceBytes {
		return nil, fmt.Errorf("brain: a trace of %d steps of this network takes %d MB, more than the %d MB limit", steps, bytes>>20, MaxTraceBytes>>20)
	}
	tr := &TraceRecorder{n: n, steps: steps}
	for _, L := range n.layers {
		tr.pre = append(tr.pre, make([]float32, steps*L.In))
		tr.post = append(tr.post, make([]float32, steps*L.Out))
		tr.w = append(tr.w, make([]float32, (steps+1)*L.In*L.Out))
	}
	return tr, nil
}

// Steps returns how many steps have been recorded.
func (tr *TraceRecorder) Steps() int { return tr.t }

// Record stores the current Pre, Post and W of every layer as step t.
// Steps beyond the capacity are ignored; Record after Finish panics.
func (tr *TraceRecorder) Record() {
	if tr.done {
		panic("brain: TraceRecorder.Record after Finish")
	}
	if tr.t >= tr.steps {
		return
	}
	t := tr.t
	for l, L := range tr.n.layers {
		copy(tr.pre[l][t*L.In:], L.Pre)
		copy(tr.post[l][t*L.Out:], L.Post)
		copy(tr.w[l][t*L.In*L.Out:], L.W)
	}
	tr.t++
}

// Finish stores the weights after the last update as w_l[T]; T is the
// number of steps recorded (an episode may end early).
func (tr *TraceRecorder) Finish() {
	if tr.done {
		return
	}
	tr.done = true
	t := tr.t
	for l, L := range tr.n.layers {
		copy(tr.w[l][t*L.In*L.Out:], L.W)
	}
}

// Save writes the trace atomically as .npz: meta (m with the architecture
// filled from the network, Kind "trace", Steps T), and per layer l pre_l
// (T, In), post_l (T, Out), w_l (T+1, Out, In) and, if plastic, coeffs_l
// (Out, In, K). It calls Finish if needed.
func (tr *TraceRecorder) Save(path string, m Meta) error {
	tr.Finish()
	if tr.t == 0 {
		return fmt.Errorf("brain: trace %s: no steps recorded", path)
	}
	return writeAtomic(path, func(w io.Writer) error { return tr.encode(w, m) })
}

func (tr *TraceRecorder) encode(w io.Writer, m Meta) error {
	rf := FromNetwork(tr.n, m)
	meta := rf.Meta
	meta.Kind = "trace"
	meta.Steps = tr.t
	raw, err := jsonMeta(meta)
	if err != nil {
		return err
	}
	nw := newNPZWriter(w)
	if err := nw.bytes("meta", raw); err != nil {
		return err
	}
	T := tr.t
	for l, L := range tr.n.layers {
		s := strconv.Itoa(l)
		if err := nw.float32s("pre_"+s, []int{T, L.In}, tr.pre[l][:T*L.In]); err != nil {
			return err
		}
		if err := nw.float32s("post_"+s, []int{T, L.Out}, tr.post[l][:T*L.Out]); err != nil {
			return err
		}
		if err := nw.float32s("w_"+s, []int{T + 1, L.Out, L.In}, tr.w[l][:(T+1)*L.In*L.Out]); err != nil {
			return err
		}
		if L.K > 0 {
			if err := nw.float32s("coeffs_"+s, []int{L.Out, L.In, L.K}, L.Coeffs); err != nil {
				return err
			}
		}
	}
	return nw.Close()
}

// Trace is a trace read back (for tests and tools).
type Trace struct {
	Meta   Meta
	Pre    [][]float32 // per layer, T×In
	Post   [][]float32 // per layer, T×Out
	W      [][]float32 // per layer, (T+1)×Out×In
	Coeffs [][]float32 // per layer, Out×In×K (nil when static)
}

// Trace returns the recording in memory, as DecodeTrace would read it back
// from Save's file (meta filled the same way), for tools that analyse it
// in-process. It calls Finish if needed; the slices are the recorder's own.
func (tr *TraceRecorder) Trace(m Meta) *Trace {
	tr.Finish()
	meta := FromNetwork(tr.n, m).Meta
	meta.Kind, meta.Steps = "trace", tr.t
	out := &Trace{Meta: meta}
	T := tr.t
	for l, L := range tr.n.layers {
		out.Pre = append(out.Pre, tr.pre[l][:T*L.In])
		out.Post = append(out.Post, tr.post[l][:T*L.Out])
		out.W = append(out.W, tr.w[l][:(T+1)*L.In*L.Out])
		if L.K > 0 {
			out.Coeffs = append(out.Coeffs, L.Coeffs)
		}
	}
	return out
}

// DecodeTrace reads a trace written by TraceRecorder.Save, validating
// shapes against its meta.
func DecodeTrace(data []byte) (*Trace, error) {
	r, err := newNPZReader(data)
	if err != nil {
		return nil, fmt.Errorf("brain: trace: %v", err)
	}
	m, err := decodeMeta(r)
	if err != nil {
		return nil, fmt.Errorf("brain: trace: %v", err)
	}
	if m.Kind != "trace" {
		return nil, fmt.Errorf("brain: trace: file is a %q, not a trace", m.Kind)
	}
	a, err := m.Arch()
	if err != nil {
		return nil, fmt.Errorf("brain: trace: %v", strip(err))
	}
	rule, _ := RuleByName(a.Rule)
	T := m.Steps
	per := 0
	for _, s := range layerShapes(a.Layers) {
		per += s[0] + s[1] + s[0]*s[1]
	}
	if T < 1 || uint64(T)*uint64(per) > MaxTraceBytes/4 {
		return nil, fmt.Errorf("brain: trace: steps %d out of range", T)
	}
	tr := &Trace{Meta: m}
	for l, s := range layerShapes(a.Layers) {
		out, in := s[0], s[1]
		k := strconv.Itoa(l)
		pre, err := r.float32s("pre_"+k, []int{T, in})
		if err != nil {
			return nil, fmt.Errorf("brain: trace: %v", err)
		}
		post, err := r.float32s("post_"+k, []int{T, out})
		if err != nil {
			return nil, fmt.Errorf("brain: trace: %v", err)
		}
		w, err := r.float32s("w_"+k, []int{T + 1, out, in})
		if err != nil {
			return nil, fmt.Errorf("brain: trace: %v", err)
		}
		tr.Pre, tr.Post, tr.W = append(tr.Pre, pre), append(tr.Post, post), append(tr.W, w)
		if !rule.Static() {
			c, err := r.float32s("coeffs_"+k, []int{out, in, rule.K})
			if err != nil {
				return nil, fmt.Errorf("brain: trace: %v", err)
			}
			tr.Coeffs = append(tr.Coeffs, c)
		}
	}
	return tr, nil
}
