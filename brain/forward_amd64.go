//go:build !purego

package brain

//go:noescape
func dotRowsAVX2(w, x, y *float32, rows, n8, stride int)
