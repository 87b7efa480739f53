//go:build linux

package model

import (
	"fmt"
	"github.com/hebbsim/hebbsim/internal/loadavg"
	"image/color"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"github.com/hebbsim/hebbsim/brain"
	"github.com/hebbsim/hebbsim/sim"
)

// TestEvolveCurve is the Evolve mode's must-show measurement, not a unit
// test: HEBBSIM_EVOLVE_CURVE=DIR runs the app's Evolve mode from scratch
// with the default settings for HEBBSIM_EVOLVE_MINUTES (default 10)
// minutes of wall time — the same code the window runs, the demo scene
// stepping at 1× at 60 ticks a second, no display — and keeps the centre
// every 15 s. Afterwards each kept centre walks 10 unseen worlds (1,000
// steps, fresh random weights each) and DIR gets evolve-curve.csv and
// evolve-curve.png (centre distance against wall time), with the load
// average and the CPU share the run had.
//
//	HEBBSIM_EVOLVE_CURVE=docs go test ./game/model -run TestEvolveCurve -timeout 40m -v
func TestEvolveCurve(t *testing.T) {
	out := os.Getenv("HEBBSIM_EVOLVE_CURVE")
	if out == "" {
		t.Skip("set HEBBSIM_EVOLVE_CURVE=DIR to measure (10 minutes)")
	}
	minutes := 10.0
	if m, err := strconv.ParseFloat(os.Getenv("HEBBSIM_EVOLVE_MINUTES"), 64); err == nil && m > 0 {
		minutes = m
	}
	t.Setenv("HEBBSIM_CONFIG_DIR", t.TempDir())
	a := newEvoApp(t)
	a.Evo.Set.Gens = 100000 // stopped by the clock
	type snap struct {
		wall float64
		gen  int
		fit  float64
		cpu  float64 // process CPU seconds since Start
		rf   *brain.RuleFile
	}
	var snaps []snap
	load0 := loadavg.String()
	var ru0 syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru0)
	start := time.Now()
	a.Do("evolve:start")
	if a.Evo.State() != EvoRunning {
		t.Fatalf("did not start: %s", a.Evo.Snapshot().Msg)
	}
	tick := time.NewTicker(time.Second / 60)
	next := 0.0
	for range tick.C {
		a.Tick(60)
		w := time.Since(start).Seconds()
		if w >= next {
			rf, gen := a.Evo.Centre()
			sn := a.Evo.Snapshot()
			var ru syscall.Rusage
			syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
			snaps = append(snaps, snap{w, gen, sn.Centre, tv(ru.Utime) + tv(ru.Stime) - tv(ru0.Utime) - tv(ru0.Stime), rf})
			next += 15
		}
		if w > minutes*60 {
			break
		}
	}
	tick.Stop()
	wall := time.Since(start).Seconds()
	var ru1 syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru1)
	load1 := loadavg.String()
	a.Evo.Stop()
	cpu := tv(ru1.Utime) + tv(ru1.Stime) - tv(ru0.Utime) - tv(ru0.Stime)
	share := cpu / wall / float64(runtime.NumCPU())
	sn := a.Evo.Snapshot()

	var b strings.Builder
	fmt.Fprintf(&b, "# hebbsim Evolve mode from scratch, default settings: %s\n", a.Evo.Set.Run.Command(sn.Gen))
	fmt.Fprintf(&b, "# %.0f s wall, %d generations, process CPU %.0f s = %.0f%% of %d cores; load average at start %s, at end %s\n",
		wall, sn.Gen, cpu, 100*share, runtime.NumCPU(), load0, load1)
	fmt.Fprintln(&b, "wall_s,cpu_s,gen,centre_train_fitness,centre_unseen_mean_m,centre_unseen_std_m")
	var pts plotter.XYs
	for _, s := range snaps {
		if s.rf == nil {
			continue
		}
		res, err := sim.Evaluate("quadruped", s.rf.Meta.Obs, s.rf, sim.EvalOptions{Episodes: 10})
		if err != nil {
			t.Fatal(err)
		}
		var d []float64
		for _, r := range res {
			d = append(d, r.Distance)
		}
		m, sd := sim.Summary(d)
		fmt.Fprintf(&b, "%.1f,%.1f,%d,%.3f,%.3f,%.3f\n", s.wall, s.cpu, s.gen, s.fit, m, sd)
		pts = append(pts, plotter.XY{X: s.wall / 60, Y: m})
		t.Logf("%5.0f s  gen %4d  centre on unseen worlds %.1f ± %.1f m", s.wall, s.gen, m, sd)
	}
	t.Log(strings.SplitN(b.String(), "\n", 3)[1])
	if err := WriteFileAtomic(filepath.Join(out, "evolve-curve.csv"), []byte(b.String())); err != nil {
		t.Fatal(err)
	}
	p := plot.New()
	p.Title.Text = fmt.Sprintf("Evolve mode from scratch (pop 64): centre on 10 unseen worlds; CPU share %.0f%%", 100*share)
	p.X.Label.Text = "wall time since Start (min)"
	p.Y.Label.Text = "metres in 1,000 steps"
	p.Add(plotter.NewGrid())
	l, err := plotter.NewLine(pts)
	if err != nil {
		t.Fatal(err)
	}
	l.Color = color.RGBA{0xd6, 0x27, 0x28, 0xff}
	l.Width = vg.Points(1.5)
	p.Add(l)
	for _, g := range []struct{ x, y float64 }{{5, 10}, {10, 30}} {
		s, _ := plotter.NewScatter(plotter.XYs{{X: g.x, Y: g.y}})
		s.Color = color.Black
		p.Add(s)
	}
	p.Legend.Add("centre, mean of 10 unseen worlds", l)
	p.Legend.Top, p.Legend.Left = true, true
	if err := p.Save(6*vg.Inch, 3.5*vg.Inch, filepath.Join(out, "evolve-curve.png")); err != nil {
		t.Fatal(err)
	}
}

func tv(t syscall.Timeval) float64 { return float64(t.Sec) + float64(t.Usec)/1e6 }
