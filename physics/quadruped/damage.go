package quadruped

import (
	"fmt"
	"math"

	"github.com/ByteArena/box2d"

	"github.com/hebbsim/hebbsim/physics"
)

// Damage kinds.
const (
	Shorten  = "shorten"  // shin to ¼ of its length (the paper's damage)
	Amputate = "amputate" // shin removed: it stays as a tiny ghost that touches nothing
	Paralyze = "paralyze" // hip and knee motors off: the leg hangs limp
	Weaken   = "weaken"   // hip and knee torque ×¼
	Lock     = "lock"     // knee frozen at the angle it had when locked
)

// DamageKindList lists the damage kinds in a fixed order.
var DamageKindList = []string{Shorten, Amputate, Paralyze, Weaken, Lock}

// morphology suffix per kind, e.g. "FL-short".
var kindSuffix = map[string]string{
	Shorten: "short", Amputate: "amputated", Paralyze: "paralyzed", Weaken: "weak", Lock: "locked",
}

// DamageTargets implements physics.Damageable: the four legs.
func (e *Env) DamageTargets() []string { return append([]string(nil), LegNames...) }

// DamageKinds implements physics.Damageable.
func (e *Env) DamageKinds() []string { return append([]string(nil), DamageKindList...) }

func (e *Env) legByName(name string) *leg {
	for _, l := range e.legs {
		if l.name == name {
			return l
		}
	}
	return nil
}

// ApplyDamage implements physics.Damageable. The body changes at the start
// of the next Step; drawing shows the damage at once.
func (e *Env) ApplyDamage(d physics.Damage) error {
	l := e.legByName(d.Target)
	if l == nil {
		return fmt.Errorf("quadruped: unknown damage target %q (want one of %v)", d.Target, LegNames)
	}
	if _, ok := kindSuffix[d.Kind]; !ok {
		return fmt.Errorf("quadruped: unknown damage kind %q (want one of %v)", d.Kind, DamageKindList)
	}
	l.kind = d.Kind
	if d.Kind == Lock {
		// Freeze where the knee is now, unless it is frozen already.
		if l.appliedKind == Lock {
			l.lock = l.appliedLock
		} else {
			l.lock = math.Max(kneeLo, math.Min(kneeHi, l.knee.GetJointAngle()))
		}
	}
	return nil
}

// Repair implements physics.Damageable; "" repairs every leg. An unknown
// target is ignored.
func (e *Env) Repair(target string) {
	for _, l := range e.legs {
		if target == "" || target == l.name {
			l.kind = ""
		}
	}
}

// DamageState implements physics.Damageable.
func (e *Env) DamageState() map[string]string {
	m := map[string]string{}
	for _, l := range e.legs {
		if l.kind != "" {
			m[l.name] = l.kind
		}
	}
	return m
}

// Morphologies implements physics.Damageable: "healthy", then each leg
// shortened (the paper's damage, "FL-short" …), then each leg amputated,
// paralyzed, weakened and locked ("FL-amputated", "FL-paralyzed",
// "FL-weak", "FL-locked" …).
func (e *Env) Morphologies() []physics.Morphology {
	ms := []physics.Morphology{{Name: "healthy"}}
	for _, k := range DamageKindList {
		for _, n := range LegNames {
			ms = append(ms, physics.Morphology{
				Name:    n + "-" + kindSuffix[k],
				Damages: []physics.Damage{{Target: n, Kind: k}},
			})
		}
	}
	return ms
}

// sync brings the Box2D state of l in line with the damage asked for.
// It runs at the start of Step, outside Box2D's callbacks, and touches
// only what differs from the state the last step ran with.
func (e *Env) sync(l *leg) {
	if l.kind == l.appliedKind && (l.kind != Lock || l.lock == l.appliedLock) {
		return
	}
	mode := shinFull
	lo, hi := kneeLo, kneeHi
	hipMotor, kneeMotor := true, true
	switch l.kind {
	case Shorten:
		mode = shinShort
	case Amputate:
		mode = shinGhost
		lo, hi = kneeLo, kneeLo // the ghost folds up and stays folded
		kneeMotor = false
	case Paralyze:
		hipMotor, kneeMotor = false, false
	case Lock:
		lo, hi = l.lock, l.lock
	}
	e.setShin(l, mode)
	if lo != l.knee.GetLowerLimit() || hi != l.knee.GetUpperLimit() {
		if lo > l.knee.GetUpperLimit() {
			l.knee.SetLimits(l.knee.GetLowerLimit(), hi) // keep lower ≤ upper on the way
		}
		l.knee.SetLimits(lo, hi)
	}
	l.hip.EnableMotor(hipMotor)
	l.knee.EnableMotor(kneeMotor)
	l.appliedKind, l.appliedLock = l.kind, l.lock
}

// setShin switches the shin's active fixture: the inactive one gets no
// mass and no collisions.
func (e *Env) setShin(l *leg, mode int) {
	if mode == l.shinMode {
		return
	}
	set := func(f *box2d.B2Fixture, density float64, filter box2d.B2Filter) {
		f.SetDensity(density)
		if f.GetFilterData() != filter {
			f.SetFilterData(filter)
		}
	}
	switch mode {
	case shinFull:
		set(l.full, legDensity, robotFilter)
		set(l.short, 0, offFilter)
	case shinShort:
		set(l.full, 0, offFilter)
		set(l.short, shortDensity*legDensity, robotFilter)
	case shinGhost:
		set(l.full, ghostFrac*legDensity, offFilter)
		set(l.short, 0, offFilter)
	}
	l.shin.ResetMassData()
	l.shinMode = mode
}
