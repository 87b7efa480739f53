//go:build !purego

package brain

//go:noescape
func patchMax8AVX2(x, k, out *float32, rows, rowLen, rowStride, colStep, rowStep int)
