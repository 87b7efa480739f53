//go:build !amd64 || purego

package brain

func patchMax8AVX2(x, k, out *float32, rows, rowLen, rowStride, colStep, rowStep int) {
	panic("brain: no AVX2 kernels in this build")
}
