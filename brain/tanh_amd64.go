//go:build !purego

package brain

//go:noescape
func tanhAVX2(x *float32, n int, c *uint32)
