package racer

import (
	"math"

	"github.com/hebbsim/hebbsim/physics"
)

// pilot is a scripted driver that follows the centre line (pure pursuit)
// at a speed set by the curvature ahead. Tests use it to show that tiles,
// rewards and car physics fit together.
type pilot struct {
	trk  []physics.Vec2
	i    int // last nearest centre point
	vmax float64
}

func newPilot(e *Env) *pilot { return &pilot{trk: e.Track(), vmax: 45} }

func (p *pilot) act(e *Env) [3]float32 {
	pos, ang, vel, _ := e.Pose()
	n := len(p.trk)
	// Nearest centre point, searched near the last one.
	best, bd := p.i, math.Inf(1)
	for k := -10; k <= 10; k++ {
		j := ((p.i+k)%n + n) % n
		d := math.Hypot(p.trk[j].X-pos.X, p.trk[j].Y-pos.Y)
		if d < bd {
			best, bd = j, d
		}
	}
	p.i = best
	speed := math.Hypot(vel.X, vel.Y)
	look := 2 + int(speed/12)
	tg := p.trk[(best+look)%n]
	sa, ca := math.Sincos(ang)
	dx, dy := tg.X-pos.X, tg.Y-pos.Y
	right := dx*ca + dy*sa
	fwd := -dx*sa + dy*ca
	steer := math.Max(-1, math.Min(1, 2.5*math.Atan2(right, fwd)))

	// Curvature ahead: the largest heading change over the next stretch.
	turn := 0.0
	head := func(j int) float64 {
		a, b := p.trk[(j+n-1)%n], p.trk[j%n]
		return math.Atan2(b.Y-a.Y, b.X-a.X)
	}
	for k := 1; k <= 4+int(speed/6); k++ {
		d := head(best+k+1) - head(best+k)
		d = math.Remainder(d, 2*math.Pi)
		turn = math.Max(turn, math.Abs(d))
	}
	vt := p.vmax
	if turn > 0.02 {
		// v² = a·r with r = step/turn and lateral grip a ≈ 60 m/s².
		vt = math.Min(vt, math.Sqrt(60*trackDetailStep/turn))
	}
	var gas, brake float64
	switch {
	case speed < vt:
		gas = math.Min(1, 0.2+(vt-speed)/10)
	case speed > vt+4:
		brake = math.Min(0.8, (speed-vt)/20)
	}
	return [3]float32{float32(steer), float32(gas), float32(brake)}
}
