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
// forward loops (k0, k1: kernel row, kernel column, in channel, out
// channel), so that each input value multiplies a contiguous run of
// out-channel weights held in registers.
type cnn struct {
	w0 [cnnW0]float32
	w1 [cnnW1]float32
	k0 [cnnW0]float32
	k1 [cnnW1]float32
	p0 [pool0H * pool0H * conv0Out]float32 // after pool 0 and tanh, HWC
}

func newCNN() *cnn { return &cnn{} }

func (c *cnn) setWeights(w0, w1 []float32) {
	copy(c.w0[:], w0)
	copy(c.w1[:], w1)
	for o := 0; o < conv0Out; o++ {
		for ch := 0; ch < PixelC; ch++ {
			for ky := 0; ky < conv0K; ky++ {
				for kx := 0; kx < conv0K; kx++ {
					c.k0[((ky*conv0K+kx)*PixelC+ch)*conv0Out+o] = w0[((o*PixelC+ch)*conv0K+ky)*conv0K+kx]
				}
			}
		}
	}
	for o := 0; o < conv1Out; o++ {
		for ch := 0; ch < conv0Out; ch++ {
			for ky := 0; ky < conv1K; ky++ {
				for kx := 0; kx < conv1K; kx++ {
					c.k1[((ky*conv1K+kx)*conv0Out+ch)*conv1Out+o] = w1[((o*conv0Out+ch)*conv1K+ky)*conv1K+kx]
				}
			}
		}
	}
}

// forward writes the CNNFeatures features of the pixel observation obs
// into feat, in PyTorch's flatten order (channel, row, column):
// feat[o*81 + y*9 + x]. Max-pooling runs before tanh, which is the same
// because tanh is increasing, and costs a quarter of the tanh calls.
func (c *cnn) forward(obs, feat []float32) {
	obs = obs[:PixelObsSize]
	feat = feat[:CNNFeatures]
	// Conv 0 + pool 0 + tanh.
	for py := 0; py < pool0H; py++ {
		for px := 0; px < pool0H; px++ {
			var m [conv0Out]float32
			for q := 0; q < 4; q++ {
				a := c.conv0At(obs, 2*py+q>>1, 2*px+q&1)
				if q == 0 {
					m = a
					continue
				}
				for o := range m {
					m[o] = max32(m[o], a[o])
				}
			}
			dst := c.p0[(py*pool0H+px)*conv0Out:][:conv0Out]
			for o := range dst {
				dst[o] = tanh32(m[o])
			}
		}
	}
	// Conv 1 (only the 18×18 outputs the floor pool reads) + pool 1 + tanh.
	for py := 0; py < pool1H; py++ {
		for px := 0; px < pool1H; px++ {
			var m [conv1Out]float32
			for q := 0; q < 4; q++ {
				a := c.conv1At(2*py+q>>1, 2*px+q&1)
				if q == 0 {
					m = a
					continue
				}
				for o := range m {
					m[o] = max32(m[o], a[o])
				}
			}
			for o := range m {
				feat[(o*pool1H+py)*pool1H+px] = tanh32(m[o])
			}
		}
	}
}

// max32 is max for finite floats without the NaN and -0 handling of the
// builtin.
func max32(a, b float32) float32 {
	if b > a {
		return b
	}
	return a
}

// conv0At is the 6-channel conv 0 output at (y, x): each row of the 3×3
// patch is 9 contiguous floats in HWC.
func (c *cnn) conv0At(obs []float32, y, x int) [conv0Out]float32 {
	var a0, a1, a2, a3, a4, a5 float32
	for ky := 0; ky < conv0K; ky++ {
		row := obs[((y+ky)*PixelW+x)*PixelC:][:conv0K*PixelC]
		kk := c.k0[ky*conv0K*PixelC*conv0Out:][:conv0K*PixelC*conv0Out]
		for t, v := range row {
			k := kk[t*conv0Out:][:conv0Out]
			a0 += v * k[0]
			a1 += v * k[1]
			a2 += v * k[2]
			a3 += v * k[3]
			a4 += v * k[4]
			a5 += v * k[5]
		}
	}
	return [conv0Out]float32{a0, a1, a2, a3, a4, a5}
}

// conv1At is the 8-channel conv 1 output at (y, x) (stride 2): each row of
// the 5×5 patch is 30 contiguous floats of p0.
func (c *cnn) conv1At(y, x int) [conv1Out]float32 {
	var a0, a1, a2, a3, a4, a5, a6, a7 float32
	for ky := 0; ky < conv1K; ky++ {
		row := c.p0[((conv1St*y+ky)*pool0H+conv1St*x)*conv0Out:][:conv1K*conv0Out]
		kk := c.k1[ky*conv1K*conv0Out*conv1Out:][:conv1K*conv0Out*conv1Out]
		for t, v := range row {
			k := kk[t*conv1Out:][:conv1Out]
			a0 += v * k[0]
			a1 += v * k[1]
			a2 += v * k[2]
			a3 += v * k[3]
			a4 += v * k[4]
			a5 += v * k[5]
			a6 += v * k[6]
			a7 += v * k[7]
		}
	}
	return [conv1Out]float32{a0, a1, a2, a3, a4, a5, a6, a7}
}
