// Package brain holds hebbsim's networks: feed-forward networks without
// biases whose weights start random at every episode and change by an
// evolved Hebbian rule (Najarro & Risi 2020, arXiv 2007.02686), the racer
// CNN in front of them, and rule files.
//
// Work in progress: see the end of this comment for measurements once
// they are in.
package brain
