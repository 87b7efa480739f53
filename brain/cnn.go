package brain

// Pixel observation layout, fixed across the project: float32 in [0, 1],
// PixelH×PixelW×PixelC, HWC: index (y*PixelW+x)*PixelC+c, y = 0 is the top
// row, c = 0 red.
const (
	PixelW       = 84
	PixelH       = 84
	PixelC       = 3
	PixelObsSize = PixelW * PixelH * PixelC // 21,168
)

// The reference racer CNN (DESIGN.md §1): conv 6×3×3 stride 1 → 82×82×6,
// maxpool 2 → 41×41×6, tanh → conv 8×5×5 stride 2 → 19×19×8 (floor(36/2)+1),
// maxpool 2 (floor) → 9×9×8, tanh → 648 features. No biases.
const (
	conv0Out, conv0K          = 6, 3
	conv0H                    = PixelH - conv0K + 1 // 82
	pool0H                    = conv0H / 2          // 41
	conv1Out, conv1K, conv1St = 8, 5, 2
	conv1H                    = (pool0H-conv1K)/conv1St + 1           // 19
	pool1H                    = conv1H / 2                            // 9
	cnnW0                     = conv0Out * PixelC * conv0K * conv0K   // 162
	cnnW1                     = conv1Out * conv0Out * conv1K * conv1K // 1,200

	// CNNFeatures is the length of the CNN's output (the first dense
	// layer's input): 8·9·9.
	CNNFeatures = conv1Out * pool1H * pool1H
	// CNNParams is the number of evolved conv weights: 162 + 1,200.
	CNNParams = cnnW0 + cnnW1
)

// Conv weight shapes in the genome and in rule files (PyTorch's OIHW
// order: out channel, in channel, kernel row, kernel column).
var (
	Conv0Shape = []int{conv0Out, PixelC, conv0K, conv0K}
	Conv1Shape = []int{conv1Out, conv0Out, conv1K, conv1K}
)

// cnn holds the conv weights in file layout (w0, w1) and re-ordered for the
// forward loops (k0, k1), with the out channels padded to 8 lanes: k0 is
// [kernel row][kernel column][in channel][8 out], k1 is [kernel row][kernel
// column][8 in (6 used)][8 out]. Each input value is broadcast and
// multiplied by 8 contiguous out-channel weights, one AVX2 register.
type cnn struct {
	w0 [cnnW0]float32
	w1 [cnnW1]float32
	k0 [conv0K * conv0K * PixelC * 8]float32
	k1 [conv1K * conv1K * 8 * 8]float32
	p0 [pool0H * pool0H * 8]float32 // after pool 0 and tanh, HWC, 8 channels (6 used)
	m  [8]float32
}

func newCNN() *cnn { return &cnn{} }

func (c *cnn) setWeights(w0, w1 []float32) {
	copy(c.w0[:], w0)
	copy(c.w1[:], w1)
	for o := 0; o < conv0Out; o++ {
		for ch := 0; ch < PixelC; ch++ {
			for ky := 0; ky < conv0K; ky++ {
				for kx := 0; kx < conv0K; kx++ {
					c.k0[((ky*conv0K+kx)*PixelC+ch)*8+o] = w0[((o*PixelC+ch)*conv0K+ky)*conv0K+kx]
				}
			}
		}
	}
	for o := 0; o < conv1Out; o++ {
		for ch := 0; ch < conv0Out; ch++ {
			for ky := 0; ky < conv1K; ky++ {
				for kx := 0; kx < conv1K; kx++ {
					c.k1[((ky*conv1K+kx)*8+ch)*8+o] = w1[((o*conv0Out+ch)*conv1K+ky)*conv1K+kx]
				}
			}
		}
	}
}

// forward writes the CNNFeatures features of the pixel observation obs
// into feat, in PyTorch's flatten order (channel, row, column):
// feat[o*81 + y*9 + x]. Max-pooling runs before tanh, which gives the same
// result because tanh is increasing, with a quarter of the tanh calls; the
// second conv computes only the 18×18 outputs the floor pool reads.
func (c *cnn) forward(obs, feat []float32) {
	obs = obs[:PixelObsSize]
	feat = feat[:CNNFeatures]
	patch := patchMax8Go
	if useAVX2 {
		patch = patchMax8
	}
	const row0 = PixelW * PixelC
	for py := 0; py < pool0H; py++ {
		for px := 0; px < pool0H; px++ {
			x := obs[(2*py*PixelW+2*px)*PixelC:]
			patch(x, c.k0[:], c.p0[(py*pool0H+px)*8:][:8], conv0K, conv0K*PixelC, row0, PixelC, row0)
		}
	}
	tanhInPlace(c.p0[:]) // the two unused lanes are 0 and stay 0
	const row1 = pool0H * 8
	for py := 0; py < pool1H; py++ {
		for px := 0; px < pool1H; px++ {
			x := c.p0[(2*conv1St*py*pool0H+2*conv1St*px)*8:]
			patch(x, c.k1[:], c.m[:], conv1K, conv1K*8, row1, conv1St*8, conv1St*row1)
			for o := 0; o < conv1Out; o++ {
				feat[(o*pool1H+py)*pool1H+px] = c.m[o]
			}
		}
	}
	tanhInPlace(feat)
}

func patchMax8(x, k, out []float32, rows, rowLen, rowStride, colStep, rowStep int) {
	// The furthest input read, checked here because the kernel cannot.
	_ = x[rowStep+colStep+(rows-1)*rowStride+rowLen-1]
	_ = k[rows*rowLen*8-1]
	_ = out[7]
	patchMax8AVX2(&x[0], &k[0], &out[0], rows, rowLen, rowStride, colStep, rowStep)
}

// patchMax8Go is the portable patchMax8AVX2: the 8-channel conv sums at the
// four positions of a 2×2 pool window (offsets 0, colStep, rowStep,
// rowStep+colStep), accumulated in (row, t) order, and their max.
func patchMax8Go(x, k, out []float32, rows, rowLen, rowStride, colStep, rowStep int) {
	var acc [4][8]float32
	offs := [4]int{0, colStep, rowStep, rowStep + colStep}
	k = k[:rows*rowLen*8]
	for q, o := range offs {
		// Eight locals stay in registers; an array would live in memory.
		var a0, a1, a2, a3, a4, a5, a6, a7 float32
		kk := k
		for r := 0; r < rows; r++ {
			row := x[o+r*rowStride:][:rowLen]
			for _, v := range row {
				kv := kk[:8:8]
				a0 += float32(v * kv[0])
				a1 += float32(v * kv[1])
				a2 += float32(v * kv[2])
				a3 += float32(v * kv[3])
				a4 += float32(v * kv[4])
				a5 += float32(v * kv[5])
				a6 += float32(v * kv[6])
				a7 += float32(v * kv[7])
				kk = kk[8:]
			}
		}
		acc[q] = [8]float32{a0, a1, a2, a3, a4, a5, a6, a7}
	}
	out = out[:8]
	for o := range out {
		out[o] = maxps(maxps(acc[0][o], acc[1][o]), maxps(acc[2][o], acc[3][o]))
	}
}

// maxps is x86's MAXPS on one lane: a if a > b, else b (so ties and NaN
// give b), which keeps the Go and AVX2 paths bit-identical.
func maxps(a, b float32) float32 {
	if a > b {
		return a
	}
	return b
}
