package racer

import (
	"math"

	"github.com/ByteArena/box2d"

	"github.com/hebbsim/hebbsim/physics"
)

// Car constants, from Gym's car_dynamics.py (SIZE = 0.02 m per unit).
const (
	carSize        = 0.02
	enginePower    = 100000000 * carSize * carSize // 40,000
	wheelInertia   = 4000 * carSize * carSize      // 1.6
	frictionLimit  = 1000000 * carSize * carSize   // 400 on road
	grassFactor    = 0.6                           // 240 on grass
	wheelR         = 27                            // units
	wheelW         = 14                            // units
	tyreStiffness  = 205000 * carSize * carSize    // 82: force per m/s of slip
	steerTorque    = 180 * 900 * carSize * carSize // 64.8 N·m steering motor
	brakeRate      = 15                            // rad/s taken off ω per step at full brake
	gasRampPerStep = 0.1                           // gas rises at most this much per step
)

var (
	wheelPos = [4][2]float64{{-55, +80}, {+55, +80}, {-55, -82}, {+55, -82}} // FL, FR, RL, RR
	hullPoly = [4][][2]float64{
		{{-60, +130}, {+60, +130}, {+60, +110}, {-60, +110}},
		{{-15, +120}, {+15, +120}, {+20, +20}, {-20, 20}},
		{{+25, +20}, {+50, -10}, {+50, -40}, {+20, -90}, {-20, -90}, {-50, -40}, {-50, -10}, {-25, +20}},
		{{-50, -120}, {+50, -120}, {+50, -90}, {-50, -90}},
	}
	wheelPoly = [4][2]float64{{-wheelW, +wheelR}, {+wheelW, +wheelR}, {+wheelW, -wheelR}, {-wheelW, -wheelR}}
)

// Fixture user data: a tile carries its index, a wheel its index.
type (
	tileID  int
	wheelID int
)

// wheel is one wheel's body and its tyre state.
type wheel struct {
	body   *box2d.B2Body
	joint  *box2d.B2RevoluteJoint
	gas    float64 // ramped gas (rear wheels)
	brake  float64
	steer  float64 // target steering angle command in [-1, 1]; + is left (Gym's sign)
	omega  float64 // spin rate (rad/s)
	phase  float64 // wheel rotation angle (rad)
	tiles  int     // road tiles it touches now
	radius float64
}

// car is a hull with four wheels on revolute joints; front wheels steer
// through the joints' motors, rear wheels drive.
type car struct {
	hull   *box2d.B2Body
	wheels [4]wheel
}

func newCar(world *box2d.B2World, angle, x, y float64) *car {
	c := &car{}
	bd := box2d.MakeB2BodyDef()
	bd.Type = box2d.B2BodyType.B2_dynamicBody
	bd.Position.Set(x, y)
	bd.Angle = angle
	bd.AllowSleep = false
	c.hull = world.CreateBody(&bd)
	// The hull touches nothing, so it needs no fixtures (each would be a
	// broad-phase proxy moved and queried every step): it gets the mass
	// its four polygons would give it at density 1, summed as Box2D's
	// ResetMassData does.
	var md box2d.B2MassData
	for _, poly := range hullPoly {
		vs := make([]box2d.B2Vec2, len(poly))
		for i, p := range poly {
			vs[i] = box2d.MakeB2Vec2(p[0]*carSize, p[1]*carSize)
		}
		shape := box2d.MakeB2PolygonShape()
		shape.Set(vs, len(vs))
		var m box2d.B2MassData
		shape.ComputeMass(&m, 1)
		md.Mass += m.Mass
		md.Center.OperatorPlusInplace(box2d.B2Vec2MulScalar(m.Mass, m.Center))
		md.I += m.I
	}
	md.Center.OperatorScalarMulInplace(1 / md.Mass)
	c.hull.SetMassData(&md)
	for i, wp := range wheelPos {
		w := &c.wheels[i]
		local := box2d.MakeB2Vec2(wp[0]*carSize, wp[1]*carSize)
		wd := box2d.MakeB2BodyDef()
		wd.Type = box2d.B2BodyType.B2_dynamicBody
		wd.Position = c.hull.GetWorldPoint(local)
		wd.Angle = angle
		wd.AllowSleep = false
		w.body = world.CreateBody(&wd)
		vs := make([]box2d.B2Vec2, 4)
		for j, p := range wheelPoly {
			vs[j] = box2d.MakeB2Vec2(p[0]*carSize, p[1]*carSize)
		}
		shape := box2d.MakeB2PolygonShape()
		shape.Set(vs, 4)
		fd := box2d.MakeB2FixtureDef()
		fd.Shape = &shape
		fd.Density = 0.1
		fd.Restitution = 0
		fd.UserData = wheelID(i)
		fd.Filter = box2d.B2Filter{CategoryBits: catWheel, MaskBits: catTile}
		w.body.CreateFixtureFromDef(&fd)
		w.radius = wheelR * carSize

		jd := box2d.MakeB2RevoluteJointDef()
		jd.BodyA = c.hull
		jd.BodyB = w.body
		jd.LocalAnchorA = local
		jd.LocalAnchorB = box2d.MakeB2Vec2(0, 0)
		jd.EnableMotor = true
		jd.EnableLimit = true
		jd.MaxMotorTorque = steerTorque
		jd.LowerAngle = -0.4
		jd.UpperAngle = +0.4
		w.joint = world.CreateJoint(&jd).(*box2d.B2RevoluteJoint)
	}
	return c
}

// place moves the car rigidly to (x, y) at heading ang, moving straight
// ahead at speed (m/s), its front wheels steered by steer rad (+ left),
// every wheel spinning at omega (rad/s), turning at w rad/s. It touches
// no solver state beyond the bodies.
func (c *car) place(x, y, ang, speed, steer, omega, w float64) {
	h := c.hull
	h.SetTransform(box2d.MakeB2Vec2(x, y), ang)
	v := box2d.MakeB2Vec2(-speed*math.Sin(ang), speed*math.Cos(ang))
	h.SetLinearVelocity(v)
	h.SetAngularVelocity(w)
	for k := range c.wheels {
		wh := &c.wheels[k]
		a := ang
		if k < 2 {
			a += steer
		}
		wh.body.SetTransform(h.GetWorldPoint(box2d.MakeB2Vec2(wheelPos[k][0]*carSize, wheelPos[k][1]*carSize)), a)
		wh.body.SetLinearVelocity(v)
		wh.omega = omega
	}
}

// rearSpin is the driven wheels' mean wheel spin: how much faster their
// tread turns than the ground passes under them (m/s; + spinning under
// power, − locked or dragging under braking). A rev counter against a
// speedometer shows it to a driver.
func (c *car) rearSpin() float64 {
	s := 0.0
	for i := 2; i < 4; i++ {
		w := &c.wheels[i]
		xf := w.body.GetTransform()
		forw := box2d.B2RotVec2Mul(xf.Q, box2d.MakeB2Vec2(0, 1))
		v := w.body.GetLinearVelocity()
		s += w.omega*w.radius - (forw.X*v.X + forw.Y*v.Y)
	}
	return s / 2
}

// control sets the driver's commands: steer in [-1, 1] (+ right), gas and
// brake in [0, 1]. Gas rises by at most 0.1 per step on the rear wheels and
// drops at once, as in Gym.
func (c *car) control(steer, gas, brake float64) {
	c.wheels[0].steer = -steer // joint angles are + to the left
	c.wheels[1].steer = -steer
	for i := 2; i < 4; i++ {
		w := &c.wheels[i]
		w.gas += math.Min(gas-w.gas, gasRampPerStep)
	}
	for i := range c.wheels {
		c.wheels[i].brake = brake
	}
}

// step applies Gym's per-wheel tyre model for dt: the steering motor, the
// engine's power into wheel spin, the brake, and the tyre force from the
// slip between the wheel's rolling and ground speed, capped by the friction
// limit (frictionScale multiplies it: oil), and power scaled by powerScale
// (engine damage).
func (c *car) step(dt, powerScale, frictionScale float64) {
	for i := range c.wheels {
		w := &c.wheels[i]
		ang := w.joint.GetJointAngle()
		d := w.steer - ang
		w.joint.SetMotorSpeed(physics.Sign(d) * math.Min(50*math.Abs(d), 3))

		limit := frictionLimit * grassFactor
		if w.tiles > 0 {
			limit = frictionLimit
		}
		limit *= frictionScale

		xf := w.body.GetTransform()
		forw := box2d.B2RotVec2Mul(xf.Q, box2d.MakeB2Vec2(0, 1))
		side := box2d.B2RotVec2Mul(xf.Q, box2d.MakeB2Vec2(1, 0))
		v := w.body.GetLinearVelocity()
		vf := forw.X*v.X + forw.Y*v.Y
		vs := side.X*v.X + side.Y*v.Y

		// E = I ω²/2, so dω = dt·P/(I·ω); 5 keeps it finite at rest.
		w.omega += dt * enginePower * powerScale * w.gas / wheelInertia / (math.Abs(w.omega) + 5)
		if w.brake >= 0.9 {
			w.omega = 0
		} else if w.brake > 0 {
			val := brakeRate * w.brake
			if val > math.Abs(w.omega) {
				val = math.Abs(w.omega)
			}
			w.omega -= physics.Sign(w.omega) * val
		}
		w.phase = math.Mod(w.phase+w.omega*dt, 2*math.Pi)

		vr := w.omega * w.radius
		fForce := (vr - vf) * tyreStiffness
		pForce := -vs * tyreStiffness
		force := math.Hypot(fForce, pForce)
		if force > limit {
			fForce *= limit / force
			pForce *= limit / force
		}
		w.omega -= dt * fForce * w.radius / wheelInertia
		w.body.ApplyForceToCenter(box2d.MakeB2Vec2(
			pForce*side.X+fForce*forw.X,
			pForce*side.Y+fForce*forw.Y), true)
	}
}
