//go:build !purego

#include "textflag.h"

// func updABCDlrAVX2(w, dw, pre, a, b, c, d, eta *float32, n int, p float32) uint32
//
// n must be a positive multiple of 8. Same operations, in the same order,
// as updABCDlr (separate multiply and add, no FMA), so the results are
// bit-identical to the Go loop.
TEXT ·updABCDlrAVX2(SB), NOSPLIT, $0-84
	MOVQ w+0(FP), DI
	MOVQ dw+8(FP), SI
	MOVQ pre+16(FP), R8
	MOVQ a+24(FP), R9
	MOVQ b+32(FP), R10
	MOVQ c+40(FP), R11
	MOVQ d+48(FP), R12
	MOVQ eta+56(FP), R13
	MOVQ n+64(FP), CX
	VBROADCASTSS p+72(FP), Y0
	MOVL $0x7fffffff, AX
	VMOVD AX, X1
	VPBROADCASTD X1, Y1
	VPXOR Y2, Y2, Y2
	XORQ BX, BX

loop:
	VMOVUPS (R9)(BX*4), Y3
	VMULPS  Y0, Y3, Y3
	VADDPS  (R10)(BX*4), Y3, Y3
	VMULPS  (R8)(BX*4), Y3, Y3
	VMOVUPS (R11)(BX*4), Y4
	VMULPS  Y0, Y4, Y4
	VADDPS  Y4, Y3, Y3
	VADDPS  (R12)(BX*4), Y3, Y3
	VMULPS  (R13)(BX*4), Y3, Y3
	VMOVUPS Y3, (SI)(BX*4)
	VADDPS  (DI)(BX*4), Y3, Y3
	VMOVUPS Y3, (DI)(BX*4)
	VANDPS  Y1, Y3, Y3
	VPMAXUD Y3, Y2, Y2
	ADDQ    $8, BX
	CMPQ    BX, CX
	JLT     loop

	VEXTRACTI128 $1, Y2, X3
	VPMAXUD      X3, X2, X2
	VPSHUFD      $0x4e, X2, X3
	VPMAXUD      X3, X2, X2
	VPSHUFD      $0xb1, X2, X3
	VPMAXUD      X3, X2, X2
	VMOVD        X2, AX
	MOVL         AX, ret+80(FP)
	VZEROUPPER
	RET

// func scaleAVX2(w *float32, n int, s float32)
//
// n must be a positive multiple of 8.
TEXT ·scaleAVX2(SB), NOSPLIT, $0-20
	MOVQ w+0(FP), DI
	MOVQ n+8(FP), CX
	VBROADCASTSS s+16(FP), Y0
	XORQ BX, BX

sloop:
	VMULPS  (DI)(BX*4), Y0, Y1
	VMOVUPS Y1, (DI)(BX*4)
	ADDQ    $8, BX
	CMPQ    BX, CX
	JLT     sloop
	VZEROUPPER
	RET
