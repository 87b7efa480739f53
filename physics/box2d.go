package physics

import "github.com/ByteArena/box2d"

// Box2D v1.0.2 fills its table of contact constructors lazily, on the
// first contact any world creates, from whichever goroutine gets there
// first and with no lock. Two workers starting together could then race:
// one re-makes the table while the other reads it, finds no constructor,
// and a foot never touches the ground it overlaps — a different trajectory
// from the same seed, rarely, and only at a process's start. Creating one
// contact here, at package init (one goroutine, before main), fills the
// table before any world exists; nothing writes it again.
func init() {
	w := box2d.MakeB2World(box2d.MakeB2Vec2(0, 0))
	for i := 0; i < 2; i++ {
		bd := box2d.MakeB2BodyDef()
		bd.Type = box2d.B2BodyType.B2_dynamicBody
		b := w.CreateBody(&bd)
		s := box2d.MakeB2CircleShape()
		s.M_radius = 1
		b.CreateFixture(&s, 1)
	}
	w.Step(1.0/50, 1, 1)
}
