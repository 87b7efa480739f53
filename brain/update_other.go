//go:build !amd64 || purego

package brain

var useAVX2 = false

func updABCDlrAVX2(w, dw, pre, a, b, c, d, eta *float32, n int, p float32) uint32 {
	panic("brain: no AVX2 kernels in this build")
}

func scaleAVX2(w *float32, n int, s float32) { panic("brain: no AVX2 kernels in this build") }
