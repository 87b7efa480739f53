//go:build !purego

package brain

//go:generate python3 update_amd64_gen.py

import "golang.org/x/sys/cpu"

// useAVX2 selects the AVX2 kernels. They give bit-identical results to the
// Go loops (no FMA), so the choice never changes a trajectory.
var useAVX2 = cpu.X86.HasAVX2

// The update kernels of update_amd64.s, one per rule.
//
//go:noescape
func updAAVX2(w, dw, pre, a, b, c, d, eta, dout *float32, n int, p float32) uint32

//go:noescape
func updADAVX2(w, dw, pre, a, b, c, d, eta, dout *float32, n int, p float32) uint32

//go:noescape
func updADlrAVX2(w, dw, pre, a, b, c, d, eta, dout *float32, n int, p float32) uint32

//go:noescape
func updABCAVX2(w, dw, pre, a, b, c, d, eta, dout *float32, n int, p float32) uint32

//go:noescape
func updABClrAVX2(w, dw, pre, a, b, c, d, eta, dout *float32, n int, p float32) uint32

//go:noescape
func updABCDAVX2(w, dw, pre, a, b, c, d, eta, dout *float32, n int, p float32) uint32

//go:noescape
func updABCDlrAVX2(w, dw, pre, a, b, c, d, eta, dout *float32, n int, p float32) uint32

//go:noescape
func updABCDlrDoutAVX2(w, dw, pre, a, b, c, d, eta, dout *float32, n int, p float32) uint32

//go:noescape
func updABCDlrDinoutAVX2(w, dw, pre, a, b, c, d, eta, dout *float32, n int, p float32) uint32

//go:noescape
func scaleAVX2(w *float32, n int, s float32)

type avxKernel func(w, dw, pre, a, b, c, d, eta, dout *float32, n int, p float32) uint32

var avxKernels = [...]avxKernel{
	kindA:            updAAVX2,
	kindAD:           updADAVX2,
	kindADlr:         updADlrAVX2,
	kindABC:          updABCAVX2,
	kindABClr:        updABClrAVX2,
	kindABCD:         updABCDAVX2,
	kindABCDlr:       updABCDlrAVX2,
	kindABCDlrDout:   updABCDlrDoutAVX2,
	kindABCDlrDinout: updABCDlrDinoutAVX2,
}
