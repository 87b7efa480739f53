//go:build !purego

#include "textflag.h"

// REDUCE sums the 8 lanes of Y as ((l0+l4)+(l2+l6)) + ((l1+l5)+(l3+l7))
// into the low lane of X, the order dot8 uses.
#define REDUCE(Y, X, T, XT) \
	VEXTRACTF128 $1, Y, XT \
	VADDPS       XT, X, X  \
	VPERMILPS    $0x4e, X, XT \
	VADDPS       XT, X, X  \
	VPERMILPS    $0xb1, X, XT \
	VADDPS       XT, X, X

// func dotRowsAVX2(w, x, y *float32, rows, n8, stride int)
//
// y[r] = Σ_{i<n8} w[r·stride+i]·x[i] for r < rows, each row in 8 lanes
// (lane k sums i ≡ k mod 8 in order, separate multiply and add) reduced as
// REDUCE does: bit-identical to dot8 on the first n8 elements. Rows go
// four at a time so that x is loaded once for four dependency chains.
TEXT ·dotRowsAVX2(SB), NOSPLIT, $0-48
	MOVQ w+0(FP), SI
	MOVQ x+8(FP), DX
	MOVQ y+16(FP), DI
	MOVQ rows+24(FP), R8
	MOVQ n8+32(FP), R9
	MOVQ stride+40(FP), R10
	SHLQ $2, R10              // row stride in bytes

four:
	CMPQ R8, $4
	JLT  one
	LEAQ (SI)(R10*1), R11     // row 1
	LEAQ (R11)(R10*1), R12    // row 2
	LEAQ (R12)(R10*1), R13    // row 3
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	XORQ BX, BX

fourloop:
	VMOVUPS (DX)(BX*4), Y4
	VMULPS  (SI)(BX*4), Y4, Y5
	VADDPS  Y5, Y0, Y0
	VMULPS  (R11)(BX*4), Y4, Y6
	VADDPS  Y6, Y1, Y1
	VMULPS  (R12)(BX*4), Y4, Y7
	VADDPS  Y7, Y2, Y2
	VMULPS  (R13)(BX*4), Y4, Y8
	VADDPS  Y8, Y3, Y3
	ADDQ    $8, BX
	CMPQ    BX, R9
	JLT     fourloop

	REDUCE(Y0, X0, Y9, X9)
	VMOVSS X0, (DI)
	REDUCE(Y1, X1, Y9, X9)
	VMOVSS X1, 4(DI)
	REDUCE(Y2, X2, Y9, X9)
	VMOVSS X2, 8(DI)
	REDUCE(Y3, X3, Y9, X9)
	VMOVSS X3, 12(DI)
	ADDQ   $16, DI
	LEAQ   (R13)(R10*1), SI
	SUBQ   $4, R8
	JMP    four

one:
	TESTQ R8, R8
	JZ    done
	VXORPS Y0, Y0, Y0
	XORQ   BX, BX

oneloop:
	VMOVUPS (DX)(BX*4), Y4
	VMULPS  (SI)(BX*4), Y4, Y5
	VADDPS  Y5, Y0, Y0
	ADDQ    $8, BX
	CMPQ    BX, R9
	JLT     oneloop

	REDUCE(Y0, X0, Y9, X9)
	VMOVSS X0, (DI)
	ADDQ   $4, DI
	ADDQ   R10, SI
	DECQ   R8
	JMP    one

done:
	VZEROUPPER
	RET
