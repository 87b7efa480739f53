package quadruped

import (
	"math"
	"math/rand/v2"

	"github.com/ByteArena/box2d"

	"github.com/hebbsim/hebbsim/physics"
)

// Terrain constants from Gym's BipedalWalker (pixels / SCALE).
const (
	terrainStep     = 14.0 / scale      // horizontal spacing of terrain points (m)
	terrainHeight   = 400.0 / scale / 4 // mean ground height (m)
	terrainGrass    = 10                // grass stretch between obstacles (points)
	terrainStartpad = 20                // flat start (points)
	friction        = 2.5               // ground friction
	// groundDepth is how far below the lower end of its top edge each
	// ground polygon reaches. A deep solid body, unlike Gym's edge chain,
	// pushes a sunken foot back up (DESIGN.md §5).
	groundDepth = 1.5
	backPad     = 10.0 // flat ground behind x = 0 (m)
)

// Terrain modes.
const (
	TerrainHills = "hills"
	TerrainFlat  = "flat"
	TerrainRough = "rough"
)

// segment is one exposed piece of the ground surface.
type segment struct{ a, b box2d.B2Vec2 }

// terrain is the ground: a surface polyline for drawing and the
// polygons that make it solid, all on one static body.
type terrain struct {
	xs, ys   []float64        // surface points (Gym's terrain_x, terrain_y)
	polys    [][]box2d.B2Vec2 // every ground polygon, world coordinates
	obstacle []bool           // polys[i] is a stump, stair or pit wall
	exposed  []segment        // surface segments, for penetration checks
	end      float64          // x where the episode ends (last grass)
	quad0    int              // polys[quad0+i] is the quad under segment i
	shapes   []box2d.B2PolygonShape
	minX     []float64 // leftmost x of each polygon
	maxX     []float64 // rightmost x of each polygon
}

// genTerrain builds the surface points the way Gym's _generate_terrain
// does: grass that drifts back to terrainHeight with random velocity
// kicks, and in rough mode stumps, stairs and pits between grass.
func genTerrain(mode string, n int, rng *rand.Rand) *terrain {
	const (
		grass = iota
		stump
		stairs
		pit
		nStates
	)
	t := &terrain{
		xs: make([]float64, 0, n), ys: make([]float64, 0, n),
		polys: make([][]box2d.B2Vec2, 0, n+16), obstacle: make([]bool, 0, n+16),
		exposed: make([]segment, 0, n+64),
	}
	state := grass
	velocity := 0.0
	y := terrainHeight
	counter := terrainStartpad
	oneshot := false
	var stairSteps, stairWidth int
	var stairHeight float64
	originalY := 0.0
	addPoly := func(pts ...box2d.B2Vec2) {
		t.polys = append(t.polys, pts)
		t.obstacle = append(t.obstacle, true)
		for k := range pts {
			t.exposed = append(t.exposed, segment{pts[k], pts[(k+1)%len(pts)]})
		}
	}
	v := func(x, y float64) box2d.B2Vec2 { return box2d.B2Vec2{X: x, Y: y} }
	intn := func(lo, hi int) int { return lo + rng.IntN(hi-lo) } // numpy integers(lo, hi)
	for i := 0; i < n; i++ {
		x := float64(i) * terrainStep
		t.xs = append(t.xs, x)
		switch {
		case state == grass && !oneshot:
			if mode != TerrainFlat {
				velocity = 0.8*velocity + 0.01*physics.Sign(terrainHeight-y)
				if i > terrainStartpad {
					velocity += (2*rng.Float64() - 1) / scale
				}
				y += velocity
			}
		case state == pit && oneshot:
			counter = intn(3, 5)
			s := terrainStep
			addPoly(v(x, y), v(x+s, y), v(x+s, y-4*s), v(x, y-4*s))
			dx := s * float64(counter)
			addPoly(v(x+dx, y), v(x+s+dx, y), v(x+s+dx, y-4*s), v(x+dx, y-4*s))
			counter += 2
			originalY = y
		case state == pit && !oneshot:
			y = originalY
			if counter > 1 {
				y -= 4 * terrainStep
			}
		case state == stump && oneshot:
			counter = intn(1, 3)
			c := float64(counter) * terrainStep
			addPoly(v(x, y), v(x+c, y), v(x+c, y+c), v(x, y+c))
		case state == stairs && oneshot:
			stairHeight = 1
			if rng.Float64() <= 0.5 {
				stairHeight = -1
			}
			stairWidth = intn(4, 5)
			stairSteps = intn(3, 5)
			originalY = y
			s, w := terrainStep, float64(stairWidth)
			for k := 0; k < stairSteps; k++ {
				fk := float64(k)
				addPoly(
					v(x+fk*w*s, y+fk*stairHeight*s),
					v(x+(1+fk)*w*s, y+fk*stairHeight*s),
					v(x+(1+fk)*w*s, y+(-1+fk*stairHeight)*s),
					v(x+fk*w*s, y+(-1+fk*stairHeight)*s))
			}
			counter = stairSteps * stairWidth
		case state == stairs && !oneshot:
			s := float64(stairSteps*stairWidth-counter) - stairHeight
			y = originalY + s/float64(stairWidth)*stairHeight*terrainStep
		}
		oneshot = false
		t.ys = append(t.ys, y)
		counter--
		if counter == 0 {
			counter = intn(terrainGrass/2, terrainGrass)
			if state == grass && mode == TerrainRough {
				state = intn(1, nStates)
			} else {
				state = grass
			}
			oneshot = true
		}
	}
	// Flat ground behind the start, so that legs never hang over the
	// world's edge (the hull behind x = 0 still ends the episode).
	y0 := t.ys[0]
	t.polys = append(t.polys, []box2d.B2Vec2{v(-backPad, y0), v(-backPad, y0-groundDepth), v(terrainStep, y0-groundDepth), v(0, y0)})
	t.obstacle = append(t.obstacle, false)
	t.exposed = append(t.exposed, segment{v(-backPad, y0), v(0, y0)})
	// Solid ground: one convex quad under each surface segment, wider at
	// the bottom than at the top so that neighbours overlap below the
	// surface. Its sides lean outwards, so every face a sunken foot can be
	// pushed out of has an upward normal: with vertical sides Box2D may
	// push a foot sideways from one quad into the next and never up (the
	// "internal edge" problem; DESIGN.md §5 saw legs walk underground).
	t.quad0 = len(t.polys)
	for i := 0; i+1 < n; i++ {
		a, b := v(t.xs[i], t.ys[i]), v(t.xs[i+1], t.ys[i+1])
		bottom := math.Min(a.Y, b.Y) - groundDepth
		dl, dr := terrainStep, terrainStep
		// A side must stay below the neighbour's surface.
		if i+2 == n {
			dr = 0
			t.exposed = append(t.exposed, segment{b, v(b.X, bottom)})
		}
		if i > 0 && t.ys[i-1] < a.Y {
			dl = math.Min(dl, 0.9*terrainStep*(a.Y-bottom)/(a.Y-t.ys[i-1]))
		}
		if i+2 < n && t.ys[i+2] < b.Y {
			dr = math.Min(dr, 0.9*terrainStep*(b.Y-bottom)/(b.Y-t.ys[i+2]))
		}
		t.polys = append(t.polys, []box2d.B2Vec2{a, v(a.X-dl, bottom), v(b.X+dr, bottom), b})
		t.obstacle = append(t.obstacle, false)
		t.exposed = append(t.exposed, segment{a, b})
	}
	t.end = float64(n-terrainGrass) * terrainStep
	t.shapes = make([]box2d.B2PolygonShape, len(t.polys))
	t.minX, t.maxX = make([]float64, len(t.polys)), make([]float64, len(t.polys))
	for k, p := range t.polys {
		t.shapes[k] = box2d.MakeB2PolygonShape()
		t.shapes[k].Set(p, len(p))
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, q := range p {
			lo, hi = math.Min(lo, q.X), math.Max(hi, q.X)
		}
		t.minX[k], t.maxX[k] = lo, hi
	}
	return t
}

// build puts every ground polygon on one static body (DESIGN.md §4: the
// solver's per-step arrays grow with the body count).
func (t *terrain) build(w *box2d.B2World) *box2d.B2Body {
	bd := box2d.MakeB2BodyDef()
	bd.Type = box2d.B2BodyType.B2_staticBody
	body := w.CreateBody(&bd)
	for i := range t.shapes {
		fd := box2d.MakeB2FixtureDef()
		fd.Shape = &t.shapes[i]
		fd.Friction = friction
		fd.Filter = groundFilter
		fd.UserData = groundTag
		body.CreateFixtureFromDef(&fd)
	}
	return body
}

// heightAt is the surface polyline's height at x (obstacles not included).
func (t *terrain) heightAt(x float64) float64 {
	if x <= t.xs[0] {
		return t.ys[0]
	}
	i := int(x / terrainStep)
	if i+1 >= len(t.xs) {
		return t.ys[len(t.ys)-1]
	}
	f := (x - t.xs[i]) / terrainStep
	return t.ys[i] + f*(t.ys[i+1]-t.ys[i])
}

// depth is how far p lies inside the solid ground: 0 outside, else the
// distance to the nearest exposed surface segment (a lower bound of the
// true depth), at most 1 m.
func (t *terrain) depth(p box2d.B2Vec2) float64 {
	if !t.inside(p) {
		return 0
	}
	d := 1.0
	for _, s := range t.exposed {
		if math.Min(s.a.X, s.b.X)-d <= p.X && p.X <= math.Max(s.a.X, s.b.X)+d {
			d = math.Min(d, segDist(p, s.a, s.b))
		}
	}
	return d
}

// inside reports whether p lies inside a ground polygon.
func (t *terrain) inside(p box2d.B2Vec2) bool {
	xf := box2d.MakeB2Transform()
	xf.SetIdentity()
	test := func(k int) bool {
		return t.minX[k] <= p.X && p.X <= t.maxX[k] && t.shapes[k].TestPoint(xf, p)
	}
	for k := 0; k < t.quad0; k++ {
		if test(k) {
			return true
		}
	}
	i := int(math.Floor(p.X / terrainStep))
	for k := max(0, i-2); k <= min(len(t.polys)-t.quad0-1, i+2); k++ {
		if test(t.quad0 + k) {
			return true
		}
	}
	return false
}

func segDist(p, a, b box2d.B2Vec2) float64 {
	ab := box2d.B2Vec2Sub(b, a)
	ap := box2d.B2Vec2Sub(p, a)
	l2 := box2d.B2Vec2Dot(ab, ab)
	u := 0.0
	if l2 > 0 {
		u = math.Max(0, math.Min(1, box2d.B2Vec2Dot(ap, ab)/l2))
	}
	q := box2d.B2Vec2{X: a.X + u*ab.X, Y: a.Y + u*ab.Y}
	return math.Hypot(p.X-q.X, p.Y-q.Y)
}

// rayCast returns the fraction along p1→p2 of the first ground hit, or 1.
// It is what Gym's lidar gets from Box2D's world ray cast with a callback
// that clips to the closest ground fixture, but it visits only the
// polygons under the ray and allocates nothing (the world ray cast made
// 83 % of all allocations of a step).
func (t *terrain) rayCast(p1, p2 box2d.B2Vec2) float64 {
	in := box2d.B2RayCastInput{P1: p1, P2: p2, MaxFraction: 1}
	var out box2d.B2RayCastOutput
	xf := box2d.MakeB2Transform()
	xf.SetIdentity()
	lo, hi := math.Min(p1.X, p2.X), math.Max(p1.X, p2.X)
	best := 1.0
	try := func(k int) {
		if t.maxX[k] < lo || t.minX[k] > hi {
			return
		}
		if t.shapes[k].RayCast(&out, in, xf, 0) && out.Fraction < best {
			best = out.Fraction
		}
	}
	for k := 0; k < t.quad0; k++ {
		try(k)
	}
	nq := len(t.polys) - t.quad0
	first := max(0, int(lo/terrainStep)-2)
	last := min(nq-1, int(hi/terrainStep)+2)
	for i := first; i <= last; i++ {
		try(t.quad0 + i)
	}
	return best
}
