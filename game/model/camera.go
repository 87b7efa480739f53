package model

import (
	"math"

	"github.com/hebbsim/hebbsim/physics"
)

// Camera maps world coordinates (metres, y up) to screen pixels (y down)
// inside a viewport. Zoom is pixels per metre.
type Camera struct {
	Center physics.Vec2 // world point at the viewport centre
	Zoom   float64      // pixels per metre
	Follow bool         // track the body's focus point

	// Home is the zoom Home resets to (set by the scene).
	Home float64
	// View is the viewport in screen pixels.
	View Rect
}

// Zoom limits, in pixels per metre.
const (
	MinZoom = 1
	MaxZoom = 400
)

// NewCamera returns a following camera at zoom home.
func NewCamera(home float64) Camera {
	return Camera{Zoom: home, Home: home, Follow: true}
}

// ToScreen maps a world point to screen pixels.
func (c *Camera) ToScreen(p physics.Vec2) (float64, float64) {
	cx, cy := c.View.CenterXY()
	return cx + (p.X-c.Center.X)*c.Zoom, cy - (p.Y-c.Center.Y)*c.Zoom
}

// ToWorld maps screen pixels to a world point.
func (c *Camera) ToWorld(x, y float64) physics.Vec2 {
	cx, cy := c.View.CenterXY()
	return physics.Vec2{X: c.Center.X + (x-cx)/c.Zoom, Y: c.Center.Y - (y-cy)/c.Zoom}
}

// ZoomAt multiplies the zoom by f, keeping the world point under screen
// position (x, y) fixed, as map viewers do.
func (c *Camera) ZoomAt(x, y, f float64) {
	before := c.ToWorld(x, y)
	c.Zoom = clamp(c.Zoom*f, MinZoom, MaxZoom)
	after := c.ToWorld(x, y)
	c.Center.X += before.X - after.X
	c.Center.Y += before.Y - after.Y
}

// Pan moves the view by a screen-pixel drag (dx, dy) and stops following.
func (c *Camera) Pan(dx, dy float64) {
	c.Center.X -= dx / c.Zoom
	c.Center.Y += dy / c.Zoom
	c.Follow = false
}

// Track moves the centre towards focus. Smoothing in (0,1] is the fraction
// of the gap closed per call; 1 jumps.
func (c *Camera) Track(focus physics.Vec2, smoothing float64) {
	if !c.Follow {
		return
	}
	if math.IsNaN(focus.X) || math.IsNaN(focus.Y) {
		return
	}
	c.Center.X += (focus.X - c.Center.X) * smoothing
	c.Center.Y += (focus.Y - c.Center.Y) * smoothing
}

// Ease is how the app's camera follows a body: the same easing per
// simulated step at every speed, and a hard margin. steps is how many env
// steps ran since the last call and perTick how many run in one tick at
// 1× (envHz/TPS). At 1× it closes base of the gap per tick, as Track does;
// at M thousands of steps run per tick and the gap is closed as if each
// step-sized slice of them had been a tick, so the camera does not lag
// metres behind. Then, whatever the easing, the focus is kept inside the
// middle keep fraction of the view (0.6: at most 30 % of the view's width
// or height from its centre): the body never leaves the view.
func (c *Camera) Ease(focus physics.Vec2, steps int, perTick, base, keep float64) {
	if !c.Follow || math.IsNaN(focus.X) || math.IsNaN(focus.Y) {
		return
	}
	n := 1.0
	if perTick > 0 && steps > 0 {
		n = math.Max(1, float64(steps)/perTick)
	}
	c.Track(focus, 1-math.Pow(1-base, n))
	c.Keep(focus, keep)
}

// Keep moves the centre the least distance that puts focus inside the
// middle frac of the view (no-op without a view or zoom).
func (c *Camera) Keep(focus physics.Vec2, frac float64) {
	if c.Zoom <= 0 || c.View.W <= 0 || c.View.H <= 0 || math.IsNaN(focus.X) || math.IsNaN(focus.Y) {
		return
	}
	hx, hy := frac*c.View.W/2/c.Zoom, frac*c.View.H/2/c.Zoom
	c.Center.X = clamp(c.Center.X, focus.X-hx, focus.X+hx)
	c.Center.Y = clamp(c.Center.Y, focus.Y-hy, focus.Y+hy)
}

// InView reports whether world point p is drawn inside the view.
func (c *Camera) InView(p physics.Vec2) bool {
	x, y := c.ToScreen(p)
	return c.View.Contains(x, y)
}

// Reset is Home: following again at the home zoom, centred on focus.
func (c *Camera) Reset(focus physics.Vec2) {
	c.Zoom, c.Follow, c.Center = c.Home, true, focus
}

// Rect is an axis-aligned rectangle in screen pixels.
type Rect struct{ X, Y, W, H float64 }

// Contains reports whether (x, y) lies inside r.
func (r Rect) Contains(x, y float64) bool {
	return x >= r.X && y >= r.Y && x < r.X+r.W && y < r.Y+r.H
}

// CenterXY is the centre of r.
func (r Rect) CenterXY() (float64, float64) { return r.X + r.W/2, r.Y + r.H/2 }

// Inset shrinks r by d on every side.
func (r Rect) Inset(d float64) Rect {
	return Rect{r.X + d, r.Y + d, math.Max(0, r.W-2*d), math.Max(0, r.H-2*d)}
}

// SplitX cuts r into a left part of width w and the rest.
func (r Rect) SplitX(w float64) (Rect, Rect) {
	w = clamp(w, 0, r.W)
	return Rect{r.X, r.Y, w, r.H}, Rect{r.X + w, r.Y, r.W - w, r.H}
}

// SplitY cuts r into a top part of height h and the rest.
func (r Rect) SplitY(h float64) (Rect, Rect) {
	h = clamp(h, 0, r.H)
	return Rect{r.X, r.Y, r.W, h}, Rect{r.X, r.Y + h, r.W, r.H - h}
}
