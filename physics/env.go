package physics

import "image/color"

// Vec2 is a point or a vector in world coordinates (metres, y up).
type Vec2 struct{ X, Y float64 }

// Drawer is what an Env draws through. The app implements it with
// ebiten/vector; tests may implement it to count or record shapes.
type Drawer interface {
	// Polygon fills a closed polygon and strokes its outline; a zero
	// colour (A == 0) skips that part.
	Polygon(pts []Vec2, fill, stroke color.RGBA)
	// Segment draws a line from a to b.
	Segment(a, b Vec2, c color.RGBA)
	// Circle fills a disc.
	Circle(center Vec2, radius float64, fill color.RGBA)
	// Label writes a short text at a world position.
	Label(at Vec2, text string, c color.RGBA)
}

// StepInfo is what one Env step reports.
type StepInfo struct {
	Reward float64 // reward of this step
	Done   bool    // the episode has ended
	Reason string  // why it ended ("fell", "step limit", "out of bounds", "lap", "physics: …"); "" while running

	Distance float64 // quadruped: metres the hull has moved forward since reset

	Tiles      int     // racer: road tiles visited so far
	TilesTotal int     // racer: tiles on the track
	LapTime    float64 // racer: seconds to complete the lap, 0 until done
	Speed      float64 // racer: the car's speed over the ground, m/s
	// Lost (racer): the car is more than 20 m (three road half-widths)
	// from the road's centre line, past where its offset observation
	// clamps: a driver there has lost the road, not just left it.
	Lost bool
}

// Env is one simulated body in its world.
type Env interface {
	// Name is the registry name, e.g. "quadruped" or "racer".
	Name() string
	// ObsSize is the length of the observation vector.
	ObsSize() int
	// ActSize is the length of the action vector.
	ActSize() int
	// Reset builds a new world from seed (terrain or track, start pose) and
	// returns the body to full health.
	Reset(seed int64)
	// Observe writes the current observation into obs (len ObsSize).
	Observe(obs []float32)
	// Step applies action (len ActSize) for one fixed time step.
	Step(action []float32) StepInfo
	// Steps is the number of steps since Reset.
	Steps() int
	// Draw draws the world and the body through d.
	Draw(d Drawer)
	// Focus is where a camera following the body should look.
	Focus() Vec2
}

// Damage is a change to the body (or, for the racer, to the car or the road)
// that can be switched on and off between steps. The controller is never told.
type Damage struct {
	Target string // quadruped: "FL", "FR", "BL", "BR"; racer: "car"
	Kind   string // quadruped: "shorten", "amputate", "paralyze", "weaken", "lock"; racer: "oil", "engine", "steering" (and the drill "offroad", see Drills)
}

// Damageable is an Env whose body can be damaged and repaired mid-episode.
type Damageable interface {
	// DamageTargets lists what can be damaged, e.g. the four legs.
	DamageTargets() []string
	// DamageKinds lists the kinds of damage this Env knows.
	DamageKinds() []string
	// ApplyDamage damages d.Target with d.Kind, replacing any damage it had.
	// An unknown target or kind returns an error and changes nothing.
	ApplyDamage(d Damage) error
	// Repair returns target to health; "" repairs everything.
	Repair(target string)
	// DamageState maps each damaged target to its kind.
	DamageState() map[string]string
	// Morphologies lists the named body variants for training and
	// evaluation; the first is the healthy body.
	Morphologies() []Morphology
}

// Drills is a Damageable with perturbations kept for training: evolution
// may plan them (a curriculum) and `hebb eval --perturb` may apply them,
// but the perturbation suite and the app's damage keys do not offer them.
type Drills interface {
	DrillKinds() []string
}

// PlannableKinds is d's DamageKinds followed by its DrillKinds, if any:
// every kind ApplyDamage accepts.
func PlannableKinds(d Damageable) []string {
	ks := d.DamageKinds()
	if dr, ok := d.(Drills); ok {
		ks = append(append([]string(nil), ks...), dr.DrillKinds()...)
	}
	return ks
}

// Morphology is a named body variant: damage applied right after Reset.
type Morphology struct {
	Name    string   // e.g. "healthy", "FL-short"
	Damages []Damage // applied in order after Reset
}
