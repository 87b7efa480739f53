package racer

import (
	"math"

	"github.com/hebbsim/hebbsim/physics"
)

// rayCaster finds road edges along rays. The edges are the left and right
// boundary polylines of the tiles (segment 2i is tile i's left edge, 2i+1
// its right edge). For speed each centre point keeps the list of edge
// segments that a ray from anywhere near it could reach.
type rayCaster struct {
	segA, segB []physics.Vec2
	near       [][]int32 // per centre point: segments within reach
	all        []int32
	trk        *track // the track the lists were built for
}

// nearSlack is how far from its nearest centre point the car may be for
// that point's segment list to be complete.
const nearSlack = trackWidth + 5

func (rc *rayCaster) build(t *track) {
	n := len(t.tiles)
	rc.trk = t
	rc.segA = rc.segA[:0]
	rc.segB = rc.segB[:0]
	for _, q := range t.tiles {
		rc.segA = append(rc.segA, q[3], q[2]) // left: from point i−1 to i
		rc.segB = append(rc.segB, q[0], q[1])
	}
	rc.all = rc.all[:0]
	for j := range rc.segA {
		rc.all = append(rc.all, int32(j))
	}
	// A segment is at most trackDetailStep·(1+2w/r) long; both its ends
	// lie within reach+half its length of a point that a ray can hit.
	reach := RayLength + nearSlack + trackDetailStep
	r2 := reach * reach
	if cap(rc.near) >= n {
		rc.near = rc.near[:n]
	} else {
		rc.near = make([][]int32, n)
	}
	for i, p := range t.pts {
		l := rc.near[i][:0]
		for j := range rc.segA {
			a, b := rc.segA[j], rc.segB[j]
			da := (a.X-p.x)*(a.X-p.x) + (a.Y-p.y)*(a.Y-p.y)
			db := (b.X-p.x)*(b.X-p.x) + (b.Y-p.y)*(b.Y-p.y)
			if da < r2 || db < r2 {
				l = append(l, int32(j))
			}
		}
		rc.near[i] = l
	}
}

// nearest returns the index of the centre point nearest to (x, y) and the
// squared distance to it.
func nearest(t *track, x, y float64) (int, float64) {
	best, bd := 0, math.Inf(1)
	for i := range t.pts {
		p := &t.pts[i]
		d := (p.x-x)*(p.x-x) + (p.y-y)*(p.y-y)
		if d < bd {
			best, bd = i, d
		}
	}
	return best, bd
}

// cast returns the distance from o along unit vector d to the first edge
// segment in segs, or RayLength if none is nearer.
func (rc *rayCaster) cast(segs []int32, ox, oy, dx, dy float64) float64 {
	best := RayLength
	for _, j := range segs {
		a, b := rc.segA[j], rc.segB[j]
		ex, ey := b.X-a.X, b.Y-a.Y
		den := dx*ey - dy*ex
		if den == 0 {
			continue
		}
		ax, ay := a.X-ox, a.Y-oy
		t := (ax*ey - ay*ex) / den // along the ray
		if t < 0 || t >= best {
			continue
		}
		u := (ax*dy - ay*dx) / den // along the segment
		if u < 0 || u > 1 {
			continue
		}
		best = t
	}
	return best
}

// rayAngle is ray k's angle from the heading, + to the right.
func rayAngle(k int) float64 {
	return -math.Pi/2 + math.Pi*float64(k)/(NumRays-1)
}

// observeRays writes the ray observation (layout in doc.go).
func (e *Env) observeRays(obs []float32) {
	p := e.pose
	rc := &e.rc
	i, d2 := e.nearI, e.nearD2
	segs := rc.near[i]
	if d2 > nearSlack*nearSlack {
		segs = rc.all
	}
	sa, ca := math.Sincos(p.angle)
	fx, fy := -sa, ca // heading
	rx, ry := ca, sa  // right
	for k := 0; k < NumRays; k++ {
		s, c := math.Sincos(rayAngle(k))
		dx, dy := c*fx+s*rx, c*fy+s*ry
		obs[k] = float32(rc.cast(segs, p.x, p.y, dx, dy) / RayUnit)
	}
	obs[NumRays] = float32((p.vx*fx + p.vy*fy) / SpeedUnit)
	obs[NumRays+1] = float32(p.w / AngVelUnit)
	tp := e.track.pts[i]
	off := ((p.x-tp.x)*math.Cos(tp.beta) + (p.y-tp.y)*math.Sin(tp.beta)) / trackWidth
	obs[NumRays+2] = float32(math.Max(-3, math.Min(3, off)))
	if e.vec > ObsRays {
		obs[ObsRays] = float32((p.vx*rx + p.vy*ry) / SpeedUnit)
	}
	if e.vec > ObsGrip {
		obs[ObsGrip] = float32(math.Max(-3, math.Min(3, e.car.rearSpin()/SpeedUnit)))
	}
	if e.vec > ObsTraction {
		// The road runs along (−sin β, cos β), the car along (−sin θ,
		// cos θ): the road lies θ − β clockwise of the heading.
		s, c := math.Sincos(p.angle - tp.beta)
		obs[ObsTraction], obs[ObsTraction+1] = float32(s), float32(c)
	}
}

// Rays returns the current ray ends in world coordinates (for drawing and
// the README figure), whatever the observation mode.
func (e *Env) Rays() (from physics.Vec2, to [NumRays]physics.Vec2) {
	if e.rc.trk != e.track {
		e.rc.build(e.track)
	}
	var obs [ObsCompass]float32 // room for every vector observation's extras
	e.observeRays(obs[:])
	p := e.pose
	sa, ca := math.Sincos(p.angle)
	for k := 0; k < NumRays; k++ {
		s, c := math.Sincos(rayAngle(k))
		dx, dy := c*-sa+s*ca, c*ca+s*sa
		d := float64(obs[k]) * RayUnit
		to[k] = physics.Vec2{X: p.x + d*dx, Y: p.y + d*dy}
	}
	return physics.Vec2{X: p.x, Y: p.y}, to
}
