//go:build !amd64 || purego

package brain

func dotRowsAVX2(w, x, y *float32, rows, n8, stride int) {
	panic("brain: no AVX2 kernels in this build")
}
