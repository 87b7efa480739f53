//go:build !purego

#include "textflag.h"

// func patchMax8AVX2(x, k, out *float32, rows, rowLen, rowStride, colStep, rowStep int)
//
// For the four positions q = (dy, dx) of a 2×2 pooling window, with input
// offsets oq = dy·rowStep + dx·colStep, computes the 8-channel sums
//   acc_q = Σ_r Σ_t x[oq + r·rowStride + t] · k[(r·rowLen + t)·8 : +8]
// in (r, t) order, then writes max_q acc_q to out[0:8]. Separate multiply
// and add (no FMA): bit-identical to patchMax8Go.
TEXT ·patchMax8AVX2(SB), NOSPLIT, $0-64
	MOVQ x+0(FP), SI
	MOVQ k+8(FP), DX
	MOVQ rows+24(FP), R8
	MOVQ rowLen+32(FP), R9
	MOVQ rowStride+40(FP), R10
	MOVQ colStep+48(FP), R11
	MOVQ rowStep+56(FP), R12
	SHLQ $2, R10
	SHLQ $2, R11
	SHLQ $2, R12
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	// Row pointers for the four positions: AX (0,0), BX (0,1), CX (1,0), DI (1,1).
	MOVQ SI, AX
	LEAQ (SI)(R11*1), BX
	LEAQ (SI)(R12*1), CX
	LEAQ (CX)(R11*1), DI

rowloop:
	XORQ R13, R13

tloop:
	VMOVUPS      (DX), Y4
	VBROADCASTSS (AX)(R13*4), Y5
	VMULPS       Y4, Y5, Y5
	VADDPS       Y5, Y0, Y0
	VBROADCASTSS (BX)(R13*4), Y6
	VMULPS       Y4, Y6, Y6
	VADDPS       Y6, Y1, Y1
	VBROADCASTSS (CX)(R13*4), Y7
	VMULPS       Y4, Y7, Y7
	VADDPS       Y7, Y2, Y2
	VBROADCASTSS (DI)(R13*4), Y8
	VMULPS       Y4, Y8, Y8
	VADDPS       Y8, Y3, Y3
	ADDQ         $32, DX
	INCQ         R13
	CMPQ         R13, R9
	JLT          tloop

	ADDQ R10, AX
	ADDQ R10, BX
	ADDQ R10, CX
	ADDQ R10, DI
	DECQ R8
	JNZ  rowloop

	VMAXPS  Y1, Y0, Y0
	VMAXPS  Y3, Y2, Y2
	VMAXPS  Y2, Y0, Y0
	MOVQ    out+16(FP), AX
	VMOVUPS Y0, (AX)
	VZEROUPPER
	RET
