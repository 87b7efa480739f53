//go:build !linux

package sim

func setThreadNice(int) {}
