package racer

import (
	"fmt"
	"image"
	"math"
	"math/rand/v2"

	"github.com/ByteArena/box2d"

	"github.com/hebbsim/hebbsim/physics"
)

// Simulation settings.
const (
	// FPS is the number of steps per simulated second (Gym's CarRacing).
	FPS = 50
	dt  = 1.0 / FPS
	// VelocityIterations and PositionIterations are the Box2D solver
	// iterations per step. Gym uses 180 and 60; the car's only
	// constraints are four wheel joints, and the scripted-driver test
	// passes just as well with far fewer (see doc.go for the measurement).
	VelocityIterations = 8
	PositionIterations = 3

	// LapFraction of the tiles must be visited before touching tile 0
	// again completes a lap.
	LapFraction = 0.95
	// OilSeconds is how long an "oil" perturbation lasts before the tyres
	// are clean again.
	OilSeconds = 5.0
	// OilFriction multiplies the tyres' friction limit while oiled.
	OilFriction = 0.25
	// EnginePowerDamaged multiplies the engine power of a damaged engine.
	EnginePowerDamaged = 0.5
	// SteeringOffset is the constant steering command a bent rack adds
	// (+ pulls right), before the command is clamped to [-1, 1]. The
	// command is the front wheels' target angle in rad (the joints stop
	// at ±0.4), so this toes them 0.1 rad, a quarter of full lock.
	SteeringOffset = 0.1
	// OffroadMin and OffroadMax bound how far from the road the "offroad"
	// drill sets the car down (m): past LostDistance, so that the car is
	// lost, as an oiled car that slid away is.
	OffroadMin = 30.0
	OffroadMax = 50.0

	// ObsPixels is the pixel observation's length: 84×84 RGB, HWC.
	ObsPixels = ViewW * ViewH * 3
	// NumRays is the number of range-finder rays; ObsRays the rays
	// observation's length (rays, speed, angular velocity, lateral offset).
	NumRays = 9
	ObsRays = NumRays + 3
	// ObsGrip is the "grip" observation's length: the rays observation
	// plus the car's sideways speed (slip) in SpeedUnit, + to the right —
	// what a driver feels in the seat when the tyres lose grip, and what
	// Gym's pixel bar shows as wheel spin. The rays alone cannot tell a
	// slide from a turn (docs/adaptation.md).
	ObsGrip = ObsRays + 1
	// ObsTraction is the "traction" observation's length: the grip
	// observation plus the driven wheels' spin (tread speed − ground
	// speed, in SpeedUnit, clamped to ±3; + under power). After oil the
	// car is lost to wheel spin on the grass, not to the slide itself
	// (docs/adaptation.md, R-H6): with this input, cutting the gas while
	// the wheels spin is one weight.
	ObsTraction = ObsGrip + 1
	// ObsCompass is the "compass" observation's length: the traction
	// observation plus the road's direction at the nearest centre point
	// relative to the car's heading, as its sine (+ the road runs to the
	// right of the heading) and cosine (+1 along the road, −1 facing
	// back). After oil a fast car slides 20–100 m off the road, past the
	// offset's clamp and the rays' reach, and circles there: nothing in
	// the traction values says which way the road is (docs/adaptation.md,
	// R-H13). With these two values a car steers home by the road's
	// direction and the offset's sign, as a lane-keeping controller does.
	ObsCompass = ObsTraction + 2
	// LostDistance is how far from the centre line (m) a car has lost the
	// road (StepInfo.Lost): three half-widths, where the offset
	// observation clamps.
	LostDistance = 3 * trackWidth
	// RayLength is the range of a ray (m); a ray that meets no road edge
	// reads RayLength/RayUnit = 7.5.
	RayLength = 50.0
	// RayUnit, SpeedUnit and AngVelUnit are the units of the rays
	// observation: distances in road half-widths (6.67 m), forward speed
	// in 10 m/s, angular velocity in rad/s. They put every component in
	// the range where a bias-free tanh network responds (doc.go: with
	// distances /50 m and speed /50 m/s the inputs were so small that every
	// random network braked at sigmoid(0) = 0.5 and drove the same way).
	RayUnit    = trackWidth
	SpeedUnit  = 10.0
	AngVelUnit = 1.0
)

// Box2D collision categories: wheels touch tiles, nothing else touches.
const (
	catTile  = 0x0001
	catHull  = 0x0002
	catWheel = 0x0020
)

// Options configures a racer Env. The zero value gives the pixel
// observation and a 1,000-step limit.
type Options struct {
	// Obs is the observation: "pixels" (the default, also for ""),
	// "pixels-wide" (Gym's width, see WideScaleX), "rays", "grip",
	// "traction" or "compass".
	Obs string
	// MaxSteps ends the episode with reason "step limit"; 0 means 1,000.
	MaxSteps int
}

// Env is the top-down car racer. It implements physics.Env and
// physics.Damageable. It is not safe for concurrent use.
type Env struct {
	opts Options
	// vec is the vector observation's length: ObsRays, ObsGrip (plus the
	// sideways slip), ObsTraction (plus the wheel spin) or ObsCompass
	// (plus the road's direction); 0 for pixels.
	vec   int
	world *box2d.B2World
	track *track
	road  *box2d.B2Body // the one static body holding all tile sensors
	car   *car

	visited      []bool
	visitedCount int
	tileReward   float64 // reward from tiles touched during this step
	lapTouched   bool    // a wheel touched tile 0 with ≥ 95 % visited

	seed    int64 // the track's; the offroad drill draws from it
	steps   int
	done    bool
	last    physics.StepInfo
	damage  string // "", "oil", "engine" or "steering"
	oilLeft int    // steps of oil left
	oilAt   physics.Vec2

	// broken is set when Box2D panicked or produced NaN; the car's last
	// finite pose is kept for drawing.
	broken bool
	pose   pose
	// nearI is the centre point nearest the pose and nearD2 the squared
	// distance to it (readPose keeps them; the rays and Lost read them).
	nearI  int
	nearD2 float64

	rc  rayCaster
	ren renderer

	velIters, posIters int // Box2D solver iterations (tests vary them)
}

// pose is the car's state as drawn and observed.
type pose struct {
	x, y, angle float64
	vx, vy, w   float64
}

// New returns a racer on the track of seed 0; Reset builds another.
func New(opts Options) (*Env, error) {
	e := &Env{opts: opts, velIters: VelocityIterations, posIters: PositionIterations}
	switch opts.Obs {
	case "", "pixels":
		e.opts.Obs = "pixels"
	case "pixels-wide":
		e.ren.scaleX = WideScaleX
	case "rays":
		e.vec = ObsRays
	case "grip":
		e.vec = ObsGrip
	case "traction":
		e.vec = ObsTraction
	case "compass":
		e.vec = ObsCompass
	default:
		return nil, fmt.Errorf("racer: unknown observation %q (want \"pixels\", \"pixels-wide\", \"rays\", \"grip\", \"traction\" or \"compass\")", opts.Obs)
	}
	if opts.MaxSteps < 0 {
		return nil, fmt.Errorf("racer: MaxSteps %d is negative", opts.MaxSteps)
	}
	if e.opts.MaxSteps == 0 {
		e.opts.MaxSteps = 1000
	}
	e.Reset(0)
	return e, nil
}

// Name is "racer".
func (e *Env) Name() string { return "racer" }

// ObsSize is ObsPixels, ObsRays, ObsGrip, ObsTraction or ObsCompass.
func (e *Env) ObsSize() int {
	if e.vec > 0 {
		return e.vec
	}
	return ObsPixels
}

// ActSize is 3: steer [-1, 1] (+ right), gas [0, 1], brake [0, 1].
func (e *Env) ActSize() int { return 3 }

// Steps is the number of steps since Reset.
func (e *Env) Steps() int { return e.steps }

// Reset builds the track for seed, puts a healthy car on tile 0 and clears
// the visited tiles.
func (e *Env) Reset(seed int64) {
	rng := rand.New(rand.NewPCG(uint64(seed), 0x72616365)) // "race"
	e.track = genTrack(rng)
	e.seed = seed
	n := len(e.track.tiles)

	w := box2d.MakeB2World(box2d.MakeB2Vec2(0, 0))
	e.world = &w
	e.world.M_continuousPhysics = false // nothing here collides solidly
	e.world.SetContactFilter(contactFilter{})
	e.world.SetContactListener(&listener{e})

	bd := box2d.MakeB2BodyDef()
	e.road = e.world.CreateBody(&bd)
	for i, q := range e.track.tiles {
		vs := []box2d.B2Vec2{
			box2d.MakeB2Vec2(q[0].X, q[0].Y), box2d.MakeB2Vec2(q[1].X, q[1].Y),
			box2d.MakeB2Vec2(q[2].X, q[2].Y), box2d.MakeB2Vec2(q[3].X, q[3].Y),
		}
		shape := box2d.MakeB2PolygonShape()
		shape.Set(vs, 4)
		fd := box2d.MakeB2FixtureDef()
		fd.Shape = &shape
		fd.IsSensor = true
		fd.UserData = tileID(i)
		fd.Filter = box2d.B2Filter{CategoryBits: catTile, MaskBits: catWheel}
		e.road.CreateFixtureFromDef(&fd)
	}
	p := e.track.pts[0]
	e.car = newCar(e.world, p.beta, p.x, p.y)

	if cap(e.visited) >= n {
		e.visited = e.visited[:n]
		clear(e.visited)
	} else {
		e.visited = make([]bool, n)
	}
	e.visitedCount, e.tileReward, e.lapTouched = 0, 0, false
	e.steps, e.done, e.last = 0, false, physics.StepInfo{}
	e.damage, e.oilLeft, e.broken = "", 0, false
	e.readPose()
	if e.vec > 0 {
		e.rc.build(e.track)
	}
}

// Step applies action for 1/50 s. A Box2D panic or a non-finite state ends
// the episode with a reason starting "physics: ". After the episode is done,
// Step changes nothing and reports the last step's info with zero reward.
func (e *Env) Step(action []float32) (info physics.StepInfo) {
	if e.done {
		info = e.last
		info.Reward = 0
		return info
	}
	if len(action) != 3 {
		panic(fmt.Sprintf("racer: action has length %d, want 3", len(action)))
	}
	defer func() {
		if r := recover(); r != nil {
			info = e.fail(fmt.Sprintf("physics: box2d panic: %v", r))
		}
	}()
	steer := clampF(action[0], -1, 1)
	gas := clampF(action[1], 0, 1)
	brake := clampF(action[2], 0, 1)
	power, friction := 1.0, 1.0
	switch e.damage {
	case "engine":
		power = EnginePowerDamaged
	case "steering":
		steer = math.Max(-1, math.Min(1, steer+SteeringOffset))
	case "oil":
		friction = OilFriction
		e.oilLeft--
		if e.oilLeft <= 0 {
			e.damage = ""
		}
	}

	e.tileReward = 0
	e.car.control(steer, gas, brake)
	e.car.step(dt, power, friction)
	e.world.Step(dt, e.velIters, e.posIters)
	e.steps++
	if !e.readPose() {
		return e.fail("physics: car state is not finite")
	}

	info.Reward = -0.1 + e.tileReward
	n := len(e.visited)
	switch {
	case e.lapTouched || e.visitedCount == n:
		info.Done, info.Reason = true, "lap"
		info.LapTime = float64(e.steps) * dt
	}
	if math.Abs(e.pose.x) > playfield || math.Abs(e.pose.y) > playfield {
		info.Reward, info.Done, info.Reason, info.LapTime = -100, true, "out of bounds", 0
	}
	if !info.Done && e.steps >= e.opts.MaxSteps {
		info.Done, info.Reason = true, "step limit"
	}
	info.Tiles, info.TilesTotal = e.visitedCount, n
	info.Speed = math.Hypot(e.pose.vx, e.pose.vy)
	info.Lost = e.nearD2 > LostDistance*LostDistance
	e.done, e.last = info.Done, info
	return info
}

// fail ends the episode after a physics failure; the world is not stepped
// again.
func (e *Env) fail(reason string) physics.StepInfo {
	e.broken, e.done = true, true
	e.last = physics.StepInfo{Done: true, Reason: reason, Tiles: e.visitedCount, TilesTotal: len(e.visited)}
	return e.last
}

// readPose copies the hull's state into e.pose if it is finite.
func (e *Env) readPose() bool {
	h := e.car.hull
	p, v := h.GetPosition(), h.GetLinearVelocity()
	np := pose{p.X, p.Y, h.GetAngle(), v.X, v.Y, h.GetAngularVelocity()}
	for _, f := range [...]float64{np.x, np.y, np.angle, np.vx, np.vy, np.w} {
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return false
		}
	}
	for i := range e.car.wheels {
		if o := e.car.wheels[i].omega; math.IsNaN(o) || math.IsInf(o, 0) {
			return false
		}
	}
	e.pose = np
	e.nearI, e.nearD2 = nearest(e.track, np.x, np.y)
	return true
}

func clampF(a float32, lo, hi float64) float64 {
	v := float64(a)
	if math.IsNaN(v) {
		return 0
	}
	return math.Max(lo, math.Min(hi, v))
}

// Observe writes the observation: the 84×84 view (pixels) or the ray
// vector (rays); see doc.go for the layouts.
func (e *Env) Observe(obs []float32) {
	if len(obs) != e.ObsSize() {
		panic(fmt.Sprintf("racer: obs has length %d, want %d", len(obs), e.ObsSize()))
	}
	if e.vec > 0 {
		e.observeRays(obs)
		return
	}
	e.ren.render(e, obs)
}

// ObservationImage returns the current 84×84 pixel view (whatever the
// observation mode), as a new image.
func (e *Env) ObservationImage() *image.RGBA {
	buf := make([]float32, ObsPixels)
	e.ren.render(e, buf)
	return PixelsToImage(buf)
}

// PixelsToImage converts a pixel observation (len ObsPixels, HWC, [0,1])
// to an opaque RGBA image.
func PixelsToImage(obs []float32) *image.RGBA {
	if len(obs) != ObsPixels {
		panic(fmt.Sprintf("racer: pixel observation has length %d, want %d", len(obs), ObsPixels))
	}
	img := image.NewRGBA(image.Rect(0, 0, ViewW, ViewH))
	for i := 0; i < ViewW*ViewH; i++ {
		for c := 0; c < 3; c++ {
			img.Pix[4*i+c] = uint8(math.Round(float64(obs[3*i+c]) * 255))
		}
		img.Pix[4*i+3] = 255
	}
	return img
}

// Focus is the car's position.
func (e *Env) Focus() physics.Vec2 { return physics.Vec2{X: e.pose.x, Y: e.pose.y} }

// Track returns the centre-line points, tile i ending at point i; the road
// runs from point i−1 to point i and point 0 is the start.
func (e *Env) Track() []physics.Vec2 {
	out := make([]physics.Vec2, len(e.track.pts))
	for i, p := range e.track.pts {
		out[i] = physics.Vec2{X: p.x, Y: p.y}
	}
	return out
}

// TrackWidth is the road's half-width (m).
const TrackWidth = trackWidth

// Pose is the car hull's position (m), heading angle (rad; the car points
// along (−sin a, cos a)), velocity (m/s) and angular velocity (rad/s, +
// counter-clockwise).
func (e *Env) Pose() (pos physics.Vec2, angle float64, vel physics.Vec2, angVel float64) {
	p := e.pose
	return physics.Vec2{X: p.x, Y: p.y}, p.angle, physics.Vec2{X: p.vx, Y: p.vy}, p.w
}

// Visited reports whether tile i has been visited.
func (e *Env) Visited(i int) bool { return e.visited[i] }

// DamageTargets is ["car"].
func (e *Env) DamageTargets() []string { return []string{"car"} }

// DamageKinds lists the perturbations: "oil" (tyre friction ×1/4 for
// OilSeconds, then clean again), "engine" (power ×1/2) and "steering" (a
// bent rack: SteeringOffset added to every steering command).
func (e *Env) DamageKinds() []string { return []string{"oil", "engine", "steering"} }

// DrillKinds is ["offroad"], a training drill (physics.Drills): the car is
// set down at rest OffroadMin–OffroadMax m from the road, facing a random
// way, healthy. It teaches the way back to the road directly, where an
// oiled car slides that far only now and then.
func (e *Env) DrillKinds() []string { return []string{"offroad"} }

// throwOffRoad is the offroad drill. The spot and heading are drawn from
// the track's seed and the step, so a replay puts the car in the same
// place; a spot nearer than OffroadMin to any part of the road, or near
// the playfield's edge, is drawn again (up to 32 draws; the last is kept).
func (e *Env) throwOffRoad() {
	rng := rand.New(rand.NewPCG(uint64(e.seed), uint64(e.steps)^0x6f6666726f6164)) // "offroad"
	p := e.track.pts[e.nearI]
	var x, y float64
	for try := 0; try < 32; try++ {
		side := 1.0
		if rng.IntN(2) == 0 {
			side = -1
		}
		d := side * (OffroadMin + (OffroadMax-OffroadMin)*rng.Float64())
		x, y = p.x+d*math.Cos(p.beta), p.y+d*math.Sin(p.beta)
		_, d2 := nearest(e.track, x, y)
		if d2 >= OffroadMin*OffroadMin && math.Abs(x) < playfield-OffroadMax && math.Abs(y) < playfield-OffroadMax {
			break
		}
	}
	e.car.place(x, y, 2*math.Pi*rng.Float64(), 0, 0, 0, 0)
	e.readPose()
}

// ApplyDamage sets the car's perturbation, replacing any it had.
func (e *Env) ApplyDamage(d physics.Damage) error {
	if d.Target != "car" {
		return fmt.Errorf("racer: unknown damage target %q (want \"car\")", d.Target)
	}
	switch d.Kind {
	case "oil":
		e.oilLeft = int(OilSeconds * FPS)
		e.oilAt = e.Focus()
	case "engine", "steering":
	case "offroad":
		e.throwOffRoad()
		e.damage, e.oilLeft = "", 0
		return nil
	default:
		return fmt.Errorf("racer: unknown damage kind %q (want oil, engine, steering or offroad)", d.Kind)
	}
	e.damage = d.Kind
	return nil
}

// Repair clears the car's perturbation; target is "car" or "".
func (e *Env) Repair(target string) {
	if target == "car" || target == "" {
		e.damage, e.oilLeft = "", 0
	}
}

// DamageState maps "car" to its perturbation, if any.
func (e *Env) DamageState() map[string]string {
	m := map[string]string{}
	if e.damage != "" {
		m["car"] = e.damage
	}
	return m
}

// Morphologies lists healthy, engine-damaged and bent-steering. Oil is a
// passing event, not a body, so it has no morphology.
func (e *Env) Morphologies() []physics.Morphology {
	return []physics.Morphology{
		{Name: "healthy"},
		{Name: "engine-damaged", Damages: []physics.Damage{{Target: "car", Kind: "engine"}}},
		{Name: "bent-steering", Damages: []physics.Damage{{Target: "car", Kind: "steering"}}},
	}
}

// contactFilter lets wheels touch tiles and nothing else touch anything.
type contactFilter struct{}

func (contactFilter) ShouldCollide(a, b *box2d.B2Fixture) bool {
	fa, fb := a.GetFilterData(), b.GetFilterData()
	return fa.MaskBits&fb.CategoryBits != 0 && fa.CategoryBits&fb.MaskBits != 0
}

// listener counts each wheel's tiles and rewards first visits.
type listener struct{ e *Env }

func (l *listener) contact(c box2d.B2ContactInterface, begin bool) {
	ua, ub := c.GetFixtureA().GetUserData(), c.GetFixtureB().GetUserData()
	t, ok := ua.(tileID)
	w, ok2 := ub.(wheelID)
	if !ok || !ok2 {
		t, ok = ub.(tileID)
		w, ok2 = ua.(wheelID)
		if !ok || !ok2 {
			return
		}
	}
	e := l.e
	wh := &e.car.wheels[w]
	if !begin {
		wh.tiles--
		return
	}
	wh.tiles++
	if !e.visited[t] {
		e.visited[t] = true
		e.visitedCount++
		e.tileReward += 1000 / float64(len(e.visited))
	}
	if t == 0 && float64(e.visitedCount) >= LapFraction*float64(len(e.visited)) {
		e.lapTouched = true
	}
}

func (l *listener) BeginContact(c box2d.B2ContactInterface) { l.contact(c, true) }
func (l *listener) EndContact(c box2d.B2ContactInterface)   { l.contact(c, false) }
func (l *listener) PreSolve(box2d.B2ContactInterface, box2d.B2Manifold) {
}
func (l *listener) PostSolve(box2d.B2ContactInterface, *box2d.B2ContactImpulse) {
}
