package racer

import (
	"math"
	"math/rand/v2"

	"github.com/hebbsim/hebbsim/physics"
)

// Track constants, from Gym's CarRacing (car_racing.py, SCALE = 6).
const (
	trackScale      = 6.0
	trackRad        = 900 / trackScale  // the track is a heavily morphed circle of this radius (m)
	playfield       = 2000 / trackScale // leaving ±playfield ends the episode (m)
	trackDetailStep = 21 / trackScale   // centre-line step = tile length (m)
	trackTurnRate   = 0.31              // max heading change per step (rad)
	trackWidth      = 40 / trackScale   // half-width of the road (m)
	borderWidth     = 8 / trackScale    // kerb width (m)
	borderMinCount  = 4                 // a kerb needs this many same-side sharp steps
	grassDim        = playfield / 20    // grass patch size (m)
	checkpoints     = 12
)

// trackPoint is one centre-line sample: alpha is its polar angle about the
// origin, beta the road's heading angle (the road runs along
// (−sin β, cos β); (cos β, sin β) points to its right).
type trackPoint struct{ alpha, beta, x, y float64 }

// kerb is a red or white border quad on the outside of a sharp bend.
type kerb struct {
	poly [4]physics.Vec2
	red  bool
}

// track is a closed road: centre points, one quad tile per step and kerbs.
// Tile i spans centre points i−1 and i (tile 0 closes the loop).
type track struct {
	pts   []trackPoint
	tiles [][4]physics.Vec2 // left_i, right_i, right_{i-1}, left_{i-1}
	cent  []physics.Vec2    // tile centres
	kerbs []kerb
}

// genTrack builds a track from rng with Gym's algorithm; it retries (as Gym
// does) until the loop closes. Every retry draws from the same stream, so a
// seed always gives the same track.
func genTrack(rng *rand.Rand) *track {
	for {
		if t := tryTrack(rng); t != nil {
			return t
		}
	}
}

func tryTrack(rng *rand.Rand) *track {
	type cp struct{ alpha, x, y float64 }
	var cps [checkpoints]cp
	var startAlpha float64
	for c := 0; c < checkpoints; c++ {
		noise := rng.Float64() * 2 * math.Pi / checkpoints
		alpha := 2*math.Pi*float64(c)/checkpoints + noise
		rad := trackRad/3 + rng.Float64()*(trackRad-trackRad/3)
		if c == 0 {
			alpha, rad = 0, 1.5*trackRad
		}
		if c == checkpoints-1 {
			alpha = 2 * math.Pi * float64(c) / checkpoints
			startAlpha = 2 * math.Pi * (-0.5) / checkpoints
			rad = 1.5 * trackRad
		}
		cps[c] = cp{alpha, rad * math.Cos(alpha), rad * math.Sin(alpha)}
	}

	// Drive from checkpoint to checkpoint, turning at most trackTurnRate
	// per step, for up to five laps.
	x, y, beta := 1.5*trackRad, 0.0, 0.0
	destI, laps := 0, 0
	pts := make([]trackPoint, 0, 2500)
	visitedOtherSide := false
	for noFreeze := 2500; noFreeze > 0; noFreeze-- {
		alpha := math.Atan2(y, x)
		if visitedOtherSide && alpha > 0 {
			laps++
			visitedOtherSide = false
		}
		if alpha < 0 {
			visitedOtherSide = true
			alpha += 2 * math.Pi
		}
		var dest cp
		for {
			failed := true
			for {
				dest = cps[destI%checkpoints]
				if alpha <= dest.alpha {
					failed = false
					break
				}
				destI++
				if destI%checkpoints == 0 {
					break
				}
			}
			if !failed {
				break
			}
			alpha -= 2 * math.Pi
		}
		r1x, r1y := math.Cos(beta), math.Sin(beta)
		p1x, p1y := -r1y, r1x
		dx, dy := dest.x-x, dest.y-y
		proj := r1x*dx + r1y*dy // destination projected on the radius
		for beta-alpha > 1.5*math.Pi {
			beta -= 2 * math.Pi
		}
		for beta-alpha < -1.5*math.Pi {
			beta += 2 * math.Pi
		}
		prevBeta := beta
		proj *= trackScale
		if proj > 0.3 {
			beta -= math.Min(trackTurnRate, math.Abs(0.001*proj))
		}
		if proj < -0.3 {
			beta += math.Min(trackTurnRate, math.Abs(0.001*proj))
		}
		x += p1x * trackDetailStep
		y += p1y * trackDetailStep
		pts = append(pts, trackPoint{alpha, prevBeta*0.5 + beta*0.5, x, y})
		if laps > 4 {
			break
		}
	}

	// Find the closed loop i1..i2: the first lap is ignored, the second kept.
	i1, i2 := -1, -1
	for i := len(pts) - 1; ; i-- {
		if i <= 0 {
			return nil
		}
		through := pts[i].alpha > startAlpha && pts[i-1].alpha <= startAlpha
		if through && i2 == -1 {
			i2 = i
		} else if through && i1 == -1 {
			i1 = i
			break
		}
	}
	if i2-1 <= i1 {
		return nil
	}
	pts = pts[i1 : i2-1]
	n := len(pts)
	if n < 3 {
		return nil
	}
	// The head and tail must glue together within one step.
	fpx, fpy := math.Cos(pts[0].beta), math.Sin(pts[0].beta)
	gx, gy := fpx*(pts[0].x-pts[n-1].x), fpy*(pts[0].y-pts[n-1].y)
	if math.Sqrt(gx*gx+gy*gy) > trackDetailStep {
		return nil
	}

	// Red-white kerbs on hard turns: borderMinCount consecutive steps
	// that all turn sharply to the same side.
	at := func(i int) int { return ((i % n) + n) % n }
	border := make([]bool, n)
	for i := 0; i < n; i++ {
		good, oneside := true, 0.0
		for neg := 0; neg < borderMinCount; neg++ {
			b1, b2 := pts[at(i-neg)].beta, pts[at(i-neg-1)].beta
			good = good && math.Abs(b1-b2) > trackTurnRate*0.2
			oneside += physics.Sign(b1 - b2)
		}
		border[i] = good && math.Abs(oneside) == borderMinCount
	}
	// Spread each kerb back over the previous steps, in place and in
	// index order as Gym does (so a flag set across the wrap spreads again).
	for i := 0; i < n; i++ {
		if border[i] {
			for neg := 0; neg < borderMinCount; neg++ {
				border[at(i-neg)] = true
			}
		}
	}

	t := &track{pts: pts, tiles: make([][4]physics.Vec2, n), cent: make([]physics.Vec2, n)}
	for i := 0; i < n; i++ {
		p1, p2 := pts[i], pts[at(i-1)]
		c1, s1 := math.Cos(p1.beta), math.Sin(p1.beta)
		c2, s2 := math.Cos(p2.beta), math.Sin(p2.beta)
		l1 := physics.Vec2{X: p1.x - trackWidth*c1, Y: p1.y - trackWidth*s1}
		r1 := physics.Vec2{X: p1.x + trackWidth*c1, Y: p1.y + trackWidth*s1}
		l2 := physics.Vec2{X: p2.x - trackWidth*c2, Y: p2.y - trackWidth*s2}
		r2 := physics.Vec2{X: p2.x + trackWidth*c2, Y: p2.y + trackWidth*s2}
		t.tiles[i] = [4]physics.Vec2{l1, r1, r2, l2}
		t.cent[i] = physics.Vec2{X: (p1.x + p2.x) / 2, Y: (p1.y + p2.y) / 2}
		if border[i] {
			side := physics.Sign(p2.beta - p1.beta)
			t.kerbs = append(t.kerbs, kerb{red: i%2 == 1, poly: [4]physics.Vec2{
				{X: p1.x + side*trackWidth*c1, Y: p1.y + side*trackWidth*s1},
				{X: p1.x + side*(trackWidth+borderWidth)*c1, Y: p1.y + side*(trackWidth+borderWidth)*s1},
				{X: p2.x + side*(trackWidth+borderWidth)*c2, Y: p2.y + side*(trackWidth+borderWidth)*s2},
				{X: p2.x + side*trackWidth*c2, Y: p2.y + side*trackWidth*s2},
			}})
		}
	}
	return t
}
