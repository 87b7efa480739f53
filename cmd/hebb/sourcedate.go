package main

import (
	"os"
	"strconv"
	"time"
)

// provenanceDate is the date recorded in the rule files a run writes: now,
// or SOURCE_DATE_EPOCH (seconds since 1970, the reproducible-builds
// convention) when set, so that two runs can be compared byte for byte.
func provenanceDate() string {
	if s := os.Getenv("SOURCE_DATE_EPOCH"); s != "" {
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			return time.Unix(n, 0).UTC().Format(time.RFC3339)
		}
	}
	return time.Now().UTC().Format(time.RFC3339)
}
