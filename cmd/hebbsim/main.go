// Command hebbsim is the desktop simulator: watch networks that start from
// random weights organise themselves, through evolved Hebbian rules, into
// a walking quadruped or a driving car; damage them mid-episode and watch
// every weight re-organise.
//
//	hebbsim [--rules FILE] [--scene quadruped|racer] [--seed N] [--speed N]
//
// Press F1 in the app for every key.
package main

import (
	"flag"
	"fmt"
	"os"
	"runtime/pprof"
	"time"

	"github.com/hebbsim/hebbsim/game"
)

func main() {
	var o game.Options
	flag.StringVar(&o.Rules, "rules", "", "rule file (.npz) to load at start")
	flag.StringVar(&o.Scene, "scene", "", "scene to open: quadruped or racer (default: the last one)")
	flag.Int64Var(&o.Seed, "seed", 0, "seed of the first episode (default 1)")
	flag.IntVar(&o.Speed, "speed", -1, "speed rung 0..6 (⅛× … 8×; default: the last one)")
	flag.DurationVar(&o.FPSTest, "fps-test", 0, "measure the frame rate for this long after a 3 s warm-up, print fps_median=NN and exit")
	flag.StringVar(&o.ShotsDir, "shots", "", "directory for F12 screenshots (default: the last one, else the current directory)")
	flag.IntVar(&o.Width, "width", 0, "window width (default: the last one, 1280)")
	flag.IntVar(&o.Height, "height", 0, "window height (default: the last one, 720)")
	// Hidden test control: write the app's state as JSON every few frames.
	flag.StringVar(&o.State, "state-file", "", "")
	flag.Usage = func() {
		fmt.Fprintf(os.Stderr, "usage: hebbsim [flags]\n\nThe hebbsim desktop simulator. Press F1 in the app for the keys.\n\n")
		flag.VisitAll(func(f *flag.Flag) {
			if f.Usage == "" {
				return
			}
			fmt.Fprintf(os.Stderr, "  --%s\t%s\n", f.Name, f.Usage)
		})
	}
	flag.Parse()
	if flag.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "hebbsim: unexpected argument %q\n", flag.Arg(0))
		flag.Usage()
		os.Exit(2)
	}
	if o.FPSTest < 0 || (o.FPSTest > 0 && o.FPSTest < time.Second) {
		fmt.Fprintln(os.Stderr, "hebbsim: --fps-test wants a duration of at least 1s")
		os.Exit(2)
	}
	if p := os.Getenv("HEBBSIM_CPUPROFILE"); p != "" { // for measuring the frame cost
		f, err := os.Create(p)
		if err == nil {
			pprof.StartCPUProfile(f)
			defer pprof.StopCPUProfile()
		}
	}
	if err := game.Run(o); err != nil {
		fmt.Fprintln(os.Stderr, "hebbsim:", err)
		os.Exit(1)
	}
}
