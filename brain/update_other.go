//go:build !amd64 || purego

package brain

var useAVX2 = false

type avxKernel func(w, dw, pre, a, b, c, d, eta, dout *float32, n int, p float32) uint32

var avxKernels [kindABCDlrDinout + 1]avxKernel

func scaleAVX2(w *float32, n int, s float32) { panic("brain: no AVX2 kernels in this build") }
