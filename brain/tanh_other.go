//go:build !amd64 || purego

package brain

func tanhAVX2(x *float32, n int, c *uint32) { panic("brain: no AVX2 kernels in this build") }
