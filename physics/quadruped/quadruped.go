package quadruped

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/ByteArena/box2d"

	"github.com/hebbsim/hebbsim/physics"
)

// Body and control constants. Lengths are Gym BipedalWalker pixels over
// SCALE (30 px per metre) so they can be checked against Gym's source.
const (
	scale = 30.0
	fps   = 50
	dt    = 1.0 / fps

	hullTop    = 9.0 / scale  // Gym's hull spans y -8..+9 px
	hullBottom = -8.0 / scale //
	legDown    = -8.0 / scale // hip height on the hull (Gym LEG_DOWN)
	legW       = 8.0 / scale  // thigh width (Gym LEG_W)
	legH       = 34.0 / scale // thigh and shin length (Gym LEG_H)
	shinW      = 0.8 * legW   // Gym LOWER_FD width

	hullFric = 0.1
	legFric  = 0.2 // Box2D default; Gym's LEG_FD leaves it unset

	motorTorque = 80.0 // Gym MOTORS_TORQUE
	speedHip    = 4.0  // Gym SPEED_HIP
	speedKnee   = 6.0  // Gym SPEED_KNEE
	hipLo       = -0.8
	hipHi       = 1.1
	kneeLo      = -1.6
	kneeHi      = -0.1

	lidarRange   = 160.0 / scale
	lidarRays    = 10
	initialForce = 5.0 // Gym INITIAL_RANDOM: horizontal push at reset (N)

	// Damage parameters.
	shortFrac = 0.25 // "shorten": shin to ¼ length (the paper's damage)
	// shortDensity keeps a shortened shin's mass: a light stub under full
	// knee torque was pressed 6–8 cm into the ground (Box2D's contacts are
	// soft); at the same mass it stays within 5 cm (doc.go).
	shortDensity = 1 / shortFrac
	weakFrac     = 0.25 // "weaken": torque ×¼
	ghostFrac    = 0.02 // "amputate": the shin is kept as a non-colliding ghost of 2 % mass

	// contactReach: Box2D makes contact points for polygons within two
	// polygon radii (2 cm) of each other.
	contactReach = 0.02

	obsSize = 4 + 4*5 + lidarRays
	actSize = 8
)

// Solver settings and body proportions (doc.go gives the measurements
// behind them). They are variables only so that tests and benchmarks can
// measure alternatives; nothing changes them while Envs run.
var (
	velocityIterations = 10
	positionIterations = 4
	continuous         = false
	maxSubsteps        = 8            // at most this many sub-steps when a foot comes down fast
	overshoot          = 0.02         // m a foot may be predicted to dip into the ground in one (sub-)step
	hullHalfW          = 55.0 / scale // hull box 110×17 px
	hipX               = 55.0 / scale // hips at the hull's ends
	hullDensity        = 5.0
	legDensity         = 2.0 // Gym: 1; see doc.go
)

// LegNames are the legs in observation and action order: front-left,
// front-right (at the front hip), back-left, back-right (at the back hip).
var LegNames = []string{"FL", "FR", "BL", "BR"}

// LegObs and LegActs locate leg i (in LegNames order) in the observation
// (its 5 values from 4+5i) and the action (its 2 motors from 2i): what a
// controller that treats two legs alike needs to pair them up.
func LegObs(i int) []int  { return []int{4 + 5*i, 5 + 5*i, 6 + 5*i, 7 + 5*i, 8 + 5*i} }
func LegActs(i int) []int { return []int{2 * i, 2*i + 1} }

// Terrains lists the terrain modes New accepts; the first is the default.
var Terrains = []string{TerrainHills, TerrainFlat, TerrainRough}

// Options configure an Env. The zero value gives Gym-style grass hills and
// 1,000-step episodes.
type Options struct {
	// Terrain is "hills" (Gym BipedalWalker's grass, the default when
	// empty), "flat", or "rough" (Gym hardcore: stumps, stairs and pits).
	Terrain string
	// MaxSteps ends an episode with Reason "step limit"; 0 means 1000.
	MaxSteps int
}

// Collision filtering. v1.0.2 only filters when a contact filter is set
// and every fixture has an explicit filter (DESIGN.md §4). All robot parts
// share a negative group, so no two of them ever collide; the ground
// collides with everything.
var (
	groundFilter = box2d.B2Filter{CategoryBits: 0x0001, MaskBits: 0xFFFF}
	robotFilter  = box2d.B2Filter{CategoryBits: 0x0002, MaskBits: 0x0001, GroupIndex: -1}
	offFilter    = box2d.B2Filter{GroupIndex: -1} // collides with nothing
)

type tag int

const (
	groundTag tag = iota + 1
	hullTag
	legTag
)

// shin fixture configurations.
const (
	shinFull = iota
	shinShort
	shinGhost
)

type leg struct {
	name        string
	near        bool    // left legs face the viewer (the robot walks to +x)
	x           float64 // hip x on the hull
	thigh, shin *box2d.B2Body
	hip, knee   *box2d.B2RevoluteJoint
	full, short *box2d.B2Fixture // the shin's two fixtures; one is active

	// kind and lock are the damage asked for; the Box2D state follows at
	// the start of the next Step (applied*), so that damage followed by
	// repair between two steps leaves the world bit-identical.
	kind        string
	lock        float64
	appliedKind string
	appliedLock float64
	shinMode    int

	contact bool
}

// Env is the planar quadruped in its world. It implements physics.Env
// and physics.Damageable. An Env is not safe for concurrent use.
type Env struct {
	opts Options

	world  *box2d.B2World
	ground *box2d.B2Body
	terr   *terrain
	hull   *box2d.B2Body
	legs   [4]*leg

	rng         *rand.Rand
	seed        int64
	steps       int
	startX      float64
	prevShaping float64
	done        bool
	reason      string

	lidar [lidarRays]float64 // hit fractions
}

var (
	_ physics.Env        = (*Env)(nil)
	_ physics.Damageable = (*Env)(nil)
)

// New makes an Env and resets it with seed 0. An unknown terrain or a
// negative MaxSteps is an error.
func New(opts Options) (*Env, error) {
	if opts.Terrain == "" {
		opts.Terrain = TerrainHills
	}
	known := false
	for _, t := range Terrains {
		known = known || t == opts.Terrain
	}
	if !known {
		return nil, fmt.Errorf("quadruped: unknown terrain %q (want one of %v)", opts.Terrain, Terrains)
	}
	if opts.MaxSteps < 0 {
		return nil, fmt.Errorf("quadruped: MaxSteps %d is negative", opts.MaxSteps)
	}
	if opts.MaxSteps == 0 {
		opts.MaxSteps = 1000
	}
	e := &Env{opts: opts}
	e.Reset(0)
	return e, nil
}

// Options returns the options the Env runs with, zero values filled in.
func (e *Env) Options() Options { return e.opts }

// Name implements physics.Env.
func (e *Env) Name() string { return "quadruped" }

// ObsSize implements physics.Env: 34.
func (e *Env) ObsSize() int { return obsSize }

// ActSize implements physics.Env: 8.
func (e *Env) ActSize() int { return actSize }

// Steps implements physics.Env.
func (e *Env) Steps() int { return e.steps }

// Seed is the seed of the last Reset.
func (e *Env) Seed() int64 { return e.seed }

// Reset implements physics.Env: a new world and terrain from seed, the
// robot standing at the start, all damage repaired.
func (e *Env) Reset(seed int64) {
	e.seed = seed
	e.rng = rand.New(rand.NewPCG(uint64(seed), 0x9e3779b97f4a7c15))
	e.steps = 0
	e.done = false
	e.reason = ""

	w := box2d.MakeB2World(box2d.B2Vec2{X: 0, Y: -10})
	e.world = &w
	e.world.SetContactFilter(&box2d.B2ContactFilter{})
	// Sleeping never helps a robot that is driven every step, and waking
	// bodies when a motor changes would make damage-then-repair inexact.
	e.world.SetAllowSleeping(false)
	// Continuous collision is on by default and has no setter. Off, it is
	// about twice as fast and joints stay together (doc.go).
	e.world.M_continuousPhysics = continuous

	// Enough terrain for a fast walker to use the whole episode: about
	// 0.15 m per step beyond the start pad (the prototype's best walked
	// 0.06 m per step).
	n := terrainStartpad + terrainGrass + int(float64(e.opts.MaxSteps)*0.15/terrainStep)
	e.terr = genTerrain(e.opts.Terrain, n, e.rng)
	e.ground = e.terr.build(e.world)

	initX := terrainStep * terrainStartpad / 2
	initY := terrainHeight + 2*legH - legDown + 0.05
	e.buildRobot(initX, initY)
	e.hull.ApplyForceToCenter(box2d.B2Vec2{X: (2*e.rng.Float64() - 1) * initialForce}, true)

	e.startX = e.hull.GetPosition().X
	e.prevShaping = e.shaping()
	e.castLidar()
}

func (e *Env) buildRobot(x, y float64) {
	bd := box2d.MakeB2BodyDef()
	bd.Type = box2d.B2BodyType.B2_dynamicBody
	bd.Position = box2d.B2Vec2{X: x, Y: y}
	e.hull = e.world.CreateBody(&bd)
	hs := box2d.MakeB2PolygonShape()
	hs.SetAsBoxFromCenterAndAngle(hullHalfW, (hullTop-hullBottom)/2,
		box2d.B2Vec2{Y: (hullTop + hullBottom) / 2}, 0)
	e.hull.CreateFixtureFromDef(&box2d.B2FixtureDef{
		Shape: &hs, Density: hullDensity, Friction: hullFric, Filter: robotFilter, UserData: hullTag,
	})

	for i, name := range LegNames {
		l := &leg{name: name, near: name[1] == 'L', x: hipX}
		if name[0] == 'B' {
			l.x = -hipX
		}
		// Legs of a pair start splayed by ±0.05 rad, as in Gym.
		a := 0.05
		if !l.near {
			a = -0.05
		}
		hip := box2d.B2Vec2{X: x + l.x, Y: y + legDown}
		l.thigh = e.legBody(hip, a, legW, legH)
		knee := box2d.B2Vec2{X: hip.X + legH*math.Sin(a), Y: hip.Y - legH*math.Cos(a)}
		l.shin = e.legBody(knee, a+kneeHi, 0, 0) // fixtures added below
		sf := box2d.MakeB2PolygonShape()
		sf.SetAsBox(shinW/2, legH/2)
		l.full = l.shin.CreateFixtureFromDef(&box2d.B2FixtureDef{
			Shape: &sf, Density: legDensity, Friction: legFric, Filter: robotFilter, UserData: legTag,
		})
		ss := box2d.MakeB2PolygonShape()
		ss.SetAsBoxFromCenterAndAngle(shinW/2, shortFrac*legH/2, box2d.B2Vec2{Y: legH/2 - shortFrac*legH/2}, 0)
		l.short = l.shin.CreateFixtureFromDef(&box2d.B2FixtureDef{
			Shape: &ss, Density: 0, Friction: legFric, Filter: offFilter, UserData: legTag,
		})
		l.shin.ResetMassData()

		l.hip = e.joint(e.hull, l.thigh, box2d.B2Vec2{X: l.x, Y: legDown}, box2d.B2Vec2{Y: legH / 2}, hipLo, hipHi)
		l.knee = e.joint(l.thigh, l.shin, box2d.B2Vec2{Y: -legH / 2}, box2d.B2Vec2{Y: legH / 2}, kneeLo, kneeHi)
		e.legs[i] = l
	}
}

// legBody makes a leg segment whose top end is at top, hanging at angle a;
// with w > 0 it gets a w×h box fixture.
func (e *Env) legBody(top box2d.B2Vec2, a, w, h float64) *box2d.B2Body {
	bd := box2d.MakeB2BodyDef()
	bd.Type = box2d.B2BodyType.B2_dynamicBody
	bd.Position = box2d.B2Vec2{X: top.X + legH/2*math.Sin(a), Y: top.Y - legH/2*math.Cos(a)}
	bd.Angle = a
	b := e.world.CreateBody(&bd)
	if w > 0 {
		s := box2d.MakeB2PolygonShape()
		s.SetAsBox(w/2, h/2)
		b.CreateFixtureFromDef(&box2d.B2FixtureDef{
			Shape: &s, Density: legDensity, Friction: legFric, Filter: robotFilter, UserData: legTag,
		})
	}
	return b
}

func (e *Env) joint(a, b *box2d.B2Body, anchorA, anchorB box2d.B2Vec2, lo, hi float64) *box2d.B2RevoluteJoint {
	jd := box2d.MakeB2RevoluteJointDef()
	jd.BodyA, jd.BodyB = a, b
	jd.LocalAnchorA, jd.LocalAnchorB = anchorA, anchorB
	jd.EnableMotor, jd.EnableLimit = true, true
	jd.MaxMotorTorque = motorTorque
	jd.LowerAngle, jd.UpperAngle = lo, hi
	return e.world.CreateJoint(&jd).(*box2d.B2RevoluteJoint)
}

// shaping is Gym's potential: 130·x/SCALE − 5·|hull angle|.
func (e *Env) shaping() float64 {
	return 130*e.hull.GetPosition().X/scale - 5*math.Abs(e.hull.GetAngle())
}

// Step implements physics.Env. Actions are clipped to [-1, 1] (NaN counts
// as 0); each drives its joint through motor saturation: speed S·sign(a),
// torque 80·|a|.
func (e *Env) Step(action []float32) (info physics.StepInfo) {
	if len(action) != actSize {
		panic(fmt.Sprintf("quadruped: action has length %d, want %d", len(action), actSize))
	}
	if e.done {
		return physics.StepInfo{Done: true, Reason: e.reason, Distance: e.distance()}
	}
	defer func() {
		if r := recover(); r != nil {
			e.fail(fmt.Sprintf("physics: box2d panic: %v", r))
			info = physics.StepInfo{Reward: 0, Done: true, Reason: e.reason}
		}
	}()

	cost := 0.0
	for i, l := range e.legs {
		e.sync(l)
		torque := motorTorque
		if l.kind == "weaken" {
			torque *= weakFrac
		}
		ah, ak := clip(action[2*i]), clip(action[2*i+1])
		cost += math.Abs(ah) + math.Abs(ak)
		l.hip.SetMotorSpeed(speedHip * physics.Sign(ah))
		l.hip.SetMaxMotorTorque(torque * math.Abs(ah))
		l.knee.SetMotorSpeed(speedKnee * physics.Sign(ak))
		l.knee.SetMaxMotorTorque(torque * math.Abs(ak))
	}

	if n := e.substeps(); n == 1 {
		e.world.Step(dt, velocityIterations, positionIterations)
	} else {
		for k := 0; k < n; k++ {
			e.world.Step(dt/float64(n), velocityIterations, positionIterations)
		}
	}
	e.steps++

	if !e.finite() {
		e.fail("physics: non-finite body state")
		return physics.StepInfo{Done: true, Reason: e.reason}
	}
	hullHit := e.updateContacts()
	e.castLidar()

	sh := e.shaping()
	info.Reward = sh - e.prevShaping - 0.00035*motorTorque*cost
	e.prevShaping = sh
	info.Distance = e.distance()
	x := e.hull.GetPosition().X
	switch {
	case hullHit:
		info.Reward, e.reason = -100, "fell"
	case x < 0:
		info.Reward, e.reason = -100, "out of bounds"
	case x > e.terr.end:
		e.reason = "end of terrain"
	case e.steps >= e.opts.MaxSteps:
		e.reason = "step limit"
	}
	if e.reason != "" {
		e.done = true
		info.Done, info.Reason = true, e.reason
	}
	return info
}

// substeps is how many sub-steps the next step takes: 1, unless a corner
// of a leg's lower segment, moving on at its present velocity, would end
// the step more than overshoot inside the ground. Without continuous
// collision a fast foot would otherwise dip up to 20 cm into the ground
// for a step (doc.go); sub-steps let Box2D see the contact in time. The
// choice depends only on the state, so trajectories stay deterministic.
func (e *Env) substeps() int {
	if maxSubsteps <= 1 {
		return 1
	}
	n := 1
	for _, l := range e.legs {
		b, hw, y0, y1 := l.shin, shinW/2, -legH/2, legH/2
		switch l.shinMode {
		case shinShort:
			y0 = legH/2 - shortFrac*legH
		case shinGhost:
			b, hw = l.thigh, legW/2
		}
		for _, c := range [4]box2d.B2Vec2{{X: -hw, Y: y0}, {X: hw, Y: y0}, {X: -hw, Y: y1}, {X: hw, Y: y1}} {
			p := b.GetWorldPoint(c)
			if e.terr.inside(box2d.B2Vec2{X: p.X, Y: p.Y - contactReach}) {
				continue // near or in the ground already: Box2D has its contact
			}
			v := b.GetLinearVelocityFromWorldPoint(p)
			q := box2d.B2Vec2{X: p.X + v.X*dt, Y: p.Y + v.Y*dt}
			if d := e.terr.depth(q); d > overshoot {
				n = max(n, int(math.Ceil(d/overshoot)))
			}
		}
	}
	return min(n, maxSubsteps)
}

func (e *Env) fail(reason string) {
	e.done = true
	e.reason = reason
}

func (e *Env) distance() float64 { return e.hull.GetPosition().X - e.startX }

func clip(a float32) float64 {
	x := float64(a)
	switch {
	case x != x:
		return 0
	case x > 1:
		return 1
	case x < -1:
		return -1
	}
	return x
}

func (e *Env) finite() bool {
	ok := func(b *box2d.B2Body) bool {
		p, v := b.GetPosition(), b.GetLinearVelocity()
		s := p.X + p.Y + v.X + v.Y + b.GetAngle() + b.GetAngularVelocity()
		return !math.IsNaN(s) && !math.IsInf(s, 0)
	}
	if !ok(e.hull) {
		return false
	}
	for _, l := range e.legs {
		if !ok(l.thigh) || !ok(l.shin) {
			return false
		}
	}
	return true
}

// touchesGround reports whether body b has a touching contact with the
// ground (through fixture f when f is not nil).
func touchesGround(b *box2d.B2Body, f *box2d.B2Fixture) bool {
	for ce := b.GetContactList(); ce != nil; ce = ce.Next {
		c := ce.Contact
		if !c.IsTouching() {
			continue
		}
		fa, fb := c.GetFixtureA(), c.GetFixtureB()
		if fa.GetUserData() != groundTag {
			fa, fb = fb, fa
		}
		if fa.GetUserData() == groundTag && (f == nil || fb == f) {
			return true
		}
	}
	return false
}

// updateContacts sets each leg's foot contact and reports whether the
// hull touches the ground.
func (e *Env) updateContacts() bool {
	for _, l := range e.legs {
		switch l.shinMode {
		case shinGhost:
			l.contact = touchesGround(l.thigh, nil)
		case shinShort:
			l.contact = touchesGround(l.shin, l.short)
		default:
			l.contact = touchesGround(l.shin, l.full)
		}
	}
	return touchesGround(e.hull, nil)
}

// castLidar casts Gym's 10 rays from the hull centre, at 1.5·i/10 rad
// from straight down towards +x, 160 px long; each reports the fraction
// of its length to the ground (1: nothing within range).
func (e *Env) castLidar() {
	p := e.hull.GetPosition()
	for i := range e.lidar {
		e.lidar[i] = e.terr.rayCast(p, e.rayEnd(p, 1.5*float64(i)/10))
	}
}

func (e *Env) rayEnd(p box2d.B2Vec2, a float64) box2d.B2Vec2 {
	return box2d.B2Vec2{X: p.X + math.Sin(a)*lidarRange, Y: p.Y - math.Cos(a)*lidarRange}
}

// Observe implements physics.Env; the layout is documented in doc.go.
func (e *Env) Observe(obs []float32) {
	if len(obs) != obsSize {
		panic(fmt.Sprintf("quadruped: observation has length %d, want %d", len(obs), obsSize))
	}
	v := e.hull.GetLinearVelocity()
	obs[0] = float32(e.hull.GetAngle())
	obs[1] = float32(2 * e.hull.GetAngularVelocity() / fps)
	obs[2] = float32(0.3 * v.X * (600 / scale) / fps)
	obs[3] = float32(0.3 * v.Y * (400 / scale) / fps)
	for i, l := range e.legs {
		o := obs[4+5*i : 9+5*i]
		o[0] = float32(l.hip.GetJointAngle())
		o[1] = float32(l.hip.GetJointSpeed() / speedHip)
		if l.shinMode == shinGhost {
			o[2], o[3] = 0, 0 // no knee to sense
		} else {
			o[2] = float32(l.knee.GetJointAngle() + 1)
			o[3] = float32(l.knee.GetJointSpeed() / speedKnee)
		}
		o[4] = 0
		if l.contact {
			o[4] = 1
		}
	}
	for i, f := range e.lidar {
		obs[24+i] = float32(f)
	}
}

// Focus implements physics.Env: the hull's position.
func (e *Env) Focus() physics.Vec2 {
	p := e.hull.GetPosition()
	return physics.Vec2{X: p.X, Y: p.Y}
}

// Done reports whether the episode has ended, and why.
func (e *Env) Done() (bool, string) { return e.done, e.reason }

// FootContact reports whether leg i (LegNames order) touches the ground.
func (e *Env) FootContact(i int) bool { return e.legs[i].contact }
