package main

import (
	"fmt"
	"image/color"
	"io"
	"math"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"github.com/hebbsim/hebbsim/assets"
	"github.com/hebbsim/hebbsim/brain"
	"github.com/hebbsim/hebbsim/internal/atomicfile"
	"github.com/hebbsim/hebbsim/sim"
)

// loadRules reads a rule file from a path or, when no such file exists,
// from the bundled rule files by name ("quadruped-hebbian" or
// "quadruped-hebbian.npz"), resolved by assets.Resolve as the app does.
func loadRules(name string) (*brain.RuleFile, error) {
	if name == "" {
		return nil, usageErr("--rules is required (a rule file path or a bundled name: %s)", bundledList())
	}
	path, bundled, err := assets.Resolve(name)
	if err != nil {
		return nil, usageErr("--rules: %v", err)
	}
	if path != "" {
		return brain.Load(path) // its errors name the file
	}
	b, err := assets.Open(bundled)
	if err != nil {
		return nil, err
	}
	rf, err := brain.Decode(b)
	if err != nil {
		return nil, fmt.Errorf("bundled %s: %w", bundled, err)
	}
	return rf, nil
}

func bundledList() string {
	if f := assets.RuleFiles(); len(f) > 0 {
		return strings.Join(f, ", ")
	}
	return "none yet"
}

// writeAtomic is atomicfile.Write: every file hebb writes goes through it.
var writeAtomic = atomicfile.Write

// logHeader is the first line of log.csv.
const logHeader = "gen,best,mean,min,centre,best_ever,lr,sigma,episodes,env_steps,early_stops,panics,seconds,total_seconds"

// writeLog rewrites log.csv from the run's history (so it always matches
// the checkpoint, even after a kill).
func writeLog(path string, h []sim.GenStats) error {
	return writeAtomic(path, func(w io.Writer) error {
		fmt.Fprintln(w, logHeader)
		total := 0.0
		for _, g := range h {
			total += g.Seconds
			fmt.Fprintf(w, "%d,%s,%s,%s,%s,%s,%s,%s,%d,%d,%d,%d,%.3f,%.3f\n", g.Gen,
				num(g.Best), num(g.Mean), num(g.Min), num(g.Centre), num(g.BestEver), num(g.LR), num(g.Sigma),
				g.Episodes, g.EnvSteps, g.EarlyStops, g.Panics, g.Seconds, total)
		}
		return nil
	})
}

func num(x float64) string {
	if math.IsNaN(x) {
		return ""
	}
	return strconv.FormatFloat(x, 'g', 8, 64)
}

// writePlot draws fitness.png: the population's best and mean and the
// centre's fitness per generation.
func writePlot(path, title, measure string, h []sim.GenStats) error {
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = "generation"
	p.Y.Label.Text = measure
	p.Add(plotter.NewGrid())
	series := []struct {
		name string
		get  func(sim.GenStats) float64
	}{
		{"population best", func(g sim.GenStats) float64 { return g.Best }},
		{"population mean", func(g sim.GenStats) float64 { return g.Mean }},
		{"centre θ", func(g sim.GenStats) float64 { return g.Centre }},
	}
	for i, s := range series {
		var pts plotter.XYs
		for _, g := range h {
			if v := s.get(g); !math.IsNaN(v) && !math.IsInf(v, 0) {
				pts = append(pts, plotter.XY{X: float64(g.Gen), Y: v})
			}
		}
		if len(pts) == 0 {
			continue
		}
		l, err := plotter.NewLine(pts)
		if err != nil {
			return err
		}
		l.Color = plotColors[i]
		l.Width = vg.Points(1.2)
		p.Add(l)
		p.Legend.Add(s.name, l)
	}
	p.Legend.Top, p.Legend.Left = true, true
	wt, err := p.WriterTo(8*vg.Inch, 4.5*vg.Inch, "png")
	if err != nil {
		return err
	}
	return writeAtomic(path, func(w io.Writer) error {
		_, err := wt.WriteTo(w)
		return err
	})
}

var plotColors = []color.Color{
	color.RGBA{R: 0xd6, G: 0x27, B: 0x28, A: 0xff},
	color.RGBA{R: 0x1f, G: 0x77, B: 0xb4, A: 0xff},
	color.RGBA{R: 0x2c, G: 0xa0, B: 0x2c, A: 0xff},
}
