package sim

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/hebbsim/hebbsim/brain"
	"github.com/hebbsim/hebbsim/physics"
)

// RunSettings are the settings of an evolution run as a person gives them:
// `hebb evolve`'s flags and the app's Evolve panel fill the same struct,
// and RunSettings.TrainConfig turns it into the one TrainConfig the one
// Trainer runs, so the two cannot drift apart. The Flag names below are
// the flags of `hebb evolve`; DefaultRunSettings are their defaults.
type RunSettings struct {
	Env, Obs, Rule string
	Pop            int
	Seed           uint64
	LR, Sigma      float64
	Decay          float64 // learning-rate decay per generation
	SigmaDecay     float64
	LRMin          float64
	SigmaMin       float64
	L2             float64
	Adam           bool
	Normalize      bool
	InitStd        float64
	Hidden         string // "128,64"; "": the env's
	Output         string // how the last layer becomes the action (brain.ParseOutput); "": the env's
	Mirror         string // comma-separated names of the body's mirrors to tie the genome to (EnvSpec.Mirrors)
	Episodes       int
	Morphologies   string // comma-separated
	DamageProb     float64
	DamageSteps    string // FROM:TO
	DamageLegs     string // comma-separated targets; "": all
	DamageKinds    string // comma-separated kinds; "": the env's first
	DamagePlan     string // comma-separated per-episode damage layout (MidDamage.Plan)
	Aggregate      string // a candidate's fitness from its episodes: mean, min, cvar:F
	MaxSteps       int
	EarlyStop      string
	Fitness        string
	Common         bool
	EvalCentre     bool
}

// DefaultRunSettings are `hebb evolve`'s defaults: the reference ES
// (DESIGN.md §1) with the slower learning-rate decay of §5, the healthy
// quadruped, one episode per candidate.
func DefaultRunSettings() RunSettings {
	return RunSettings{
		Env: "quadruped", Rule: brain.DefaultRule, Pop: 64, Seed: 1,
		LR: 0.2, Sigma: 0.1, Decay: 0.999, SigmaDecay: 0.999, L2: 0.01,
		Normalize: true, Episodes: 1, Morphologies: "healthy",
		DamageSteps: "100:700", EarlyStop: "default", Aggregate: "mean",
		Common: true, EvalCentre: true,
	}
}

// RunFlag is one setting as a `hebb evolve` flag: its name and its value
// written as the flag package writes it.
type RunFlag struct{ Name, Value string }

// Flags lists the settings as `hebb evolve` flags, in flag order.
func (s RunSettings) Flags() []RunFlag {
	f := func(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }
	b := strconv.FormatBool
	return []RunFlag{
		{"env", s.Env}, {"obs", s.Obs}, {"rule", s.Rule}, {"pop", strconv.Itoa(s.Pop)},
		{"seed", strconv.FormatUint(s.Seed, 10)}, {"lr", f(s.LR)}, {"sigma", f(s.Sigma)},
		{"decay", f(s.Decay)}, {"sigma-decay", f(s.SigmaDecay)}, {"lr-min", f(s.LRMin)},
		{"sigma-min", f(s.SigmaMin)}, {"l2", f(s.L2)}, {"adam", b(s.Adam)}, {"normalize", b(s.Normalize)},
		{"init-std", f(s.InitStd)}, {"hidden", s.Hidden}, {"output", s.Output}, {"mirror", s.Mirror}, {"episodes", strconv.Itoa(s.Episodes)},
		{"morphologies", s.Morphologies}, {"damage-prob", f(s.DamageProb)}, {"damage-steps", s.DamageSteps},
		{"damage-legs", s.DamageLegs}, {"damage-kinds", s.DamageKinds}, {"damage-plan", s.DamagePlan},
		{"aggregate", s.Aggregate}, {"max-steps", strconv.Itoa(s.MaxSteps)},
		{"early-stop", s.EarlyStop}, {"fitness", s.Fitness}, {"common", b(s.Common)}, {"eval-centre", b(s.EvalCentre)},
	}
}

// Command is the `hebb evolve` command that runs these settings for gens
// generations: the flags that differ from the defaults and --gens, sorted
// as `hebb evolve` records its own command (booleans as --name=value).
func (s RunSettings) Command(gens int) string {
	def := DefaultRunSettings().Flags()
	parts := []string{"--gens " + strconv.Itoa(gens)}
	for i, fl := range s.Flags() {
		if fl.Value == def[i].Value {
			continue
		}
		switch fl.Value {
		case "true", "false":
			parts = append(parts, "--"+fl.Name+"="+fl.Value)
		default:
			parts = append(parts, "--"+fl.Name+" "+fl.Value)
		}
	}
	sort.Strings(parts)
	return "hebb evolve " + strings.Join(parts, " ")
}

// TrainConfig builds the run's TrainConfig. Errors name the flag, e.g.
// "--pop 7 must be even and at least 2". It leaves Command and Settings
// to the caller; Check validates the rest against the environment.
func (s RunSettings) TrainConfig() (TrainConfig, error) {
	cfg := TrainConfig{Env: s.Env, Obs: s.Obs, Seed: s.Seed, MaxSteps: s.MaxSteps, InitStd: s.InitStd, EvalCentre: s.EvalCentre}
	spec, err := Lookup(s.Env)
	if err != nil {
		return cfg, err
	}
	obs, err := spec.CheckObs(s.Obs)
	if err != nil {
		return cfg, err
	}
	cfg.Obs = obs
	cfg.Arch = spec.Arch(obs)
	cfg.Arch.Rule, cfg.Arch.Normalize = s.Rule, s.Normalize
	if s.Rule == brain.StaticName {
		cfg.Arch.Normalize = false // static weights never change: nothing to normalise
	}
	if s.Hidden != "" {
		hs, err := intList(s.Hidden)
		if err != nil {
			return cfg, fmt.Errorf("--hidden: %v", err)
		}
		l := cfg.Arch.Layers
		cfg.Arch.Layers = append(append([]int{l[0]}, hs...), l[len(l)-1])
	}
	if s.Output != "" {
		out, err := brain.ParseOutput(s.Output)
		if err != nil {
			return cfg, fmt.Errorf("--output %q is not known: want one of %s", s.Output, strings.Join(brain.OutputNames(), ", "))
		}
		cfg.Arch.Output = out
	}
	mirrors := List(s.Mirror)
	for i, name := range mirrors {
		m, ok := spec.Mirrors[name]
		if !ok {
			want := "it has none"
			if len(spec.Mirrors) > 0 {
				want = "want one of " + strings.Join(spec.MirrorNames(), ", ")
			}
			return cfg, fmt.Errorf("--mirror %q is not a mirror of the %s: %s", name, s.Env, want)
		}
		if slices.Contains(mirrors[:i], name) {
			return cfg, fmt.Errorf("--mirror %q names %s twice", s.Mirror, name)
		}
		cfg.Arch.Mirrors = append(cfg.Arch.Mirrors, m)
	}
	if err := cfg.Arch.Validate(); err != nil && len(mirrors) > 0 {
		plain := cfg.Arch
		plain.Mirrors = nil
		if plain.Validate() == nil { // the mirrors are what does not fit
			return cfg, fmt.Errorf("--mirror %s: %v", s.Mirror, strings.TrimPrefix(err.Error(), "brain: "))
		}
	}
	cfg.ES.Pop, cfg.ES.LR, cfg.ES.Sigma = s.Pop, s.LR, s.Sigma
	cfg.ES.LRDecay, cfg.ES.SigmaDecay, cfg.ES.LRMin, cfg.ES.SigmaMin = s.Decay, s.SigmaDecay, s.LRMin, s.SigmaMin
	cfg.ES.L2, cfg.ES.Adam = s.L2, s.Adam
	if s.Pop < 2 || s.Pop%2 != 0 {
		return cfg, fmt.Errorf("--pop %d must be even and at least 2", s.Pop)
	}
	p := Protocol{Episodes: s.Episodes, Fitness: s.Fitness, Common: s.Common, Aggregate: s.Aggregate}
	if s.Episodes < 1 {
		return cfg, fmt.Errorf("--episodes %d must be at least 1", s.Episodes)
	}
	p.Morphologies = List(s.Morphologies)
	if s.DamageProb != 0 || s.DamagePlan != "" {
		from, to, ok := strings.Cut(s.DamageSteps, ":")
		a, e1 := strconv.Atoi(from)
		b, e2 := strconv.Atoi(to)
		if !ok || e1 != nil || e2 != nil {
			return cfg, fmt.Errorf("--damage-steps %q: want FROM:TO, e.g. 100:700", s.DamageSteps)
		}
		p.Damage = MidDamage{Prob: s.DamageProb, From: a, To: b, Targets: List(s.DamageLegs), Kinds: List(s.DamageKinds), Plan: List(s.DamagePlan)}
	}
	cfg.Protocol = p
	if cfg.EarlyStop, err = ParseEarlyStop(s.EarlyStop); err != nil {
		return cfg, err
	}
	return cfg, nil
}

// Check builds the TrainConfig and validates all of it (the rule, the ES
// settings, the protocol against the environment) without starting a
// run: what the app calls before Start so that a bad setting is a message.
func (s RunSettings) Check() error {
	cfg, err := s.TrainConfig()
	if err != nil {
		return err
	}
	if !slices.Contains(brain.RuleNames(), s.Rule) {
		return fmt.Errorf("--rule %q is not known: want one of %s", s.Rule, strings.Join(brain.RuleNames(), ", "))
	}
	if !(s.Sigma > 0) {
		return fmt.Errorf("--sigma %v must be greater than 0", s.Sigma)
	}
	if !(s.LR > 0) {
		return fmt.Errorf("--lr %v must be greater than 0", s.LR)
	}
	cfg, spec, err := cfg.Resolve()
	if err != nil {
		return err
	}
	env, err := spec.New(cfg.Obs)
	if err != nil {
		return err
	}
	return cfg.Protocol.Validate(env)
}

// ParseEarlyStop reads the --early-stop forms: default (nil: the env's),
// none, neg:RUN[:AFTER] or stall:STEPS:METRES.
func ParseEarlyStop(s string) (*EarlyStop, error) {
	bad := fmt.Errorf("--early-stop %q: want default, none, neg:RUN[:AFTER] or stall:STEPS:METRES", s)
	parts := strings.Split(s, ":")
	switch parts[0] {
	case "default", "":
		return nil, nil
	case "none":
		return &EarlyStop{}, nil
	case "neg":
		if len(parts) < 2 || len(parts) > 3 {
			return nil, bad
		}
		run, err := strconv.Atoi(parts[1])
		after := 0
		if len(parts) == 3 && err == nil {
			after, err = strconv.Atoi(parts[2])
		}
		if err != nil || run < 1 || after < 0 {
			return nil, bad
		}
		return &EarlyStop{Run: run, After: after}, nil
	case "stall":
		if len(parts) != 3 {
			return nil, bad
		}
		st, err1 := strconv.Atoi(parts[1])
		m, err2 := strconv.ParseFloat(parts[2], 64)
		if err1 != nil || err2 != nil || st < 1 || m < 0 {
			return nil, bad
		}
		return &EarlyStop{Stall: st, Progress: m}, nil
	}
	return nil, bad
}

// List splits a comma-separated list, dropping blanks.
func List(s string) []string {
	var out []string
	for _, x := range strings.Split(s, ",") {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

func intList(s string) ([]int, error) {
	var out []int
	for _, x := range List(s) {
		n, err := strconv.Atoi(x)
		if err != nil || n < 1 {
			return nil, fmt.Errorf("%q is not a positive integer", x)
		}
		out = append(out, n)
	}
	if len(out) == 0 {
		return nil, errors.New("no sizes")
	}
	return out, nil
}

// Preset names: training protocols the app offers by name.
const (
	PresetHealthy = "healthy"     // healthy body only
	PresetDamage  = "damage-menu" // quadruped: damage of every kind on any leg, mid-episode
	PresetPerturb = "perturb"     // racer: oil, engine, steering mid-episode
)

// Presets are the protocol presets that make sense for env: healthy only,
// and mid-episode damage of every kind the env offers on any target (the
// quadruped's damage menu, the racer's perturbations).
func Presets(env string) []string {
	spec, err := Lookup(env)
	if err != nil {
		return nil
	}
	e, err := spec.New(spec.ObsModes[0])
	if err != nil {
		return []string{PresetHealthy}
	}
	d, ok := e.(physics.Damageable)
	if !ok || len(d.DamageKinds()) == 0 {
		return []string{PresetHealthy}
	}
	if len(d.DamageTargets()) > 1 {
		return []string{PresetHealthy, PresetDamage}
	}
	return []string{PresetHealthy, PresetPerturb}
}

// ApplyPreset sets the protocol fields of s to preset name. The damage
// presets damage half the episodes, at a step in 100–700, with every kind
// on every target of the env (the racer's perturbations are damage of its
// one target, "car").
func (s *RunSettings) ApplyPreset(name string) error {
	if !slices.Contains(Presets(s.Env), name) {
		return fmt.Errorf("preset %q does not fit %s (valid: %s)", name, s.Env, strings.Join(Presets(s.Env), ", "))
	}
	d := DefaultRunSettings()
	s.Episodes, s.Morphologies = d.Episodes, d.Morphologies
	s.DamageProb, s.DamageSteps, s.DamageLegs, s.DamageKinds, s.DamagePlan = 0, d.DamageSteps, d.DamageLegs, d.DamageKinds, d.DamagePlan
	if name == PresetHealthy {
		return nil
	}
	spec, _ := Lookup(s.Env)
	e, err := spec.New(spec.ObsModes[0])
	if err != nil {
		return err
	}
	dm := e.(physics.Damageable)
	s.DamageProb = 0.5
	s.DamageKinds = strings.Join(dm.DamageKinds(), ",")
	return nil
}

// Preset names the preset s's protocol matches, or "custom".
func (s RunSettings) Preset() string {
	for _, p := range Presets(s.Env) {
		t := s
		if t.ApplyPreset(p) == nil && t == s {
			return p
		}
	}
	return "custom"
}

var gensFlag = regexp.MustCompile(`--gens[ =]\d+`)

// CommandAt is a run's command with --gens set to gen: the command that
// reproduces a file written after generation gen, also when the run was
// resumed or stopped early (the results depend on neither).
func CommandAt(cmd string, gen int) string {
	g := "--gens " + strconv.Itoa(gen)
	if gensFlag.MatchString(cmd) {
		return gensFlag.ReplaceAllLiteralString(cmd, g)
	}
	return cmd + " " + g
}

// CentreDescription is the description of a run's centre rule file
// (best.npz) after generation gen under protocol p.
func CentreDescription(gen int, p Protocol) string {
	what := p.Fitness
	if c, ok := p.keptCap(); ok {
		what = fmt.Sprintf("kept-share score, min(healthy %s, %g) × (1 + mean share kept under damage),", p.Fitness, c)
	} else if p.Aggregate != "" && p.Aggregate != "mean" {
		what = fmt.Sprintf("%s (%s over its episodes)", p.Fitness, p.Aggregate)
	}
	return fmt.Sprintf("centre θ (ES mean) after generation %d; fitness is its %s on that generation's training worlds", gen, what)
}

// RuleFile is the rule file of params written after generation gen, with
// the run's provenance (seed, the command at gen, date in RFC 3339).
func (t *Trainer) RuleFile(params []float64, gen int, fitness float64, desc, date string) (*brain.RuleFile, error) {
	net, err := t.Network(params)
	if err != nil {
		return nil, err
	}
	if fitness != fitness || fitness > 1e308 || fitness < -1e308 { // NaN, ±Inf
		fitness = 0
	}
	cfg := t.Cfg
	return brain.FromNetwork(net, brain.Meta{
		Env: cfg.Env, Obs: cfg.Obs, Description: desc,
		Provenance: brain.Provenance{
			Generations: gen, Fitness: fitness, Seed: int64(cfg.Seed), Command: CommandAt(cfg.Command, gen),
			Date: date,
		},
	}), nil
}

// CentreFile is the rule file of the current centre θ, as `hebb evolve`
// writes best.npz: its fitness is the centre's on the last generation
// (the population mean when the centre is not evaluated).
func (t *Trainer) CentreFile(date time.Time) (*brain.RuleFile, error) {
	d := date.UTC().Format(time.RFC3339)
	if len(t.History) == 0 {
		return t.RuleFile(t.Centre(), 0, 0, CentreDescription(0, t.Cfg.Protocol), d)
	}
	last := t.History[len(t.History)-1]
	fit := last.Centre
	if fit != fit {
		fit = last.Mean
	}
	return t.RuleFile(t.Centre(), last.Gen, fit, CentreDescription(last.Gen, t.Cfg.Protocol), d)
}
