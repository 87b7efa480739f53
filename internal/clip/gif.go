package clip

import (
	"fmt"
	"image"
	"image/color"
	"image/gif"
	"io"
	"math"
	"sort"

	"github.com/hebbsim/hebbsim/internal/atomicfile"
)

// Recorder collects frames of one size and writes them as an animated
// GIF. Each frame is box-filtered down to W×H, mapped to one palette
// chosen from the first frame, and stored as the rectangle that changed
// since the previous frame with unchanged pixels transparent: a clip whose
// background is still compresses to little. A frame identical to the last
// lengthens the last frame's delay instead.
type Recorder struct {
	W, H int
	// Delay is each frame's display time in hundredths of a second.
	Delay int
	// MaxFrames stops Add from keeping more (0: no limit); Full reports it.
	MaxFrames int
	// Colours is the palette size (≤ 255; one more entry is the
	// transparent index). 0 means 64.
	Colours int
	// Extra colours always in the palette (a heatmap scale's samples).
	Extra []color.RGBA

	pal    color.Palette
	trans  uint8
	lut    []int16 // palette index of each 15-bit colour, −1 until looked up
	prev   []uint8 // the composited previous frame, W×H palette indices
	cur    []uint8
	frames []*image.Paletted
	delays []int
	small  *image.RGBA
}

// NewRecorder makes a recorder of w×h frames shown fps times a second.
func NewRecorder(w, h int, fps float64) (*Recorder, error) {
	if w < 1 || h < 1 || w > 4096 || h > 4096 {
		return nil, fmt.Errorf("clip: frame size %d×%d: want 1…4096 on each side", w, h)
	}
	if !(fps > 0 && fps <= 50) {
		return nil, fmt.Errorf("clip: %v frames per second: want (0, 50]", fps)
	}
	return &Recorder{W: w, H: h, Delay: max(2, int(math.Round(100/fps)))}, nil
}

// Len is the number of frames kept.
func (r *Recorder) Len() int { return len(r.frames) }

// Frames is the number of frames shown, counting the repeats merged
// into a longer delay.
func (r *Recorder) Frames() int {
	n := 0
	for _, d := range r.delays {
		n += d / r.Delay
	}
	return n
}

// Full reports whether MaxFrames frames have been kept.
func (r *Recorder) Full() bool { return r.MaxFrames > 0 && len(r.frames) >= r.MaxFrames }

// Add appends img, scaled to W×H. It does nothing once Full.
func (r *Recorder) Add(img image.Image) {
	if r.Full() {
		return
	}
	src := r.scale(img)
	if r.pal == nil {
		r.pal = ChoosePalette(src, r.colours(), r.Extra...)
		r.trans = uint8(len(r.pal))
		r.pal = append(r.pal, color.RGBA{})
		r.lut = make([]int16, 1<<15)
		for i := range r.lut {
			r.lut[i] = -1
		}
		r.prev = make([]uint8, r.W*r.H)
		r.cur = make([]uint8, r.W*r.H)
	}
	for y := 0; y < r.H; y++ {
		row := src.Pix[y*src.Stride : y*src.Stride+4*r.W]
		for x := 0; x < r.W; x++ {
			p := row[4*x : 4*x+4 : 4*x+4]
			r.cur[y*r.W+x] = r.index(p[0], p[1], p[2])
		}
	}
	if len(r.frames) == 0 {
		f := image.NewPaletted(image.Rect(0, 0, r.W, r.H), r.pal)
		copy(f.Pix, r.cur)
		r.prev, r.cur = r.cur, r.prev
		r.frames, r.delays = append(r.frames, f), append(r.delays, r.Delay)
		return
	}
	// The rectangle that changed.
	x0, y0, x1, y1 := r.W, r.H, -1, -1
	for y := 0; y < r.H; y++ {
		for x := 0; x < r.W; x++ {
			if r.cur[y*r.W+x] != r.prev[y*r.W+x] {
				x0, y0, x1, y1 = min(x0, x), min(y0, y), max(x1, x), max(y1, y)
			}
		}
	}
	if x1 < 0 {
		r.delays[len(r.delays)-1] += r.Delay
		return
	}
	f := image.NewPaletted(image.Rect(x0, y0, x1+1, y1+1), r.pal)
	for y := y0; y <= y1; y++ {
		for x := x0; x <= x1; x++ {
			c := r.cur[y*r.W+x]
			if c == r.prev[y*r.W+x] {
				c = r.trans
			}
			f.Pix[(y-y0)*f.Stride+(x-x0)] = c
		}
	}
	r.prev, r.cur = r.cur, r.prev
	r.frames, r.delays = append(r.frames, f), append(r.delays, r.Delay)
}

func (r *Recorder) colours() int {
	if r.Colours <= 0 || r.Colours > 255 {
		return 64
	}
	return r.Colours
}

// index maps a colour to the nearest palette entry, looked up once per
// 15-bit colour (5 bits a channel: finer than a ≤ 255-colour palette).
func (r *Recorder) index(cr, cg, cb uint8) uint8 {
	k := int(cr>>3)<<10 | int(cg>>3)<<5 | int(cb>>3)
	if i := r.lut[k]; i >= 0 {
		return uint8(i)
	}
	best, bi := math.MaxInt, 0
	for i, c := range r.pal[:len(r.pal)-1] {
		q := c.(color.RGBA)
		dr, dg, db := int(q.R)-int(cr), int(q.G)-int(cg), int(q.B)-int(cb)
		if d := 3*dr*dr + 4*dg*dg + 2*db*db; d < best {
			best, bi = d, i
		}
	}
	r.lut[k] = int16(bi)
	return uint8(bi)
}

// scale box-filters img to W×H (img itself when it is already that size).
func (r *Recorder) scale(img image.Image) *image.RGBA {
	b := img.Bounds()
	if src, ok := img.(*image.RGBA); ok && b == image.Rect(0, 0, r.W, r.H) {
		return src
	}
	if r.small == nil {
		r.small = image.NewRGBA(image.Rect(0, 0, r.W, r.H))
	}
	src, ok := img.(*image.RGBA)
	if !ok {
		src = image.NewRGBA(b)
		for y := b.Min.Y; y < b.Max.Y; y++ {
			for x := b.Min.X; x < b.Max.X; x++ {
				src.Set(x, y, img.At(x, y))
			}
		}
	}
	sw, sh := b.Dx(), b.Dy()
	for y := 0; y < r.H; y++ {
		sy0, sy1 := y*sh/r.H, max((y+1)*sh/r.H, y*sh/r.H+1)
		for x := 0; x < r.W; x++ {
			sx0, sx1 := x*sw/r.W, max((x+1)*sw/r.W, x*sw/r.W+1)
			var sr, sg, sb, n int
			for yy := sy0; yy < sy1 && yy < sh; yy++ {
				o := (yy)*src.Stride + 4*sx0
				for xx := sx0; xx < sx1 && xx < sw; xx++ {
					sr += int(src.Pix[o])
					sg += int(src.Pix[o+1])
					sb += int(src.Pix[o+2])
					o += 4
					n++
				}
			}
			if n == 0 {
				n = 1
			}
			d := r.small.Pix[y*r.small.Stride+4*x:]
			d[0], d[1], d[2], d[3] = uint8(sr/n), uint8(sg/n), uint8(sb/n), 255
		}
	}
	return r.small
}

// Encode writes the GIF, looping forever.
func (r *Recorder) Encode(w io.Writer) error {
	if len(r.frames) == 0 {
		return fmt.Errorf("clip: no frames recorded")
	}
	g := &gif.GIF{Image: r.frames, Delay: r.delays, LoopCount: 0,
		Disposal: make([]byte, len(r.frames)),
		Config:   image.Config{ColorModel: r.pal, Width: r.W, Height: r.H}}
	for i := range g.Disposal {
		g.Disposal[i] = gif.DisposalNone
	}
	return gif.EncodeAll(w, g)
}

// Save writes the GIF to path atomically.
func (r *Recorder) Save(path string) error {
	if len(r.frames) == 0 {
		return fmt.Errorf("clip: %s: no frames recorded", path)
	}
	return atomicfile.Write(path, r.Encode)
}

// ChoosePalette picks up to n colours for img: the most frequent colours
// (counted at 5 bits per channel, so anti-aliased edges do not crowd out
// the flat fills) and a fixed set of strong colours that may appear only
// later in a clip (a damaged leg's red, the heatmaps' blue and orange),
// then extra.
func ChoosePalette(img *image.RGBA, n int, extra ...color.RGBA) color.Palette {
	fixed := []color.RGBA{
		{0, 0, 0, 255}, {255, 255, 255, 255}, {0xe0, 0x30, 0x30, 255}, {0xff, 0xb0, 0x3a, 255},
		{0x3d, 0xa5, 0xff, 255}, {0xc0, 0x5a, 0x2a, 255}, {0x2a, 0x6f, 0xb8, 255}, {0x7d, 0xd8, 0x7d, 255},
		{0xf0, 0xe0, 0x5a, 255}, {0x80, 0x80, 0x80, 255}, {0x40, 0x40, 0x40, 255}, {0xc0, 0xc0, 0xc0, 255},
	}
	type bin struct {
		r, g, b, n int
	}
	bins := map[uint16]*bin{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		o := (y-b.Min.Y)*img.Stride + 0
		for x := b.Min.X; x < b.Max.X; x++ {
			p := img.Pix[o : o+3 : o+3]
			k := uint16(p[0]>>3)<<10 | uint16(p[1]>>3)<<5 | uint16(p[2]>>3)
			e := bins[k]
			if e == nil {
				e = &bin{}
				bins[k] = e
			}
			e.r += int(p[0])
			e.g += int(p[1])
			e.b += int(p[2])
			e.n++
			o += 4
		}
	}
	list := make([]*bin, 0, len(bins))
	for _, e := range bins {
		list = append(list, e)
	}
	sort.Slice(list, func(i, j int) bool {
		if list[i].n != list[j].n {
			return list[i].n > list[j].n
		}
		return list[i].r+list[i].g<<8+list[i].b<<16 < list[j].r+list[j].g<<8+list[j].b<<16
	})
	fixed = append(fixed, extra...)
	pal := color.Palette{}
	// Most frequent first, skipping colours close to one already chosen:
	// the many shades of a heatmap take a few entries, not all, and the
	// small flat fills (a leg) keep theirs.
	for _, minD := range []int{24 * 24, 10 * 10, 0} {
		for _, e := range list {
			if len(pal) >= n-len(fixed) {
				break
			}
			c := color.RGBA{uint8(e.r / e.n), uint8(e.g / e.n), uint8(e.b / e.n), 255}
			if nearestDist(pal, c) > minD {
				pal = append(pal, c)
			}
		}
	}
	for _, c := range fixed {
		if len(pal) < n {
			pal = append(pal, c)
		}
	}
	return pal
}

func nearestDist(pal color.Palette, c color.RGBA) int {
	best := math.MaxInt
	for _, p := range pal {
		q := p.(color.RGBA)
		dr, dg, db := int(q.R)-int(c.R), int(q.G)-int(c.G), int(q.B)-int(c.B)
		best = min(best, dr*dr+dg*dg+db*db)
	}
	return best
}
