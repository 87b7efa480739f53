package main

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/spf13/cobra"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"

	"github.com/hebbsim/hebbsim/brain"
)

// maxPCASynapses bounds the width of the PCA: nets with more plastic
// synapses are subsampled (every k-th synapse of the flattened weights),
// and the plot title says so. The quadruped's 13,056 fit whole.
const maxPCASynapses = 16384

// maxFitSteps bounds the rows the SVD sees: stat.PC's thin SVD of a
// 1,001 × 13,056 matrix took 23 s on this machine and of a 251 × 13,056 one
// 1.2 s (load average 4), so the principal directions are fitted on every
// k-th step (plus the last) and every step is projected on them. The
// explained variances are exact over all steps for those directions.
// On the docs figure's episode (docs/weights-trajectory.png) the full fit
// explained 28.84 % and 19.08 %, the fit on every 4th step 28.78 % and
// 19.00 %.
const maxFitSteps = 256

// settleWindow is the number of steps the printed mean |Δw| summary
// averages over (at the start, around each event, at the end).
const settleWindow = 50

func newTrajectory() *cobra.Command {
	var ep episodeFlags
	var out, settle string
	cmd := &cobra.Command{
		Use:   "trajectory --rules FILE --out traj.png [flags]",
		Short: "plot one episode's weight trajectory (first two principal components) and its settling curve",
		Long: `trajectory runs one episode as hebb trace does (sim.Trace), flattens the weights of
all plastic layers at every step and projects them on their first two principal
components (gonum stat.PC), coloured by time with the damage or perturbation steps
marked, into --out; and it draws the mean |Δw| per synapse per step of each layer
(the "settling" curve) into --settling. Weights driven by a gait may settle onto a
periodic orbit rather than a point, so it also finds PC1's period P (autocorrelation)
and draws mean |w(t) − w(t−P)| (small on a settled orbit) beside mean |w(t) − w(t−P/2)|
(the orbit's width). It prints the variance PC1 and PC2 explain and these numbers
over windows at the start, around each event and at the end.

The principal directions are fitted on at most 256 evenly spaced steps (every step
is projected); nets with more than 16,384 plastic synapses are subsampled (every
k-th synapse). Both are named in the plot title.`,
		Example: `  hebb trajectory --rules quadruped-hebbian --damage BR:shorten@300 --seed 1000000000 --out docs/weights-trajectory.png --settling docs/weights-settling.png
  hebb trajectory --rules racer-hebbian-rays --perturb oil@200 --out racer-traj.png`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			if out == "" {
				return usageErr("trajectory: --out FILE.png is required")
			}
			if !strings.EqualFold(filepath.Ext(out), ".png") {
				return usageErr("trajectory: --out %q must end in .png", out)
			}
			if settle == "" {
				settle = strings.TrimSuffix(out, filepath.Ext(out)) + "-settling.png"
			}
			if !strings.EqualFold(filepath.Ext(settle), ".png") {
				return usageErr("trajectory: --settling %q must end in .png", settle)
			}
			for _, p := range []string{out, settle} {
				if st, err := os.Stat(filepath.Dir(p)); err != nil || !st.IsDir() {
					return usageErr("trajectory: no directory %q to write %s into", filepath.Dir(p), p)
				}
			}
			r, err := ep.record(func(rf *brain.RuleFile) error {
				if len(rf.Coeffs) == 0 {
					return usageErr("trajectory: %s is a static network (rule %s): its weights never change", ep.rules, rf.Meta.Rule)
				}
				return nil
			})
			if err != nil {
				return err
			}
			rf, e, events, res := r.rf, r.env, r.events, r.res
			tr := r.rec.Trace(rf.Meta)
			wt, err := analyseTrajectory(tr, maxPCASynapses, maxFitSteps)
			if err != nil {
				return fmt.Errorf("trajectory: %v", err)
			}
			var marks []int
			for _, ev := range events {
				if ev.Step <= wt.Steps {
					marks = append(marks, ev.Step)
				}
			}
			sort.Ints(marks)
			label := strings.Trim(ep.damage+","+ep.perturb, ",")
			name := ep.rules
			if g := rf.Meta.Provenance.Generations; g > 0 {
				name = fmt.Sprintf("%s (generation %d)", ep.rules, g)
			}
			ctx := trajContext{
				Rules: name, Env: e, Seed: ep.seed, Morph: ep.morph, Events: label, Marks: marks,
				Result: fmt.Sprintf("%d steps, return %.1f", res.Steps, res.Return),
			}
			if e == "quadruped" {
				ctx.Result += fmt.Sprintf(", %.1f m", res.Distance)
			}
			if err := writeTrajectoryPNG(out, wt, ctx); err != nil {
				return fmt.Errorf("trajectory: %s: %v", out, err)
			}
			if err := writeSettlingPNG(settle, wt, ctx); err != nil {
				return fmt.Errorf("trajectory: %s: %v", settle, err)
			}
			w := c.OutOrStdout()
			fmt.Fprintf(w, "%s, seed %d, body %s, events %q: %d steps (%s), return %.2f, distance %.2f m\n",
				ep.rules, ep.seed, ep.morph, label, res.Steps, res.Reason, res.Return, res.Distance)
			fmt.Fprintf(w, "PCA of %d×%d weight vectors (%s): PC1 explains %.1f %%, PC2 %.1f %% of the variance over all steps\n",
				wt.Steps+1, wt.PCASynapses, wt.sampling(), 100*wt.Explained[0], 100*wt.Explained[1])
			for _, win := range settleWindows(wt.Steps, marks, settleWindow) {
				fmt.Fprintf(w, "mean |Δw| per synapse per step, steps %4d–%4d: %.3g\n", win[0], win[1]-1, wt.meanDelta(win[0], win[1]))
			}
			fmt.Fprintf(w, "mean |w| per synapse over the episode: %.3g\n", wt.MeanW)
			if wt.Period > 0 {
				fmt.Fprintf(w, "PC1 oscillates with a period of %d steps; mean |w(t) − w(t−%d)| (one period back) and |w(t) − w(t−%d)| (half a period back) per synapse:\n", wt.Period, wt.Period, wt.Period/2)
				for _, win := range settleWindows(wt.Steps, marks, settleWindow) {
					if a := max(win[0], wt.Period); a < win[1] {
						fmt.Fprintf(w, "  steps %4d–%4d: %.3g and %.3g\n", a, win[1]-1, meanOver(wt.Recur, a, win[1]), meanOver(wt.Half, a, win[1]))
					}
				}
			} else {
				fmt.Fprintln(w, "PC1 shows no clear periodic orbit")
			}
			fmt.Fprintf(w, "wrote %s and %s\n", out, settle)
			return nil
		},
	}
	f := cmd.Flags()
	ep.register(f, "rule file: a path or the name of a bundled rule file (plastic)")
	f.StringVar(&out, "out", "", "trajectory plot to write (.png)")
	f.StringVar(&settle, "settling", "", "settling plot to write (.png; default: --out with -settling before .png)")
	return cmd
}

// weightTrajectory is what the two plots show.
type weightTrajectory struct {
	Steps       int          // T: weights w(0) … w(T)
	Layers      [][2]int     // per plastic layer: out, in
	Synapses    int          // plastic synapses in all
	PCASynapses int          // synapses in the PCA (≤ maxPCASynapses)
	SynStride   int          // every SynStride-th synapse went into the PCA
	FitStride   int          // the SVD saw every FitStride-th step (and the last)
	Proj        [][2]float64 // T+1 points: w(t) on PC1, PC2
	Explained   [2]float64   // fraction of the variance over all T+1 steps
	Delta       [][]float64  // per layer, T values: mean |w(t+1) − w(t)|
	DeltaAll    []float64    // the same over all plastic synapses
	// Period is PC1's dominant period in steps (0: none found); Recur[t]
	// is mean |w(t) − w(t−Period)| over all plastic synapses (t ≥ Period),
	// small when the weights have settled onto a periodic orbit.
	// Half[t] is the same at lag Period/2, the orbit's far side: the
	// scale Recur is small against.
	Period int
	Recur  []float64
	Half   []float64
	MeanW  float64 // mean |w| over all plastic synapses and steps
}

func (wt *weightTrajectory) sampling() string {
	s := fmt.Sprintf("PCs fitted on every %s step", ordinal(wt.FitStride))
	if wt.FitStride == 1 {
		s = "PCs fitted on every step"
	}
	if wt.SynStride > 1 {
		s += fmt.Sprintf(", every %s of %d synapses", ordinal(wt.SynStride), wt.Synapses)
	}
	return s
}

func ordinal(n int) string {
	switch {
	case n%100 >= 11 && n%100 <= 13:
		return fmt.Sprintf("%dth", n)
	case n%10 == 1:
		return fmt.Sprintf("%dst", n)
	case n%10 == 2:
		return fmt.Sprintf("%dnd", n)
	case n%10 == 3:
		return fmt.Sprintf("%drd", n)
	}
	return fmt.Sprintf("%dth", n)
}

// meanDelta is the mean |Δw| over all plastic synapses and steps [a, b).
func (wt *weightTrajectory) meanDelta(a, b int) float64 {
	s := 0.0
	for t := a; t < b; t++ {
		s += wt.DeltaAll[t]
	}
	return s / float64(b-a)
}

func meanOver(d []float64, a, b int) float64 {
	s := 0.0
	for _, v := range d[a:b] {
		s += v
	}
	return s / float64(b-a)
}

// settleWindows returns [a, b) step windows of width w for the printed
// summary: the start, just before and just after each event, the end;
// clipped to [0, T) and without repeats.
func settleWindows(T int, marks []int, w int) [][2]int {
	w = min(w, T)
	cand := [][2]int{{0, w}}
	for _, m := range marks {
		cand = append(cand, [2]int{m - w, m}, [2]int{m, m + w})
	}
	cand = append(cand, [2]int{T - w, T})
	var out [][2]int
	seen := map[[2]int]bool{}
	for _, c := range cand {
		c[0], c[1] = max(c[0], 0), min(c[1], T)
		if c[1] <= c[0] || seen[c] {
			continue
		}
		seen[c] = true
		out = append(out, c)
	}
	return out
}

// analyseTrajectory flattens tr's plastic weights per step, projects them
// on their first two principal components and computes the per-layer
// settling curves.
func analyseTrajectory(tr *brain.Trace, maxSyn, maxFit int) (*weightTrajectory, error) {
	if len(tr.Coeffs) == 0 {
		return nil, errors.New("the trace's network is static: its weights never change")
	}
	T := tr.Meta.Steps
	wt := &weightTrajectory{Steps: T}
	for l := range tr.W {
		n := len(tr.W[l]) / (T + 1)
		wt.Synapses += n
		shape := [2]int{0, n}
		if l+1 < len(tr.Meta.Layers) {
			shape = [2]int{tr.Meta.Layers[l+1], tr.Meta.Layers[l]}
		}
		if shape[0]*shape[1] != n {
			shape = [2]int{0, n} // unknown shape: the legend says "n synapses"
		}
		wt.Layers = append(wt.Layers, shape)
	}
	if wt.Synapses == 0 {
		return nil, errors.New("the trace has no plastic synapses")
	}
	wt.SynStride = (wt.Synapses + maxSyn - 1) / maxSyn
	rows := make([][]float32, T+1)
	for t := range rows {
		rows[t] = make([]float32, 0, (wt.Synapses+wt.SynStride-1)/wt.SynStride)
		g := 0 // global synapse index of the first synapse of layer l
		for l := range tr.W {
			n := len(tr.W[l]) / (T + 1)
			w := tr.W[l][t*n : (t+1)*n]
			// first index ≥ 0 in this layer with (g+k) % stride == 0
			k0 := (wt.SynStride - g%wt.SynStride) % wt.SynStride
			for k := k0; k < n; k += wt.SynStride {
				rows[t] = append(rows[t], w[k])
			}
			g += n
		}
	}
	wt.PCASynapses = len(rows[0])
	var err error
	wt.Proj, wt.Explained, wt.FitStride, err = pca2(rows, maxFit)
	if err != nil {
		return nil, err
	}
	wt.DeltaAll = make([]float64, T)
	for l := range tr.W {
		n := len(tr.W[l]) / (T + 1)
		d := make([]float64, T)
		for t := 0; t < T; t++ {
			a, b := tr.W[l][t*n:(t+1)*n], tr.W[l][(t+1)*n:(t+2)*n]
			s := 0.0
			for k := range a {
				s += math.Abs(float64(b[k]) - float64(a[k]))
			}
			d[t] = s / float64(n)
			wt.DeltaAll[t] += s / float64(wt.Synapses)
		}
		wt.Delta = append(wt.Delta, d)
	}
	wt.Period = period(wt.Proj, 4, min(200, T/2))
	for l := range tr.W {
		for _, v := range tr.W[l] {
			wt.MeanW += math.Abs(float64(v))
		}
	}
	wt.MeanW /= float64(wt.Synapses) * float64(T+1)
	if wt.Period > 0 {
		wt.Recur = lagDistance(tr, T, wt.Synapses, wt.Period)
		wt.Half = lagDistance(tr, T, wt.Synapses, wt.Period/2)
	}
	return wt, nil
}

// lagDistance returns d[t] = mean |w(t) − w(t−lag)| over all plastic
// synapses for t ≥ lag (0 before).
func lagDistance(tr *brain.Trace, T, synapses, lag int) []float64 {
	d := make([]float64, T+1)
	for l := range tr.W {
		n := len(tr.W[l]) / (T + 1)
		for t := lag; t <= T; t++ {
			a, b := tr.W[l][(t-lag)*n:(t-lag+1)*n], tr.W[l][t*n:(t+1)*n]
			s := 0.0
			for k := range a {
				s += math.Abs(float64(b[k]) - float64(a[k]))
			}
			d[t] += s / float64(synapses)
		}
	}
	return d
}

// period returns the lag in [lo, hi] at which the autocorrelation of PC1
// peaks highest after it first turns negative, or 0 if it never does or
// the peak is under 0.3 (no clear oscillation).
func period(proj [][2]float64, lo, hi int) int {
	n := len(proj)
	if hi >= n || hi < lo {
		return 0
	}
	mean := 0.0
	for _, q := range proj {
		mean += q[0]
	}
	mean /= float64(n)
	ac := func(lag int) float64 {
		s, v := 0.0, 0.0
		for t := 0; t < n; t++ {
			d := proj[t][0] - mean
			v += d * d
			if t >= lag {
				s += d * (proj[t-lag][0] - mean)
			}
		}
		return s / v * float64(n) / float64(n-lag)
	}
	neg, best, bestLag := false, 0.3, 0
	for lag := 1; lag <= hi; lag++ {
		r := ac(lag)
		if r < 0 {
			neg = true
		}
		if neg && lag >= lo && r > best {
			best, bestLag = r, lag
		}
	}
	return bestLag
}

// pca2 projects the rows (one weight vector per step) on their first two
// principal components. The directions come from stat.PC on every
// fitStride-th row and the last (at most maxFit+1 rows), centred on the
// mean of all rows; explained[i] is the variance of all rows along PC i
// over their total variance. PC1 is oriented from the first row towards
// the last, PC2 so that its largest excursion is positive.
func pca2(rows [][]float32, maxFit int) (proj [][2]float64, explained [2]float64, fitStride int, err error) {
	n := len(rows)
	if n < 2 {
		return nil, explained, 0, fmt.Errorf("PCA needs at least 2 steps, have %d", n)
	}
	D := len(rows[0])
	if D == 0 {
		return nil, explained, 0, errors.New("PCA of empty weight vectors")
	}
	mu := make([]float64, D)
	for _, r := range rows {
		if len(r) != D {
			panic("hebb: pca2: ragged rows")
		}
		for j, v := range r {
			mu[j] += float64(v)
		}
	}
	for j := range mu {
		mu[j] /= float64(n)
	}
	total, scale := 0.0, 0.0
	for _, r := range rows {
		for j, v := range r {
			d := float64(v) - mu[j]
			total += d * d
		}
	}
	for _, m := range mu {
		scale += m * m
	}
	// Constant weights (or changes at float32 rounding level) have no
	// principal directions worth a plot.
	if total <= 1e-12*float64(n)*math.Max(scale, 1e-30) || total == 0 {
		return nil, explained, 0, errors.New("the weights do not change during the episode: nothing to project")
	}
	fitStride = max(1, (n+maxFit-1)/maxFit)
	var fit []int
	for t := 0; t < n; t += fitStride {
		fit = append(fit, t)
	}
	if fit[len(fit)-1] != n-1 {
		fit = append(fit, n-1)
	}
	X := mat.NewDense(len(fit), D, nil)
	for i, t := range fit {
		row := X.RawRowView(i)
		for j, v := range rows[t] {
			row[j] = float64(v) - mu[j]
		}
	}
	var pc stat.PC
	if !pc.PrincipalComponents(X, nil) {
		return nil, explained, 0, errors.New("the SVD of the weight trajectory did not converge")
	}
	var V mat.Dense
	pc.VectorsTo(&V)
	_, k := V.Dims()
	dirs := make([][]float64, 2)
	for i := range dirs {
		dirs[i] = make([]float64, D)
		if i < k {
			mat.Col(dirs[i], i, &V)
		}
	}
	proj = make([][2]float64, n)
	for t, r := range rows {
		for i := range 2 {
			s := 0.0
			for j, v := range r {
				s += (float64(v) - mu[j]) * dirs[i][j]
			}
			proj[t][i] = s
		}
	}
	// Orient the axes so the same run always looks the same way round.
	if proj[n-1][0] < proj[0][0] {
		for t := range proj {
			proj[t][0] = -proj[t][0]
		}
	}
	far := 0
	for t := range proj {
		if math.Abs(proj[t][1]) > math.Abs(proj[far][1]) {
			far = t
		}
	}
	if proj[far][1] < 0 {
		for t := range proj {
			proj[t][1] = -proj[t][1]
		}
	}
	for i := range 2 {
		s := 0.0
		for t := range proj {
			s += proj[t][i] * proj[t][i]
		}
		explained[i] = s / total
	}
	return proj, explained, fitStride, nil
}
