package model

// Convex reports whether the polygon xs (x, y pairs) turns one way only.
func Convex(xs []float32) bool {
	n := len(xs) / 2
	if n <= 3 {
		return true
	}
	sign := 0
	for k := 0; k < n; k++ {
		ax, ay := xs[2*k], xs[2*k+1]
		bx, by := xs[2*((k+1)%n)], xs[2*((k+1)%n)+1]
		cx, cy := xs[2*((k+2)%n)], xs[2*((k+2)%n)+1]
		cr := (bx-ax)*(cy-by) - (by-ay)*(cx-bx)
		s := 0
		if cr > 1e-6 {
			s = 1
		} else if cr < -1e-6 {
			s = -1
		}
		if s != 0 {
			if sign != 0 && s != sign {
				return false
			}
			sign = s
		}
	}
	return true
}

// EarClip triangulates the simple polygon xs (x, y pairs, any winding) by
// ear clipping, appending indices offset by base to is; O(n²): the world's concave shapes (terrain strips) are small.
func EarClip(xs []float32, base uint16, is []uint16) []uint16 {
	n := len(xs) / 2
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	area := float32(0)
	for k := 0; k < n; k++ {
		j := (k + 1) % n
		area += xs[2*k]*xs[2*j+1] - xs[2*j]*xs[2*k+1]
	}
	orient := float32(1)
	if area < 0 {
		orient = -1
	}
	cross := func(a, b, c int) float32 {
		return orient * ((xs[2*b]-xs[2*a])*(xs[2*c+1]-xs[2*a+1]) - (xs[2*b+1]-xs[2*a+1])*(xs[2*c]-xs[2*a]))
	}
	inside := func(p, a, b, c int) bool {
		return cross(a, b, p) >= 0 && cross(b, c, p) >= 0 && cross(c, a, p) >= 0
	}
	guard := 0
	for len(idx) > 3 && guard < n*n {
		guard++
		clipped := false
		for k := 0; k < len(idx); k++ {
			a, b, c := idx[(k+len(idx)-1)%len(idx)], idx[k], idx[(k+1)%len(idx)]
			if cross(a, b, c) <= 0 {
				continue
			}
			ear := true
			for _, p := range idx {
				if p != a && p != b && p != c && inside(p, a, b, c) {
					ear = false
					break
				}
			}
			if ear {
				is = append(is, base+uint16(a), base+uint16(b), base+uint16(c))
				idx = append(idx[:k], idx[k+1:]...)
				clipped = true
				break
			}
		}
		if !clipped {
			break
		}
	}
	if len(idx) == 3 {
		is = append(is, base+uint16(idx[0]), base+uint16(idx[1]), base+uint16(idx[2]))
	} else {
		// Degenerate: fall back to a fan so something shows.
		for k := 1; k+1 < len(idx); k++ {
			is = append(is, base+uint16(idx[0]), base+uint16(idx[k]), base+uint16(idx[k+1]))
		}
	}
	return is
}
