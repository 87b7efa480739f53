//go:build !purego

package brain

import "golang.org/x/sys/cpu"

// useAVX2 selects the AVX2 kernels. They give bit-identical results to the
// Go loops (no FMA), so the choice never changes a trajectory.
var useAVX2 = cpu.X86.HasAVX2

//go:noescape
func updABCDlrAVX2(w, dw, pre, a, b, c, d, eta *float32, n int, p float32) uint32

//go:noescape
func scaleAVX2(w *float32, n int, s float32)
