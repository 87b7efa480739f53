package brain

// A small, strict reader and writer for the subset of NumPy's .npy/.npz
// formats that rule files and traces use: little-endian float32 ('<f4')
// and uint8 ('|u1') arrays in C order, in an uncompressed or deflated zip.
// Format: https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html
//
// It is written here rather than taken from codeberg.org/sbinet/npyio
// because the loader must never panic and must reject absurd shapes before
// allocating: npyio v0.14's header parser slices with unchecked indices
// (a header without '\n' or with keys out of order panics) and sizes its
// buffers from the declared shape. npyio still checks our files in the
// tests (it reads what we write).

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"
)

var npyMagic = []byte("\x93NUMPY")

// npyHeader returns the .npy preamble for an array of the given dtype and
// shape, padded so the data starts at a multiple of 64 bytes.
func npyHeader(descr string, shape []int) []byte {
	var sb strings.Builder
	sb.WriteString("{'descr': '")
	sb.WriteString(descr)
	sb.WriteString("', 'fortran_order': False, 'shape': (")
	for i, s := range shape {
		if i > 0 {
			sb.WriteString(", ")
		}
		sb.WriteString(strconv.Itoa(s))
	}
	if len(shape) == 1 {
		sb.WriteString(",")
	}
	sb.WriteString("), }")
	dict := sb.String()
	// magic(6) + version(2) + length(2) + dict + padding + '\n'
	total := 10 + len(dict) + 1
	pad := (64 - total%64) % 64
	hdr := make([]byte, 0, total+pad)
	hdr = append(hdr, npyMagic...)
	hdr = append(hdr, 1, 0)
	hdr = binary.LittleEndian.AppendUint16(hdr, uint16(len(dict)+pad+1))
	hdr = append(hdr, dict...)
	hdr = append(hdr, bytes.Repeat([]byte{' '}, pad)...)
	return append(hdr, '\n')
}

// npzWriter writes named arrays into a zip archive numpy.load opens.
type npzWriter struct {
	z   *zip.Writer
	buf []byte
}

func newNPZWriter(w io.Writer) *npzWriter { return &npzWriter{z: zip.NewWriter(w)} }

func (nw *npzWriter) entry(name string) (io.Writer, error) {
	// Stored, not deflated: float weights barely compress, and traces are
	// large enough that deflate time would show.
	return nw.z.CreateHeader(&zip.FileHeader{Name: name + ".npy", Method: zip.Store})
}

func (nw *npzWriter) float32s(name string, shape []int, data []float32) error {
	if numel(shape) != len(data) {
		panic(fmt.Sprintf("brain: npz %s: shape %v does not hold %d values", name, shape, len(data)))
	}
	w, err := nw.entry(name)
	if err != nil {
		return err
	}
	if _, err := w.Write(npyHeader("<f4", shape)); err != nil {
		return err
	}
	const chunk = 1 << 14
	if cap(nw.buf) < 4*chunk {
		nw.buf = make([]byte, 4*chunk)
	}
	for len(data) > 0 {
		n := min(len(data), chunk)
		b := nw.buf[:4*n]
		for i, v := range data[:n] {
			binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(v))
		}
		if _, err := w.Write(b); err != nil {
			return err
		}
		data = data[n:]
	}
	return nil
}

func (nw *npzWriter) bytes(name string, data []byte) error {
	w, err := nw.entry(name)
	if err != nil {
		return err
	}
	if _, err := w.Write(npyHeader("|u1", []int{len(data)})); err != nil {
		return err
	}
	_, err = w.Write(data)
	return err
}

func (nw *npzWriter) Close() error { return nw.z.Close() }

func numel(shape []int) int {
	n := 1
	for _, s := range shape {
		n *= s
	}
	return n
}

// npzReader reads arrays out of a zip archive held in memory, checking
// shapes before it allocates.
type npzReader struct {
	files map[string]*zip.File // by array name (".npy" stripped)
}

// Limits on what the reader accepts before looking inside.
const (
	maxEntries   = 256
	maxHeaderLen = 1 << 16
)

func newNPZReader(data []byte) (*npzReader, error) {
	z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, fmt.Errorf("not an .npz (zip) archive: %v", err)
	}
	if len(z.File) > maxEntries {
		return nil, fmt.Errorf("archive has %d entries, more than %d", len(z.File), maxEntries)
	}
	r := &npzReader{files: map[string]*zip.File{}}
	for _, f := range z.File {
		name, ok := strings.CutSuffix(f.Name, ".npy")
		if !ok {
			return nil, fmt.Errorf("archive entry %q is not a .npy array", f.Name)
		}
		if _, dup := r.files[name]; dup {
			return nil, fmt.Errorf("archive holds array %q twice", name)
		}
		r.files[name] = f
	}
	return r, nil
}

func (r *npzReader) has(name string) bool { _, ok := r.files[name]; return ok }

func (r *npzReader) names() []string {
	out := make([]string, 0, len(r.files))
	for n := range r.files {
		out = append(out, n)
	}
	return out
}

var (
	reDescr   = regexp.MustCompile(`'descr'\s*:\s*'([^']*)'`)
	reFortran = regexp.MustCompile(`'fortran_order'\s*:\s*(True|False)`)
	reShape   = regexp.MustCompile(`'shape'\s*:\s*\(([^)]*)\)`)
)

// read returns the raw little-endian data of array name, which must have
// dtype descr and exactly the shape want (nil want: any 1-D shape up to
// maxLen elements).
func (r *npzReader) read(name, descr string, want []int, maxLen int) ([]byte, []int, error) {
	f, ok := r.files[name]
	if !ok {
		return nil, nil, fmt.Errorf("array %q is missing", name)
	}
	item := 4
	if descr == "|u1" {
		item = 1
	}
	if want != nil {
		maxLen = numel(want)
	}
	limit := uint64(10+maxHeaderLen) + uint64(maxLen)*uint64(item)
	if f.UncompressedSize64 > limit {
		return nil, nil, fmt.Errorf("array %q declares %d bytes, more than the %d its shape allows", name, f.UncompressedSize64, limit)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, nil, fmt.Errorf("array %q: %v", name, err)
	}
	defer rc.Close()
	// Read to EOF (one byte past the limit) so that the zip CRC is checked.
	raw, err := io.ReadAll(io.LimitReader(rc, int64(limit)+1))
	if err != nil {
		return nil, nil, fmt.Errorf("array %q is damaged: %v", name, err)
	}
	if uint64(len(raw)) > limit {
		return nil, nil, fmt.Errorf("array %q is larger than its shape allows", name)
	}
	if len(raw) < 10 || !bytes.Equal(raw[:6], npyMagic) {
		return nil, nil, fmt.Errorf("array %q is not a .npy array (bad magic)", name)
	}
	var hlen, off int
	switch raw[6] {
	case 1:
		hlen, off = int(binary.LittleEndian.Uint16(raw[8:10])), 10
	case 2, 3:
		if len(raw) < 12 {
			return nil, nil, fmt.Errorf("array %q: truncated header", name)
		}
		h := binary.LittleEndian.Uint32(raw[8:12])
		if h > maxHeaderLen {
			return nil, nil, fmt.Errorf("array %q: header of %d bytes is too long", name, h)
		}
		hlen, off = int(h), 12
	default:
		return nil, nil, fmt.Errorf("array %q: unsupported .npy version %d.%d", name, raw[6], raw[7])
	}
	if off+hlen > len(raw) {
		return nil, nil, fmt.Errorf("array %q: truncated header", name)
	}
	hdr := string(raw[off : off+hlen])
	body := raw[off+hlen:]
	m := reDescr.FindStringSubmatch(hdr)
	if m == nil {
		return nil, nil, fmt.Errorf("array %q: header has no dtype", name)
	}
	if got := m[1]; got != descr && !(descr == "|u1" && got == "<u1") {
		return nil, nil, fmt.Errorf("array %q has dtype %s, want %s", name, got, descr)
	}
	m = reFortran.FindStringSubmatch(hdr)
	if m == nil || m[1] != "False" {
		return nil, nil, fmt.Errorf("array %q is not in C order", name)
	}
	m = reShape.FindStringSubmatch(hdr)
	if m == nil {
		return nil, nil, fmt.Errorf("array %q: header has no shape", name)
	}
	var shape []int
	for tok := range strings.SplitSeq(m[1], ",") {
		tok = strings.TrimSpace(tok)
		if tok == "" {
			continue
		}
		v, err := strconv.Atoi(tok)
		if err != nil || v < 0 || v > MaxSynapses*8 {
			return nil, nil, fmt.Errorf("array %q: bad dimension %q in shape", name, tok)
		}
		if len(shape) == 8 {
			return nil, nil, fmt.Errorf("array %q has more than 8 dimensions", name)
		}
		shape = append(shape, v)
	}
	if want != nil {
		if !equalInts(shape, want) {
			return nil, nil, fmt.Errorf("array %q has shape %s, want %s", name, shapeStr(shape), shapeStr(want))
		}
	} else if len(shape) != 1 || shape[0] > maxLen {
		return nil, nil, fmt.Errorf("array %q has shape %s, want a 1-D array of at most %d values", name, shapeStr(shape), maxLen)
	}
	n := numel(shape) * item
	if len(body) < n {
		return nil, nil, fmt.Errorf("array %q is truncated: %d of %d data bytes", name, len(body), n)
	}
	if len(body) > n {
		return nil, nil, fmt.Errorf("array %q has %d bytes after its data", name, len(body)-n)
	}
	return body, shape, nil
}

// float32s reads a '<f4' array of exactly shape want, rejecting NaN and Inf.
func (r *npzReader) float32s(name string, want []int) ([]float32, error) {
	body, _, err := r.read(name, "<f4", want, 0)
	if err != nil {
		return nil, err
	}
	out := make([]float32, len(body)/4)
	for i := range out {
		v := math.Float32frombits(binary.LittleEndian.Uint32(body[4*i:]))
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			return nil, fmt.Errorf("array %q holds %v at flat index %d", name, v, i)
		}
		out[i] = v
	}
	return out, nil
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func shapeStr(s []int) string {
	parts := make([]string, len(s))
	for i, v := range s {
		parts[i] = strconv.Itoa(v)
	}
	if len(s) == 1 {
		return "(" + parts[0] + ",)"
	}
	return "(" + strings.Join(parts, ", ") + ")"
}
