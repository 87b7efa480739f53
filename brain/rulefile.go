package brain

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"

	"github.com/hebbsim/hebbsim/internal/atomicfile"
)

// FormatVersion is the rule-file format this package writes and reads
// (docs/rule-file.md).
const FormatVersion = 1

// MaxFileSize bounds what Load reads (a 648→128→64→3 ABCD_lr_D_in_and_out
// network is 2.2 MB; traces are larger and not loaded by Load).
const MaxFileSize = 1 << 30

// maxMetaLen bounds the JSON meta array.
const maxMetaLen = 1 << 20

// Provenance says where a rule file came from.
type Provenance struct {
	Generations int     `json:"generations"`
	Fitness     float64 `json:"fitness"`
	Seed        int64   `json:"seed"`
	Command     string  `json:"command"`
	Date        string  `json:"date"` // RFC 3339, UTC
	Version     string  `json:"hebbsim_version"`
}

// Meta is the JSON document in a rule file's (or trace's) "meta" array.
// FromNetwork fills the architecture fields from the network; the caller
// fills Env, Obs, Provenance (and, for traces, Steps).
type Meta struct {
	FormatVersion int    `json:"format_version"`
	Kind          string `json:"kind"` // "rules" or "trace"
	Env           string `json:"env"`
	Obs           string `json:"obs"` // "pixels", "rays" or ""
	Layers        []int  `json:"layers"`
	CNN           bool   `json:"cnn"`
	// ConvShapes are the shapes of conv_0 and conv_1 when CNN is set.
	ConvShapes  [][]int    `json:"conv_shapes,omitempty"`
	Rule        string     `json:"rule"`
	CoeffNames  []string   `json:"coeff_names"`
	Normalize   bool       `json:"normalize"`
	Output      string     `json:"output"`
	Init        Init       `json:"init"`
	Steps       int        `json:"steps,omitempty"` // traces: T
	Provenance  Provenance `json:"provenance"`
	Description string     `json:"description,omitempty"`
	// Mirrors are the body symmetries the genome was tied by in evolution
	// (Arch.Mirrors, `hebb evolve --mirror`). The file still stores every
	// synapse's coefficients and Arch leaves the mirrors out, so it loads
	// as an untied network that acts the same; Load checks that the
	// coefficients are the mirror images the field claims, and
	// RuleFile.EvolvedParams counts the values that were evolved.
	Mirrors []Mirror `json:"mirrors,omitempty"`
}

// Arch returns the architecture the meta declares, validated.
func (m Meta) Arch() (Arch, error) {
	out, err := ParseOutput(m.Output)
	if err != nil {
		return Arch{}, err
	}
	a := Arch{Layers: slices.Clone(m.Layers), CNN: m.CNN, Output: out, Rule: m.Rule, Normalize: m.Normalize, Init: m.Init}
	if m.Rule == "" {
		return a, fmt.Errorf("brain: meta names no rule")
	}
	r, _, err := a.check()
	if err != nil {
		return a, err
	}
	if !slices.Equal(m.CoeffNames, r.CoeffNames) {
		return a, fmt.Errorf("brain: coeff_names %q do not match rule %s %q", m.CoeffNames, r.Name, r.CoeffNames)
	}
	return a, nil
}

// RuleFile is an evolved network in memory: its meta and arrays. For a
// plastic network Coeffs[l] holds layer l's coefficients in (Out, In, K)
// order; for a static one Weights[l] holds its (Out, In) weights. Conv
// holds conv_0 (6,3,3,3) and conv_1 (8,6,5,5) when Meta.CNN.
type RuleFile struct {
	Meta    Meta
	Coeffs  [][]float32
	Weights [][]float32
	Conv    [][]float32
}

// FromNetwork captures n's genome and architecture. Fields of m that
// describe the architecture are overwritten from n; an empty
// Provenance.Version is filled from the build information.
func FromNetwork(n *Network, m Meta) *RuleFile {
	a := n.Arch()
	m.FormatVersion = FormatVersion
	m.Kind = "rules"
	m.Layers = a.Layers
	m.CNN = a.CNN
	m.ConvShapes = nil
	if a.CNN {
		m.ConvShapes = [][]int{slices.Clone(Conv0Shape), slices.Clone(Conv1Shape)}
	}
	m.Rule = n.rule.Name
	m.CoeffNames = slices.Clone(n.rule.CoeffNames)
	if m.CoeffNames == nil {
		m.CoeffNames = []string{}
	}
	m.Normalize = a.Normalize
	m.Output = a.Output.String()
	m.Init = a.Init
	m.Mirrors = cloneMirrors(a.Mirrors)
	if m.Provenance.Version == "" {
		m.Provenance.Version = buildVersion()
	}
	rf := &RuleFile{Meta: m}
	for _, L := range n.layers {
		if n.rule.Static() {
			rf.Weights = append(rf.Weights, slices.Clone(L.W))
		} else {
			rf.Coeffs = append(rf.Coeffs, slices.Clone(L.Coeffs))
		}
	}
	if n.cnn != nil {
		rf.Conv = [][]float32{slices.Clone(n.cnn.w0[:]), slices.Clone(n.cnn.w1[:])}
	}
	return rf
}

func buildVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		return bi.Main.Version
	}
	return "(devel)"
}

// NewNetwork builds the network the file describes, with its genome set.
func (rf *RuleFile) NewNetwork() (*Network, error) {
	a, err := rf.Meta.Arch()
	if err != nil {
		return nil, err
	}
	n, err := NewNetwork(a)
	if err != nil {
		return nil, err
	}
	theta := make([]float64, 0, n.NumParams())
	arrs := rf.Coeffs
	kind := "coeffs"
	if n.rule.Static() {
		arrs, kind = rf.Weights, "weights"
	}
	if len(arrs) != len(n.layers) {
		return nil, fmt.Errorf("brain: rule file has %d %s arrays, the network has %d layers", len(arrs), kind, len(n.layers))
	}
	for l, L := range n.layers {
		want := L.In * L.Out * max(L.K, 1)
		if len(arrs[l]) != want {
			return nil, fmt.Errorf("brain: %s_%d has %d values, want %d", kind, l, len(arrs[l]), want)
		}
		for _, v := range arrs[l] {
			theta = append(theta, float64(v))
		}
	}
	if a.CNN {
		if len(rf.Conv) != 2 || len(rf.Conv[0]) != cnnW0 || len(rf.Conv[1]) != cnnW1 {
			return nil, fmt.Errorf("brain: rule file needs conv_0 (%d values) and conv_1 (%d values)", cnnW0, cnnW1)
		}
		for _, c := range rf.Conv {
			for _, v := range c {
				theta = append(theta, float64(v))
			}
		}
	}
	if err := n.SetParams(theta); err != nil {
		return nil, err
	}
	return n, nil
}

// layerShapes returns (Out, In) per dense layer of the meta's layers.
func layerShapes(layers []int) [][2]int {
	var s [][2]int
	for l := 1; l < len(layers); l++ {
		s = append(s, [2]int{layers[l], layers[l-1]})
	}
	return s
}

// Encode writes the rule file as .npz to w.
func (rf *RuleFile) Encode(w io.Writer) error {
	a, err := rf.Meta.Arch()
	if err != nil {
		return err
	}
	r, _ := RuleByName(a.Rule)
	meta, err := json.MarshalIndent(rf.Meta, "", "  ")
	if err != nil {
		return fmt.Errorf("brain: encoding meta: %v", err)
	}
	nw := newNPZWriter(w)
	if err := nw.bytes("meta", meta); err != nil {
		return err
	}
	for l, s := range layerShapes(a.Layers) {
		var err error
		if r.Static() {
			if l >= len(rf.Weights) {
				return fmt.Errorf("brain: rule file lacks weights_%d", l)
			}
			err = nw.float32s("weights_"+strconv.Itoa(l), []int{s[0], s[1]}, rf.Weights[l])
		} else {
			if l >= len(rf.Coeffs) {
				return fmt.Errorf("brain: rule file lacks coeffs_%d", l)
			}
			err = nw.float32s("coeffs_"+strconv.Itoa(l), []int{s[0], s[1], r.K}, rf.Coeffs[l])
		}
		if err != nil {
			return err
		}
	}
	if a.CNN {
		if len(rf.Conv) != 2 {
			return fmt.Errorf("brain: rule file lacks conv weights")
		}
		if err := nw.float32s("conv_0", Conv0Shape, rf.Conv[0]); err != nil {
			return err
		}
		if err := nw.float32s("conv_1", Conv1Shape, rf.Conv[1]); err != nil {
			return err
		}
	}
	return nw.Close()
}

// Save writes the rule file to path atomically (a temporary file in the
// same directory, synced, then renamed over path).
func (rf *RuleFile) Save(path string) error {
	return writeAtomic(path, rf.Encode)
}

func writeAtomic(path string, enc func(io.Writer) error) error {
	if err := atomicfile.Write(path, enc); err != nil {
		return fmt.Errorf("brain: save %s: %v", path, err)
	}
	return nil
}

// Load reads and validates a rule file. Errors are one line and name the
// file and the problem.
func Load(path string) (*RuleFile, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("brain: %v", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("brain: %v", err)
	}
	if st.Size() > MaxFileSize {
		return nil, fmt.Errorf("brain: %s: %d bytes is larger than a rule file can be (%d)", path, st.Size(), MaxFileSize)
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize))
	if err != nil {
		return nil, fmt.Errorf("brain: %s: %v", path, err)
	}
	rf, err := decode(data)
	if err != nil {
		return nil, fmt.Errorf("brain: %s: %v", path, err)
	}
	return rf, nil
}

// Decode reads and validates a rule file held in memory (an embedded
// asset). It never panics on bad input.
func Decode(data []byte) (*RuleFile, error) {
	rf, err := decode(data)
	if err != nil {
		return nil, fmt.Errorf("brain: rule file: %v", err)
	}
	return rf, nil
}

func decodeMeta(r *npzReader) (Meta, error) {
	var m Meta
	raw, _, err := r.read("meta", "|u1", nil, maxMetaLen)
	if err != nil {
		return m, err
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	if err := dec.Decode(&m); err != nil {
		return m, fmt.Errorf("meta is not valid JSON: %v", err)
	}
	if m.FormatVersion != FormatVersion {
		return m, fmt.Errorf("format_version %d is not supported (this build reads %d)", m.FormatVersion, FormatVersion)
	}
	return m, nil
}

func decode(data []byte) (*RuleFile, error) {
	r, err := newNPZReader(data)
	if err != nil {
		return nil, err
	}
	m, err := decodeMeta(r)
	if err != nil {
		return nil, err
	}
	if m.Kind != "" && m.Kind != "rules" {
		return nil, fmt.Errorf("file is a %q, not a rule file", m.Kind)
	}
	a, err := m.Arch()
	if err != nil {
		return nil, strip(err)
	}
	rule, _ := RuleByName(a.Rule)
	rf := &RuleFile{Meta: m}
	expect := map[string]bool{"meta": true}
	for l, s := range layerShapes(a.Layers) {
		if rule.Static() {
			name := "weights_" + strconv.Itoa(l)
			expect[name] = true
			w, err := r.float32s(name, []int{s[0], s[1]})
			if err != nil {
				return nil, err
			}
			rf.Weights = append(rf.Weights, w)
		} else {
			name := "coeffs_" + strconv.Itoa(l)
			expect[name] = true
			c, err := r.float32s(name, []int{s[0], s[1], rule.K})
			if err != nil {
				return nil, err
			}
			rf.Coeffs = append(rf.Coeffs, c)
		}
	}
	if a.CNN {
		for i, shape := range [][]int{Conv0Shape, Conv1Shape} {
			name := "conv_" + strconv.Itoa(i)
			expect[name] = true
			c, err := r.float32s(name, shape)
			if err != nil {
				return nil, err
			}
			rf.Conv = append(rf.Conv, c)
		}
	}
	names := r.names()
	slices.Sort(names)
	for _, n := range names {
		if !expect[n] {
			return nil, fmt.Errorf("unexpected array %q for a %s network with layers %v", n, rule.Name, a.Layers)
		}
	}
	if len(m.Mirrors) > 0 {
		if _, err := rf.EvolvedParams(); err != nil {
			return nil, strip(err)
		}
	}
	return rf, nil
}

// EvolvedParams is the number of values evolution set: one per synapse
// coefficient (or weight) and conv weight, or, for a file evolved with
// mirrors, one per orbit of synapses the mirrors tie. It fails when the
// meta's mirrors do not fit the network or the coefficients are not the
// mirror images they claim to be.
func (rf *RuleFile) EvolvedParams() (int, error) {
	n, err := rf.NewNetwork()
	if err != nil {
		return 0, err
	}
	if len(rf.Meta.Mirrors) == 0 {
		return n.NumParams(), nil
	}
	a := n.Arch()
	a.Mirrors = cloneMirrors(rf.Meta.Mirrors)
	if err := a.Validate(); err != nil {
		return 0, fmt.Errorf("brain: meta mirrors: %v", strings.TrimPrefix(err.Error(), "brain: "))
	}
	g, err := n.mirroredGenome(a, `its meta lists mirrors the coefficients do not respect (the file was changed after evolution; remove "mirrors" from its meta to load it untied)`)
	if err != nil {
		return 0, err
	}
	return len(g), nil
}

// strip removes the package prefix of errors made for direct callers, so
// Load's errors carry it once.
func strip(err error) error {
	s, _ := strings.CutPrefix(err.Error(), "brain: ")
	return fmt.Errorf("%s", s)
}

func jsonMeta(m Meta) ([]byte, error) {
	raw, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("brain: encoding meta: %v", err)
	}
	return raw, nil
}
