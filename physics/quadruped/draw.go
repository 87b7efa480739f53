package quadruped

import (
	"image/color"
	"math"

	"github.com/ByteArena/box2d"

	"github.com/hebbsim/hebbsim/physics"
)

// Colours, after Gym BipedalWalker's palette.
var (
	colSky       = color.RGBA{215, 215, 255, 255}
	colGrass     = color.RGBA{102, 153, 76, 255}
	colGrassLine = color.RGBA{76, 127, 51, 255}
	colObstacle  = color.RGBA{153, 153, 153, 255}
	colHull      = color.RGBA{127, 51, 229, 255}
	colHullLine  = color.RGBA{76, 76, 127, 255}
	colNear      = color.RGBA{128, 51, 102, 255} // legs facing the viewer: darker
	colNearLine  = color.RGBA{76, 26, 76, 255}
	colFar       = color.RGBA{178, 101, 152, 255} // legs of the far side: lighter
	colFarLine   = color.RGBA{127, 76, 127, 255}
	colDamage    = color.RGBA{220, 40, 40, 255}
	colDamageFar = color.RGBA{240, 120, 120, 255}
	colLidar     = color.RGBA{255, 0, 0, 160}
	colContact   = color.RGBA{40, 200, 40, 255}
)

// DrawHalfWidth is how far either side of the hull Draw draws terrain (m).
const DrawHalfWidth = 40.0

// Draw implements physics.Env: the terrain within DrawHalfWidth of the
// hull, the lidar rays, the far legs, the hull, the near legs, foot
// contacts (green discs) and damage (red parts, a label at the hip).
// Damage shows at once, even before the next Step applies it.
func (e *Env) Draw(d physics.Drawer) {
	fx := e.hull.GetPosition().X
	low := terrainHeight - 50 // ground is drawn down to here, not to the polygons' ragged bottoms
	// Grass first, then Gym's obstacles (stumps, stairs, pit walls) on top.
	for pass := 0; pass < 2; pass++ {
		for i, p := range e.terr.polys {
			if e.terr.obstacle[i] != (pass == 1) || e.terr.minX[i] > fx+DrawHalfWidth || e.terr.maxX[i] < fx-DrawHalfWidth {
				continue
			}
			if pass == 1 {
				pts := make([]physics.Vec2, len(p))
				for k, v := range p {
					pts[k] = vec(v)
				}
				d.Polygon(pts, colObstacle, colGrassLine)
				continue
			}
			// Surface polygons are [top-left, bottom-left, bottom-right, top-right].
			a, b := vec(p[0]), vec(p[3])
			d.Polygon([]physics.Vec2{a, {X: a.X, Y: low}, {X: b.X, Y: low}, b}, colGrass, color.RGBA{})
			d.Segment(a, b, colGrassLine)
		}
	}

	p := e.hull.GetPosition()
	for i, f := range e.lidar {
		end := e.rayEnd(p, 1.5*float64(i)/10)
		hit := box2d.B2Vec2{X: p.X + f*(end.X-p.X), Y: p.Y + f*(end.Y-p.Y)}
		d.Segment(vec(p), vec(hit), colLidar)
	}

	for _, l := range e.legs {
		if !l.near {
			e.drawLeg(d, l)
		}
	}
	d.Polygon(e.boxPts(e.hull, hullHalfW, (hullTop-hullBottom)/2, (hullTop+hullBottom)/2), colHull, colHullLine)
	for _, l := range e.legs {
		if l.near {
			e.drawLeg(d, l)
		}
	}
	for _, l := range e.legs {
		if l.contact {
			d.Circle(vec(e.footPoint(l)), 0.08, colContact)
		}
		if l.kind != "" {
			hip := e.hull.GetWorldPoint(box2d.B2Vec2{X: l.x, Y: legDown})
			dy := 0.45
			if !l.near {
				dy = 0.75
			}
			d.Label(physics.Vec2{X: hip.X, Y: hip.Y + dy}, l.name+" "+l.kind, colDamage)
		}
	}
}

func (e *Env) drawLeg(d physics.Drawer, l *leg) {
	fill, line, dmg := colNear, colNearLine, colDamage
	if !l.near {
		fill, line, dmg = colFar, colFarLine, colDamageFar
	}
	thighFill, shinFill := fill, fill
	switch l.kind {
	case Paralyze, Weaken:
		thighFill, shinFill = dmg, dmg
	case Shorten, Amputate:
		shinFill = dmg
	}
	d.Polygon(e.boxPts(l.thigh, legW/2, legH/2, 0), thighFill, line)
	switch l.kind {
	case Amputate:
		d.Circle(vec(l.thigh.GetWorldPoint(box2d.B2Vec2{Y: -legH / 2})), shinW/2, shinFill)
	case Shorten:
		d.Polygon(e.boxPts(l.shin, shinW/2, shortFrac*legH/2, legH/2-shortFrac*legH/2), shinFill, line)
	default:
		d.Polygon(e.boxPts(l.shin, shinW/2, legH/2, 0), shinFill, line)
	}
	if l.kind == Lock {
		d.Circle(vec(l.thigh.GetWorldPoint(box2d.B2Vec2{Y: -legH / 2})), shinW/2, dmg)
	}
}

// boxPts returns the corners of a box of half-size hx×hy centred at
// (0, cy) in b's frame, in world coordinates.
func (e *Env) boxPts(b *box2d.B2Body, hx, hy, cy float64) []physics.Vec2 {
	local := [4]box2d.B2Vec2{{X: -hx, Y: cy - hy}, {X: hx, Y: cy - hy}, {X: hx, Y: cy + hy}, {X: -hx, Y: cy + hy}}
	pts := make([]physics.Vec2, 4)
	for i, v := range local {
		pts[i] = vec(b.GetWorldPoint(v))
	}
	return pts
}

// footPoint is the lowest point of the leg's active lower segment (the
// bottom centre of the shin, or of the thigh when amputated), as drawn.
func (e *Env) footPoint(l *leg) box2d.B2Vec2 {
	switch l.kind {
	case Amputate:
		return l.thigh.GetWorldPoint(box2d.B2Vec2{Y: -legH / 2})
	case Shorten:
		return l.shin.GetWorldPoint(box2d.B2Vec2{Y: legH/2 - shortFrac*legH})
	}
	return l.shin.GetWorldPoint(box2d.B2Vec2{Y: -legH / 2})
}

// LegAt reports which leg, if any, the world point p lies on (within a
// few centimetres); near legs win over far ones. For the app's clicks.
func (e *Env) LegAt(p physics.Vec2) (string, bool) {
	const margin = 0.05
	in := func(b *box2d.B2Body, hx, hy, cy float64) bool {
		q := b.GetLocalPoint(box2d.B2Vec2{X: p.X, Y: p.Y})
		return math.Abs(q.X) <= hx+margin && math.Abs(q.Y-cy) <= hy+margin
	}
	for _, near := range []bool{true, false} {
		for _, l := range e.legs {
			if l.near != near {
				continue
			}
			if in(l.thigh, legW/2, legH/2, 0) {
				return l.name, true
			}
			switch l.kind {
			case Amputate:
			case Shorten:
				if in(l.shin, shinW/2, shortFrac*legH/2, legH/2-shortFrac*legH/2) {
					return l.name, true
				}
			default:
				if in(l.shin, shinW/2, legH/2, 0) {
					return l.name, true
				}
			}
		}
	}
	return "", false
}

// SkyColor is the background colour the app may clear to.
func SkyColor() color.RGBA { return colSky }

func vec(v box2d.B2Vec2) physics.Vec2 { return physics.Vec2{X: v.X, Y: v.Y} }
