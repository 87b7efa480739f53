package model

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/hebbsim/hebbsim/brain"
	"github.com/hebbsim/hebbsim/internal/atomicfile"
	"github.com/hebbsim/hebbsim/sim"
)

// EvoState is where an evolution run in the app stands.
type EvoState int

// The run states.
const (
	EvoIdle    EvoState = iota // nothing started
	EvoRunning                 // generations running in the background
	EvoPaused                  // paused (between generations)
	EvoStopped                 // stopped by the user, or all generations done
	EvoFailed                  // ended by an error (Msg says which)
)

var evoStateNames = []string{"idle", "running", "paused", "stopped", "failed"}

func (s EvoState) String() string { return evoStateNames[s] }

// EvolveSettings are what the Evolve panel remembers between runs: the
// run's settings (the same struct `hebb evolve`'s flags fill) and how
// many generations to run.
type EvolveSettings struct {
	Run     sim.RunSettings `json:"run"`
	Gens    int             `json:"gens"`
	Workers int             `json:"workers"`  // 0: every core
	SaveDir string          `json:"save_dir"` // where "save" writes rule files ("": the data folder's rules/)
}

// DefaultEvolveSettings: `hebb evolve`'s defaults (pop 64, σ 0.1, lr 0.2,
// decay 0.999 — docs/results: the quadruped's centre reached 25 m in
// under two minutes on one core with these), healthy quadruped, 300
// generations.
func DefaultEvolveSettings() EvolveSettings {
	return EvolveSettings{Run: sim.DefaultRunSettings(), Gens: 300}
}

// EvoNice is the niceness of the evolution's worker threads: the window's
// own thread keeps its priority and stays responsive.
const EvoNice = 10

// Evolve runs one evolution in the background: sim.Trainer generations
// (the trainer `hebb evolve` runs, on the same settings) on worker
// threads, checkpointed after every generation into Dir so that a run
// survives closing the app and resumes bit-identically. The panel reads
// Snapshot; the demo scene takes Centre.
type Evolve struct {
	Set EvolveSettings
	Dir string // the app's data folder for the run (checkpoint, run.json)

	mu      sync.Mutex
	cond    *sync.Cond
	tr      *sim.Trainer
	state   EvoState
	msg     string
	hist    []sim.GenStats
	centre  *brain.RuleFile // the newest centre's rule file
	net     *brain.Network  // the newest centre, for the coefficient heatmap
	gen     int
	gens    int
	elapsed time.Duration // wall time of the generations run (pauses excluded)
	session int           // generations run since this process started the run
	sessT   time.Duration
	pause   bool
	stop    bool
	done    chan struct{}
	run     sim.RunSettings // the running run's settings
	gcSet   bool
}

// EvoGCPercent is the GOGC the app runs with once it evolves (hebb's).
const EvoGCPercent = 400

// NewEvolve makes an idle session with settings s whose checkpoint lives
// in dir.
func NewEvolve(s EvolveSettings, dir string) *Evolve {
	e := &Evolve{Set: s, Dir: dir}
	e.cond = sync.NewCond(&e.mu)
	return e
}

// EvolveDir is the app's data folder for evolution runs: evolve/ beside
// settings.json (HEBBSIM_CONFIG_DIR moves both, for tests).
func EvolveDir() (string, error) {
	p, err := SettingsPath()
	if err != nil {
		return "", err
	}
	return filepath.Join(filepath.Dir(p), "evolve"), nil
}

func (e *Evolve) ckptPath() string { return filepath.Join(e.Dir, "checkpoint") }
func (e *Evolve) infoPath() string { return filepath.Join(e.Dir, "run.json") }

// runInfo is run.json: what the panel shows of a checkpointed run.
type runInfo struct {
	Run     sim.RunSettings `json:"run"`
	Gens    int             `json:"gens"`
	Gen     int             `json:"gen"`
	Elapsed float64         `json:"elapsed_s"`
}

// Check validates the settings; the message names what is wrong.
func (s EvolveSettings) Check() error {
	if s.Gens < 1 {
		return fmt.Errorf("generations %d must be at least 1", s.Gens)
	}
	if s.Workers < 0 {
		return fmt.Errorf("workers %d must not be negative", s.Workers)
	}
	return s.Run.Check()
}

// TrainConfig is the run's TrainConfig with the app's provenance: the
// `hebb evolve` command that gives the same rule files, and the settings
// as flags (so `hebb evolve --resume` can read an app checkpoint).
func (s EvolveSettings) TrainConfig() (sim.TrainConfig, error) {
	cfg, err := s.Run.TrainConfig()
	if err != nil {
		return cfg, err
	}
	cfg.Command = s.Run.Command(s.Gens)
	cfg.Settings = map[string]string{}
	for _, f := range s.Run.Flags() {
		cfg.Settings[f.Name] = f.Value
	}
	return cfg, nil
}

// Start begins a new run with the current settings, replacing any
// checkpointed one. Bad settings return an error and start nothing.
func (e *Evolve) Start() error {
	if st := e.State(); st == EvoRunning || st == EvoPaused {
		return errors.New("a run is already going: stop it first")
	}
	if err := e.Set.Check(); err != nil {
		e.setMsg(err.Error())
		return err
	}
	cfg, err := e.Set.TrainConfig()
	if err != nil {
		e.setMsg(err.Error())
		return err
	}
	tr, err := sim.NewTrainer(cfg, e.Set.Workers)
	if err != nil {
		e.setMsg(err.Error())
		return err
	}
	e.begin(tr, e.Set.Run, e.Set.Gens, 0)
	return nil
}

// Resumable reports the generation and target of the run checkpointed in
// Dir, if there is one that has generations left.
func (e *Evolve) Resumable() (gen, gens int, ok bool) {
	if st := e.State(); st == EvoRunning || st == EvoPaused {
		return 0, 0, false
	}
	var ri runInfo
	b, err := os.ReadFile(e.infoPath())
	if err != nil || json.Unmarshal(b, &ri) != nil {
		return 0, 0, false
	}
	if _, err := os.Stat(e.ckptPath()); err != nil || ri.Gen >= ri.Gens {
		return 0, 0, false
	}
	return ri.Gen, ri.Gens, true
}

// Resume continues the run checkpointed in Dir; it ends bit-identical to
// the run never interrupted (sim.LoadTrainer).
func (e *Evolve) Resume() error {
	if st := e.State(); st == EvoRunning || st == EvoPaused {
		return errors.New("a run is already going")
	}
	var ri runInfo
	b, err := os.ReadFile(e.infoPath())
	if err == nil {
		err = json.Unmarshal(b, &ri)
	}
	if err != nil {
		e.setMsg("no run to resume: " + err.Error())
		return err
	}
	f, err := os.Open(e.ckptPath())
	if err != nil {
		e.setMsg("no run to resume: " + err.Error())
		return err
	}
	tr, err := sim.LoadTrainer(f, e.Set.Workers)
	f.Close()
	if err != nil {
		e.setMsg("cannot resume: " + err.Error())
		return err
	}
	e.Set.Run, e.Set.Gens = ri.Run, ri.Gens
	e.begin(tr, ri.Run, ri.Gens, time.Duration(ri.Elapsed*float64(time.Second)))
	return nil
}

// Discard deletes the checkpointed run.
func (e *Evolve) Discard() {
	os.Remove(e.ckptPath())
	os.Remove(e.infoPath())
}

func (e *Evolve) begin(tr *sim.Trainer, run sim.RunSettings, gens int, elapsed time.Duration) {
	tr.SetNice(EvoNice)
	// Niceness works between OS threads, but a busy worker also holds one
	// of Go's GOMAXPROCS slots, which the window's goroutine then waits
	// for (measured: 29 → 6 FPS with two workers on two cores). With a
	// slot per worker on top of one per core, the kernel decides, and it
	// favours the window.
	if n := runtime.NumCPU() + tr.Workers(); runtime.GOMAXPROCS(0) < n {
		runtime.GOMAXPROCS(n)
	}
	// Box2D allocates per step: the collector's work (and its assists,
	// which the window's goroutine pays too) shrink with a larger GOGC,
	// as in hebb (cmd/hebb/main.go), while the live heap stays small.
	if os.Getenv("GOGC") == "" && !e.gcSet {
		debug.SetGCPercent(EvoGCPercent)
		e.gcSet = true
	}
	rf, _ := tr.CentreFile(time.Now())
	net, _ := tr.Network(tr.Centre())
	e.mu.Lock()
	e.tr, e.run, e.gens, e.elapsed = tr, run, gens, elapsed
	e.hist = append([]sim.GenStats(nil), tr.History...)
	e.gen, e.centre, e.net = tr.Gen(), rf, net
	e.session, e.sessT = 0, 0
	e.state, e.msg, e.pause, e.stop = EvoRunning, "", false, false
	e.done = make(chan struct{})
	done := e.done
	e.mu.Unlock()
	go e.loop(tr, done)
}

func (e *Evolve) loop(tr *sim.Trainer, done chan struct{}) {
	defer close(done)
	for {
		e.mu.Lock()
		for e.pause && !e.stop {
			e.cond.Wait()
		}
		if e.stop || tr.Gen() >= e.gens {
			e.state = EvoStopped
			e.mu.Unlock()
			return
		}
		e.mu.Unlock()
		g, err := tr.Step()
		if err == nil {
			err = e.checkpoint(tr, g)
		}
		var rf *brain.RuleFile
		var net *brain.Network
		if err == nil {
			rf, err = tr.CentreFile(time.Now())
		}
		if err == nil {
			net, err = tr.Network(tr.Centre())
		}
		e.mu.Lock()
		if err != nil {
			e.state, e.msg = EvoFailed, err.Error()
			e.mu.Unlock()
			return
		}
		d := time.Duration(g.Seconds * float64(time.Second))
		e.hist = append(e.hist, g)
		e.gen, e.centre, e.net = g.Gen, rf, net
		e.elapsed += d
		e.session++
		e.sessT += d
		e.mu.Unlock()
	}
}

// checkpoint writes the trainer's checkpoint and run.json, atomically.
func (e *Evolve) checkpoint(tr *sim.Trainer, g sim.GenStats) error {
	if err := os.MkdirAll(e.Dir, 0o755); err != nil {
		return fmt.Errorf("checkpoint: %w", err)
	}
	if err := atomicfile.Write(e.ckptPath(), tr.Save); err != nil {
		return fmt.Errorf("checkpoint: %w", err)
	}
	e.mu.Lock()
	ri := runInfo{Run: e.run, Gens: e.gens, Gen: g.Gen, Elapsed: (e.elapsed + time.Duration(g.Seconds*float64(time.Second))).Seconds()}
	e.mu.Unlock()
	b, _ := json.MarshalIndent(ri, "", "  ")
	return atomicfile.Write(e.infoPath(), func(w io.Writer) error { _, err := w.Write(b); return err })
}

// SetPaused pauses the run after the generation now running (true) or
// lets it go on (false).
func (e *Evolve) SetPaused(p bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.state != EvoRunning && e.state != EvoPaused {
		return
	}
	e.pause = p
	if p {
		e.state = EvoPaused
	} else {
		e.state = EvoRunning
	}
	e.cond.Broadcast()
}

// Stop ends the run after the generation now running and waits for it.
// The checkpoint stays, so the run can be resumed later.
func (e *Evolve) Stop() {
	e.mu.Lock()
	done := e.done
	e.stop = true
	e.cond.Broadcast()
	e.mu.Unlock()
	if done != nil {
		<-done
	}
}

// Wait blocks until the run has ended (all generations, Stop or error).
func (e *Evolve) Wait() {
	e.mu.Lock()
	done := e.done
	e.mu.Unlock()
	if done != nil {
		<-done
	}
}

// State is the run's state.
func (e *Evolve) State() EvoState {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.state
}

func (e *Evolve) setMsg(m string) {
	e.mu.Lock()
	e.msg = m
	e.mu.Unlock()
}

// SetMsg shows m in the panel ("" clears it).
func (e *Evolve) SetMsg(m string) { e.setMsg(m) }

// EvoSnapshot is what the panel shows of a run.
type EvoSnapshot struct {
	State              EvoState
	Msg                string
	Gen, Gens          int
	Best, Mean, Centre float64 // the last generation's
	EvalsPerS          float64 // over the last few generations
	Elapsed, ETA       time.Duration
	History            []sim.GenStats // shared: read only
	Run                sim.RunSettings
}

// Snapshot returns the run's statistics.
func (e *Evolve) Snapshot() EvoSnapshot {
	e.mu.Lock()
	defer e.mu.Unlock()
	s := EvoSnapshot{State: e.state, Msg: e.msg, Gen: e.gen, Gens: e.gens, History: e.hist[:len(e.hist):len(e.hist)],
		Elapsed: e.elapsed, Run: e.run, Best: math.NaN(), Mean: math.NaN(), Centre: math.NaN()}
	if n := len(e.hist); n > 0 {
		g := e.hist[n-1]
		s.Best, s.Mean, s.Centre = g.Best, g.Mean, g.Centre
		eps, secs := 0, 0.0
		for k := n - 1; k >= 0 && k >= n-5; k-- {
			eps += e.hist[k].Episodes
			secs += e.hist[k].Seconds
		}
		if secs > 0 {
			s.EvalsPerS = float64(eps) / secs
		}
	}
	if e.session > 0 && e.gens > e.gen {
		s.ETA = time.Duration(float64(e.sessT) / float64(e.session) * float64(e.gens-e.gen)).Round(time.Second)
	}
	return s
}

// Centre returns the newest centre's rule file and its generation (nil
// before a run).
func (e *Evolve) Centre() (*brain.RuleFile, int) {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.centre, e.gen
}

// CentreLayers are the newest centre's dense layers (for the coefficient
// heatmap) and its generation; nil before a run. The network is replaced,
// never changed, when a generation ends, so the views stay valid.
func (e *Evolve) CentreLayers() ([]Layer, int) {
	e.mu.Lock()
	n, gen := e.net, e.gen
	e.mu.Unlock()
	if n == nil {
		return nil, 0
	}
	return NewNet(n).Layers(), gen
}

// CentreName is the file name the centre is saved under.
func CentreName(rf *brain.RuleFile, gen int) string {
	m := rf.Meta
	env := m.Env
	if m.Obs != "" && m.Obs != "state" {
		env += "-" + m.Obs
	}
	return fmt.Sprintf("evolved-%s-%s-seed%d-gen%d.npz", env, m.Rule, m.Provenance.Seed, gen)
}

// SaveCentre writes the newest centre as a rule file into dir
// (atomically) and returns its path.
func (e *Evolve) SaveCentre(dir string) (string, error) {
	rf, gen := e.Centre()
	if rf == nil {
		return "", errors.New("nothing evolved yet: press Start")
	}
	c := *rf
	c.Meta.Provenance.Date = time.Now().UTC().Format(time.RFC3339)
	var buf bytes.Buffer
	if err := c.Encode(&buf); err != nil {
		return "", err
	}
	path := filepath.Join(dir, CentreName(rf, gen))
	if err := WriteFileAtomic(path, buf.Bytes()); err != nil {
		return "", fmt.Errorf("save: %w", err)
	}
	return path, nil
}

// EvoBodies are the bodies the panel offers, as env/obs.
var EvoBodies = []struct{ Label, Env, Obs string }{
	{"quadruped", "quadruped", ""},
	{"racer rays", "racer", "rays"},
	{"racer pixels", "racer", "pixels"},
}

// steps of the −/+ buttons.
var (
	evoPops  = []int{8, 16, 32, 64, 128, 256}
	evoGens  = []int{10, 50, 100, 200, 300, 500, 1000}
	evoScale = 1.5 // σ and lr buttons multiply or divide by this
)

// Edit changes one setting: what is "body", "rule", "preset", "mirror",
// "pop", "sigma", "lr", "seed", "gens", "workers" or "savedir"; arg is a value,
// or "next", "up", "down". A value that does not parse is an error; one
// that parses but is out of range is kept and reported by Check, so the
// panel can say what is wrong with it.
func (s *EvolveSettings) Edit(what, arg string) error {
	r := &s.Run
	switch what {
	case "body":
		i := -1
		for k, b := range EvoBodies {
			if b.Label == arg || b.Env+"-"+b.Obs == arg {
				i = k
			}
			if arg == "next" && b.Env == r.Env && b.Obs == r.Obs {
				i = (k + 1) % len(EvoBodies)
			}
		}
		if i < 0 {
			return fmt.Errorf("unknown body %q", arg)
		}
		b := EvoBodies[i]
		preset := r.Preset()
		r.Env, r.Obs = b.Env, b.Obs
		if r.ApplyPreset(preset) != nil {
			r.ApplyPreset(sim.PresetHealthy)
		}
		if b.Env == "racer" && s.Run.Sigma == sim.DefaultRunSettings().Sigma {
			r.Sigma = 0.3 // the racers' runs in docs/results.md
		}
		if b.Env == "quadruped" && r.Sigma == 0.3 {
			r.Sigma = sim.DefaultRunSettings().Sigma
		}
		if len(bodyMirrors(b.Env)) == 0 {
			r.Mirror = "" // the racer has no symmetry to tie
		}
	case "mirror":
		// "toggle": every mirror of the body (the quadruped's front and
		// back pairs) or none; otherwise the names, as --mirror takes them.
		if arg == "toggle" {
			arg = ""
			if r.Mirror == "" {
				arg = strings.Join(bodyMirrors(r.Env), ",")
			}
		}
		r.Mirror = arg // an unknown name is reported by Check
	case "rule":
		names := brain.RuleNames()
		if arg == "next" {
			i := 0
			for k, n := range names {
				if n == r.Rule {
					i = (k + 1) % len(names)
				}
			}
			arg = names[i]
		}
		r.Rule = arg // an unknown name is reported by Check
	case "preset":
		ps := sim.Presets(r.Env)
		if arg == "next" {
			cur := r.Preset()
			arg = ps[0]
			for k, p := range ps {
				if p == cur {
					arg = ps[(k+1)%len(ps)]
				}
			}
		}
		return r.ApplyPreset(arg)
	case "pop":
		n, err := stepInt(arg, r.Pop, evoPops)
		if err != nil {
			return fmt.Errorf("population %q: %w", arg, err)
		}
		r.Pop = n
	case "gens":
		n, err := stepInt(arg, s.Gens, evoGens)
		if err != nil {
			return fmt.Errorf("generations %q: %w", arg, err)
		}
		s.Gens = n
	case "seed":
		switch arg {
		case "up":
			r.Seed++
		case "down":
			if r.Seed > 0 {
				r.Seed--
			}
		default:
			n, err := strconv.ParseUint(arg, 10, 64)
			if err != nil {
				return fmt.Errorf("seed %q: want a whole number ≥ 0", arg)
			}
			r.Seed = n
		}
	case "workers":
		n, err := strconv.Atoi(arg)
		if err != nil {
			return fmt.Errorf("workers %q: want a whole number (0: every core)", arg)
		}
		s.Workers = n
	case "sigma", "lr":
		p := &r.Sigma
		if what == "lr" {
			p = &r.LR
		}
		switch arg {
		case "up":
			*p = round3(*p * evoScale)
		case "down":
			*p = round3(*p / evoScale)
		default:
			v, err := strconv.ParseFloat(arg, 64)
			if err != nil {
				return fmt.Errorf("%s %q: want a number", what, arg)
			}
			*p = v
		}
	case "savedir":
		s.SaveDir = arg
	default:
		return fmt.Errorf("unknown evolve setting %q", what)
	}
	return nil
}

// round3 keeps three significant digits, so repeated ×1.5 stays readable.
func round3(x float64) float64 {
	if x == 0 || math.IsNaN(x) || math.IsInf(x, 0) {
		return x
	}
	v, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'g', 3, 64), 64)
	return v
}

// stepInt moves n to the next or previous value of ladder ("up", "down")
// or parses arg.
func stepInt(arg string, n int, ladder []int) (int, error) {
	switch arg {
	case "up":
		for _, v := range ladder {
			if v > n {
				return v, nil
			}
		}
		return n, nil
	case "down":
		for k := len(ladder) - 1; k >= 0; k-- {
			if ladder[k] < n {
				return ladder[k], nil
			}
		}
		return n, nil
	}
	v, err := strconv.Atoi(arg)
	if err != nil {
		return n, errors.New("want a whole number")
	}
	return v, nil
}

// bodyMirrors lists env's mirrors (none for an unknown env).
func bodyMirrors(env string) []string {
	spec, err := sim.Lookup(env)
	if err != nil {
		return nil
	}
	return spec.MirrorNames()
}
