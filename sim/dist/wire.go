package dist

import (
	"bytes"
	"encoding/binary"
	"encoding/gob"
	"encoding/json"
	"errors"
	"fmt"
	"math"

	"github.com/hebbsim/hebbsim/physics"
	"github.com/hebbsim/hebbsim/sim"
)

// Names on the broker. Every name carries the queue name (Options.Queue,
// default "hebb"), so one broker can carry several runs side by side.
type names struct{ q string }

func (n names) jobsStream() string    { return "HEBB_" + n.q + "_JOBS" }
func (n names) resultsStream() string { return "HEBB_" + n.q + "_RESULTS" }
func (n names) bucket() string        { return "HEBB_" + n.q + "_GEN" }
func (n names) jobs() string          { return "hebb." + n.q + ".jobs" }
func (n names) results() string       { return "hebb." + n.q + ".results" }
func (n names) heartbeat() string     { return "hebb." + n.q + ".hb" }
func (n names) consumer() string      { return "workers" }
func genObject(run string, eval int) string {
	return fmt.Sprintf("%s-e%d", run, eval)
}

// jobMsg is one episode to run: JSON, ~100–200 bytes.
type jobMsg struct {
	Run        string              `json:"run"`  // the coordinator's run id
	Eval       int                 `json:"eval"` // the coordinator's evaluation number
	Gen        int                 `json:"gen"`  // generation (0-based)
	Index      int                 `json:"i"`    // position in the generation's job list
	Candidate  int                 `json:"c"`    // candidate (≥ pop: the centre)
	Seed       int64               `json:"seed"` // world seed
	Morphology *physics.Morphology `json:"morph,omitempty"`
	Schedule   []sim.Event         `json:"sched,omitempty"`
	Mark       int                 `json:"mark,omitempty"`
}

func (j jobMsg) id() string { return fmt.Sprintf("%s.%d.%d", j.Run, j.Eval, j.Index) }

func (j jobMsg) job() sim.Job {
	return sim.Job{Candidate: j.Candidate, Seed: j.Seed, Morphology: j.Morphology, Schedule: j.Schedule, Mark: j.Mark}
}

// genSpec is what a worker needs besides a job: the run's settings and
// the generation's centre, σ and noise seed. It is published once per
// generation in the object store (θ of the quadruped: 522 KB).
type genSpec struct {
	Run       string
	Eval      int // the coordinator's evaluation number (the object's name)
	Gen       int
	Cfg       sim.TrainConfig
	Theta     []float64
	Sigma     float64
	NoiseSeed uint64
	Pop       int
}

func encodeSpec(s *genSpec) ([]byte, error) {
	var b bytes.Buffer
	if err := gob.NewEncoder(&b).Encode(s); err != nil {
		return nil, fmt.Errorf("dist: encode generation: %w", err)
	}
	return b.Bytes(), nil
}

func decodeSpec(data []byte) (*genSpec, error) {
	var s genSpec
	if err := gob.NewDecoder(bytes.NewReader(data)).Decode(&s); err != nil {
		return nil, fmt.Errorf("dist: decode generation: %w", err)
	}
	return &s, nil
}

// resultMsg is one episode's result. It is binary, not JSON, because a
// return may be NaN or ±Inf and must arrive bit for bit.
type resultMsg struct {
	Run       string
	Eval      int // the job's evaluation number
	Gen       int
	Index     int
	Delivered int    // how often the broker delivered the job (>1: redelivered)
	Worker    string // who ran it
	Err       string // the worker could not run the job (the run fails)
	Res       sim.Result
}

// resultMagic names the layout; "hbr2" added LostSteps, SpeedMean and
// ActionAbsMean, so a worker and coordinator of different layouts refuse
// each other's results rather than misread them.
const resultMagic = 0x68627232 // "hbr2"

func encodeResult(r *resultMsg) []byte {
	b := make([]byte, 0, 128)
	b = binary.BigEndian.AppendUint32(b, resultMagic)
	b = binary.AppendUvarint(b, uint64(r.Eval))
	b = binary.AppendUvarint(b, uint64(r.Gen))
	b = binary.AppendUvarint(b, uint64(r.Index))
	b = binary.AppendUvarint(b, uint64(r.Delivered))
	b = binary.AppendVarint(b, r.Res.Seed)
	b = binary.AppendUvarint(b, uint64(r.Res.Steps))
	b = binary.AppendVarint(b, int64(r.Res.Tiles))
	b = binary.AppendVarint(b, int64(r.Res.TilesAll))
	b = binary.AppendUvarint(b, uint64(r.Res.LostSteps))
	b = binary.AppendUvarint(b, uint64(len(r.Res.ActionAbsMean)))
	fs := append([]float64{r.Res.Return, r.Res.Distance, r.Res.DistanceAtMark, r.Res.SpeedMean}, r.Res.ActionAbsMean...)
	for _, f := range fs {
		b = binary.BigEndian.AppendUint64(b, math.Float64bits(f))
	}
	for _, s := range []string{r.Run, r.Worker, r.Err, r.Res.Reason} {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	return b
}

var errShort = errors.New("dist: result message is truncated")

func decodeResult(b []byte) (*resultMsg, error) {
	if len(b) < 4 || binary.BigEndian.Uint32(b) != resultMagic {
		return nil, errors.New("dist: not a result message")
	}
	b = b[4:]
	var r resultMsg
	uv := func() int {
		v, n := binary.Uvarint(b)
		if n <= 0 {
			b = nil
			return 0
		}
		b = b[n:]
		return int(v)
	}
	sv := func() int64 {
		v, n := binary.Varint(b)
		if n <= 0 {
			b = nil
			return 0
		}
		b = b[n:]
		return v
	}
	r.Eval, r.Gen, r.Index, r.Delivered = uv(), uv(), uv(), uv()
	r.Res.Seed = sv()
	r.Res.Steps = uv()
	r.Res.Tiles, r.Res.TilesAll = int(sv()), int(sv())
	r.Res.LostSteps = uv()
	fs := []*float64{&r.Res.Return, &r.Res.Distance, &r.Res.DistanceAtMark, &r.Res.SpeedMean}
	if n := uv(); n > 0 {
		if b == nil || n > len(b)/8 {
			return nil, errShort
		}
		r.Res.ActionAbsMean = make([]float64, n)
		for i := range r.Res.ActionAbsMean {
			fs = append(fs, &r.Res.ActionAbsMean[i])
		}
	}
	for _, f := range fs {
		if len(b) < 8 {
			return nil, errShort
		}
		*f = math.Float64frombits(binary.BigEndian.Uint64(b))
		b = b[8:]
	}
	for _, s := range []*string{&r.Run, &r.Worker, &r.Err, &r.Res.Reason} {
		n := uv()
		if b == nil || n > len(b) {
			return nil, errShort
		}
		*s = string(b[:n])
		b = b[n:]
	}
	return &r, nil
}

// heartbeat is what a worker announces every second.
type heartbeat struct {
	ID    string `json:"id"`
	Slots int    `json:"slots"`
	Busy  int    `json:"busy"`
	Done  int64  `json:"done"` // jobs finished since it started
	Bye   bool   `json:"bye"`  // the worker is leaving
}

func encodeJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic("dist: " + err.Error()) // only plain data is marshalled
	}
	return b
}

// GenerationSize is the size in bytes of the generation message a
// coordinator publishes for cfg and theta (what each worker downloads
// once per generation).
func GenerationSize(cfg sim.TrainConfig, theta []float64, pop int) (int, error) {
	b, err := encodeSpec(&genSpec{Run: "0123456789ab", Eval: 1, Cfg: cfg, Theta: theta, Sigma: 0.1, NoiseSeed: 1, Pop: pop})
	return len(b), err
}
