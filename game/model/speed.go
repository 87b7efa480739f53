package model

import (
	"fmt"
	"math"
)

// Speeds is the ladder of simulation speeds relative to real time. Speed
// only changes how many fixed steps run per frame, never dt (DESIGN.md §3.1).
var Speeds = []float64{0.125, 0.25, 0.5, 1, 2, 4, 8}

// DefaultSpeed is the index of 1× in Speeds.
const DefaultSpeed = 3

// SpeedLabel names rung i of the ladder, or "max" when max is set.
func SpeedLabel(i int, max bool) string {
	if max {
		return "max"
	}
	s := Speeds[clampInt(i, 0, len(Speeds)-1)]
	switch s {
	case 0.125:
		return "⅛×"
	case 0.25:
		return "¼×"
	case 0.5:
		return "½×"
	}
	return fmt.Sprintf("%g×", s)
}

// Pacer turns a speed into a whole number of steps per tick. It carries
// the fraction over, so ⅛× at 50 Hz and 60 ticks/s runs one step every
// 9.6 ticks on average and 8× runs 6.67 steps per tick.
type Pacer struct {
	acc float64
}

// Steps returns how many env steps to run for dt seconds of real time at
// speed (× real time) for an env stepping at envHz. The game passes the
// wall time since the last tick, so the simulation keeps its speed when
// the machine cannot hold the tick rate; dt is capped at MaxTickDt so a
// stall is not made up for with a burst.
func (p *Pacer) Steps(speed, envHz, dt float64) int {
	if speed <= 0 || envHz <= 0 || dt <= 0 {
		return 0
	}
	p.acc += speed * envHz * math.Min(dt, MaxTickDt)
	n := int(p.acc + 1e-4) // 60 ticks of 16666666 ns at 50 Hz make 49.9999…
	if n < 0 {
		n = 0
	}
	p.acc -= float64(n)
	return n
}

// MaxTickDt is the most real time one tick accounts for (15 ticks at 60
// per second): real time holds down to 4 frames a second, which a
// browser drawing with software WebGL on a busy machine can fall to
// (Ebitengine stops catching up on missed ticks below 12 frames a second;
// docs/web.md). Longer stalls (a hidden tab, a debugger) are not made up.
const MaxTickDt = 0.25

// Reset drops any carried fraction (on pause, restart).
func (p *Pacer) Reset() { p.acc = 0 }

func clampInt(v, lo, hi int) int { return max(lo, min(v, hi)) }

func clamp(v, lo, hi float64) float64 {
	if v < lo {
		return lo
	}
	if v > hi {
		return hi
	}
	return v
}
