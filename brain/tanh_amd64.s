//go:build !purego

#include "textflag.h"

// func tanhAVX2(x *float32, n int, c *uint32)
//
// x[i] = tanh32(x[i]) for i < n (n a positive multiple of 8), 8 at a time,
// with tanh32's operations in tanh32's order; c holds tanh32's constants
// (tanhConsts). MINPS/MAXPS return their second operand for NaN, so the
// clamp passes NaN through, and the blend returns x where |x| < 0.0004 or
// x is NaN, as tanh32 does.
TEXT ·tanhAVX2(SB), NOSPLIT, $0-24
	MOVQ x+0(FP), DI
	MOVQ n+8(FP), CX
	MOVQ c+16(FP), SI
	VBROADCASTSS 0(SI), Y15  // clamp
	VBROADCASTSS 4(SI), Y14  // -clamp
	VBROADCASTSS 8(SI), Y13  // 0.0004
	VBROADCASTSS 12(SI), Y12 // 0x7fffffff
	XORQ BX, BX

loop:
	VMOVUPS (DI)(BX*4), Y0
	VMINPS  Y0, Y15, Y1           // min(clamp, x)
	VMAXPS  Y1, Y14, Y1           // max(-clamp, ·)
	VANDPS  Y12, Y1, Y2           // |x|
	VCMPPS  $1, Y13, Y2, Y3       // |x| < 0.0004
	VCMPPS  $3, Y1, Y1, Y4        // x is NaN
	VORPS   Y4, Y3, Y3
	VMULPS  Y1, Y1, Y2            // x2
	VBROADCASTSS 16(SI), Y5       // p = a13
	VMULPS  Y2, Y5, Y5
	VBROADCASTSS 20(SI), Y6
	VADDPS  Y6, Y5, Y5            // + a11
	VMULPS  Y2, Y5, Y5
	VBROADCASTSS 24(SI), Y6
	VADDPS  Y6, Y5, Y5            // + a9
	VMULPS  Y2, Y5, Y5
	VBROADCASTSS 28(SI), Y6
	VADDPS  Y6, Y5, Y5            // + a7
	VMULPS  Y2, Y5, Y5
	VBROADCASTSS 32(SI), Y6
	VADDPS  Y6, Y5, Y5            // + a5
	VMULPS  Y2, Y5, Y5
	VBROADCASTSS 36(SI), Y6
	VADDPS  Y6, Y5, Y5            // + a3
	VMULPS  Y2, Y5, Y5
	VBROADCASTSS 40(SI), Y6
	VADDPS  Y6, Y5, Y5            // + a1
	VMULPS  Y1, Y5, Y5            // p *= x
	VBROADCASTSS 44(SI), Y6       // q = b6
	VMULPS  Y2, Y6, Y6
	VBROADCASTSS 48(SI), Y7
	VADDPS  Y7, Y6, Y6            // + b4
	VMULPS  Y2, Y6, Y6
	VBROADCASTSS 52(SI), Y7
	VADDPS  Y7, Y6, Y6            // + b2
	VMULPS  Y2, Y6, Y6
	VBROADCASTSS 56(SI), Y7
	VADDPS  Y7, Y6, Y6            // + b0
	VDIVPS  Y6, Y5, Y5            // p / q
	VBLENDVPS Y3, Y1, Y5, Y5      // x where small or NaN
	VMOVUPS Y5, (DI)(BX*4)
	ADDQ    $8, BX
	CMPQ    BX, CX
	JLT     loop
	VZEROUPPER
	RET
