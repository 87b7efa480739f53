// Text and rectangles: cached text lines, filled and stroked rectangles.

package game

import (
	"image"
	"image/color"
	"math"
	"strings"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/text/v2"
	"github.com/hajimehoshi/ebiten/v2/vector"

	"github.com/hebbsim/hebbsim/game/model"
)

// whitePix and the quad fill rectangles in one DrawTriangles each.
var (
	whitePix  *ebiten.Image
	rectVerts [4]ebiten.Vertex
	rectIdx   = []uint16{0, 1, 2, 0, 2, 3}
)

// drawText draws s with its top-left corner at (x, y). Each distinct
// (string, face) is rendered once into a small image and reused while it
// is drawn every frame: drawing text glyph by glyph costs one DrawImage
// per glyph, about 3.5 ms a frame for the app's ~1,500 glyphs under
// software GL; a cached line is one.
func drawText(dst *ebiten.Image, s string, face text.Face, x, y float64, c color.Color) {
	if strings.Contains(exp, "notext") || s == "" {
		return
	}
	if strings.Contains(exp, "nocache") {
		op := &text.DrawOptions{}
		op.GeoM.Translate(math.Round(x), math.Round(y))
		op.ColorScale.ScaleWithColor(c)
		text.Draw(dst, s, face, op)
		return
	}
	img := texts.get(s, face)
	if img == nil {
		// Not cached (yet): a line seen for the first time may change
		// next frame (the HUD's numbers), so it is drawn glyph by glyph.
		op := &text.DrawOptions{}
		op.GeoM.Translate(math.Round(x), math.Round(y))
		op.ColorScale.ScaleWithColor(c)
		text.Draw(dst, s, face, op)
		return
	}
	op := &ebiten.DrawImageOptions{}
	op.GeoM.Translate(math.Round(x), math.Round(y))
	op.ColorScale.ScaleWithColor(c)
	dst.DrawImage(img, op)
}

// textCache holds rendered text lines, white on transparent, evicting
// those not drawn for a while.
type textCache struct {
	frame   int64
	entries map[textKey]*textEntry
}

type textKey struct {
	s    string
	face text.Face
}

type textEntry struct {
	img  *ebiten.Image
	used int64
}

var texts = textCache{entries: map[textKey]*textEntry{}}

// TextCacheMax bounds the cached lines; beyond it the stalest go first.
const textCacheMax = 600

// get returns the cached image of s, rendering it the second frame in a
// row that s is drawn; nil the first time (the caller draws it directly).
func (c *textCache) get(s string, face text.Face) *ebiten.Image {
	k := textKey{s, face}
	e, ok := c.entries[k]
	if !ok {
		c.entries[k] = &textEntry{used: c.frame}
		return nil
	}
	if e.img == nil && e.used < c.frame {
		w, h := text.Measure(s, face, 0)
		if w >= 1 && h >= 1 {
			e.img = ebiten.NewImage(int(math.Ceil(w))+1, int(math.Ceil(h))+1)
			text.Draw(e.img, s, face, &text.DrawOptions{})
		}
	}
	e.used = c.frame
	return e.img
}

// endFrame evicts lines unused for two seconds, or the stalest when
// there are too many (a hover read-out changes every frame).
func (c *textCache) endFrame() {
	c.frame++
	if c.frame%30 != 0 && len(c.entries) < textCacheMax {
		return
	}
	for k, e := range c.entries {
		if c.frame-e.used > 120 || (len(c.entries) >= textCacheMax && c.frame-e.used > 2) {
			if e.img != nil {
				e.img.Deallocate()
			}
			delete(c.entries, k)
		}
	}
}

// resetTexts drops every cached line (the faces changed).
func resetTexts() {
	for k, e := range texts.entries {
		if e.img != nil {
			e.img.Deallocate()
		}
		delete(texts.entries, k)
	}
}

// fillRect fills r. Opaque colours are copied without blending, which
// saves the destination read under software GL.
func fillRect(dst *ebiten.Image, r model.Rect, c color.RGBA) {
	x0, y0, x1, y1 := float32(r.X), float32(r.Y), float32(r.X+r.W), float32(r.Y+r.H)
	cr, cg, cb, ca := float32(c.R)/255, float32(c.G)/255, float32(c.B)/255, float32(c.A)/255
	if ca > 0 { // color.RGBA is premultiplied; vertices take straight alpha
		cr, cg, cb = cr/ca, cg/ca, cb/ca
	}
	for k, p := range [4][2]float32{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}} {
		rectVerts[k] = ebiten.Vertex{DstX: p[0], DstY: p[1], SrcX: 1, SrcY: 1, ColorR: cr, ColorG: cg, ColorB: cb, ColorA: ca}
	}
	op := &ebiten.DrawTrianglesOptions{}
	if c.A == 255 && !strings.Contains(exp, "nocopy") {
		op.Blend = ebiten.BlendCopy
	}
	dst.DrawTriangles(rectVerts[:], rectIdx, whitePix, op)
}

func strokeRect(dst *ebiten.Image, r model.Rect, w float64, c color.Color) {
	vector.StrokeRect(dst, float32(r.X), float32(r.Y), float32(r.W), float32(r.H), float32(w), c, false)
}

func sub(dst *ebiten.Image, r model.Rect) *ebiten.Image {
	return dst.SubImage(image.Rect(int(r.X), int(r.Y), int(math.Ceil(r.X+r.W)), int(math.Ceil(r.Y+r.H)))).(*ebiten.Image)
}
