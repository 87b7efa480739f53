package racer

import (
	"math"

	"github.com/hebbsim/hebbsim/physics"
)

// pilot is a scripted driver that follows the centre line (pure pursuit)
// at a speed planned from the curvature ahead. Tests use it to show that
// tiles, rewards and car physics fit together.
type pilot struct {
	trk  []physics.Vec2
	head []float64 // heading of the road at each point
	i    int       // last nearest centre point

	vmax, aLat, aBrake float64
	gain               float64 // lookahead time (s)
	k                  float64 // steering gain over pure pursuit
}

func newPilot(e *Env) *pilot {
	p := &pilot{trk: e.Track(), vmax: 70, aLat: 60, aBrake: 30, gain: 0.25, k: 2.5}
	n := len(p.trk)
	p.head = make([]float64, n)
	for j := range p.trk {
		a, b := p.trk[(j+n-1)%n], p.trk[j]
		p.head[j] = math.Atan2(b.Y-a.Y, b.X-a.X)
	}
	return p
}

func (p *pilot) act(e *Env) [3]float32 {
	pos, ang, vel, _ := e.Pose()
	n := len(p.trk)
	at := func(j int) int { return ((j % n) + n) % n }
	// Nearest centre point, searched near the last one.
	best, bd := p.i, math.Inf(1)
	for k := -15; k <= 15; k++ {
		j := at(p.i + k)
		d := math.Hypot(p.trk[j].X-pos.X, p.trk[j].Y-pos.Y)
		if d < bd {
			best, bd = j, d
		}
	}
	p.i = best
	speed := math.Hypot(vel.X, vel.Y)
	look := 3 + int(speed*p.gain/trackDetailStep)
	tg := p.trk[at(best+look)]
	sa, ca := math.Sincos(ang)
	dx, dy := tg.X-pos.X, tg.Y-pos.Y
	right := dx*ca + dy*sa
	fwd := -dx*sa + dy*ca
	// Pure pursuit: the wheel angle whose arc (wheelbase 3.24 m) passes
	// through the target, times k (the steering command is the wheels'
	// target angle in rad; the joints stop at 0.4).
	alpha := math.Atan2(right, fwd)
	ld := math.Hypot(dx, dy)
	steer := math.Max(-1, math.Min(1, p.k*math.Atan(2*3.24*math.Sin(alpha)/ld)))

	// Speed plan: the slowest of the corner speeds ahead, each raised by
	// what braking can shed before reaching it.
	vt := p.vmax
	for k := 1; k <= 25; k++ {
		turn := math.Abs(math.Remainder(p.head[at(best+k+1)]-p.head[at(best+k-1)], 2*math.Pi)) / 2
		if turn < 1e-3 {
			continue
		}
		vc := math.Sqrt(p.aLat * trackDetailStep / turn)
		vt = math.Min(vt, math.Sqrt(vc*vc+2*p.aBrake*float64(k)*trackDetailStep))
	}
	var gas, brake float64
	switch {
	case speed < vt:
		gas = math.Min(1, 0.1+(vt-speed)/5) * (1 - math.Abs(steer))
	case speed > vt+2:
		brake = math.Min(0.8, (speed-vt)/10)
	}
	return [3]float32{float32(steer), float32(gas), float32(brake)}
}
