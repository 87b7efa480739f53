package physics

// Sign returns -1, 0 or +1 with the sign of x (0 for 0 and NaN), as Gym's
// np.sign does for the motor and tyre models both bodies copy.
func Sign(x float64) float64 {
	switch {
	case x > 0:
		return 1
	case x < 0:
		return -1
	}
	return 0
}
