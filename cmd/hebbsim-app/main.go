// Command hebbsim-app is the simulator's window (package game, Ebitengine).
// Start it through the launcher hebbsim, which checks the flags and the
// display first: Ebitengine panics at package initialisation when there is
// no X display, before this main runs. The same program, built with
// GOOS=js GOARCH=wasm, is the web build (make web); there the page passes
// its URL's query (?seed=3&scene=racer) as the flags.
package main

import (
	"errors"
	"fmt"
	"os"
	"runtime/pprof"

	"github.com/hebbsim/hebbsim/game"
	"github.com/hebbsim/hebbsim/game/model"
)

func main() {
	f, err := model.ParseFlags(os.Args[1:], os.Stdout)
	if errors.Is(err, model.ErrHelp) {
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "hebbsim:", err)
		os.Exit(2)
	}
	if p := os.Getenv("HEBBSIM_CPUPROFILE"); p != "" { // for measuring the frame cost
		if pf, err := os.Create(p); err == nil {
			pprof.StartCPUProfile(pf)
			defer pprof.StopCPUProfile()
		}
	}
	o := game.Options{Rules: f.Rules, Scene: f.Scene, Seed: f.Seed, Speed: f.Speed, FPSTest: f.FPSTest,
		ShotsDir: f.ShotsDir, Width: f.Width, Height: f.Height, State: f.State,
		Tour: f.Tour, TourFile: f.TourFile, Pin: f.Pin}
	if err := game.Run(o); err != nil {
		fmt.Fprintln(os.Stderr, "hebbsim:", err)
		os.Exit(1)
	}
}
