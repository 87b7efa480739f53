package dist

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// selfSigned writes a certificate for 127.0.0.1 and its key; the
// certificate is its own CA.
func selfSigned(t *testing.T) (cert, key string) {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "hebb test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, IsCA: true, BasicConstraintsValid: true,
		KeyUsage:    x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &k.PublicKey, k)
	if err != nil {
		t.Fatal(err)
	}
	kb, _ := x509.MarshalECPrivateKey(k)
	dir := t.TempDir()
	cert, key = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	os.WriteFile(cert, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	os.WriteFile(key, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb}), 0o600)
	return cert, key
}

func TestTLS(t *testing.T) {
	cert, key := selfSigned(t)
	srv, err := Serve("127.0.0.1:0", Security{Token: "tok", CertFile: cert, KeyFile: key})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	if !strings.HasPrefix(srv.URL(), "tls://") {
		t.Errorf("URL %s: want tls://", srv.URL())
	}
	nc, err := Dial(srv.URL(), "w", Security{Token: "tok", CAFile: cert}, false)
	if err != nil {
		t.Fatalf("with the CA: %v", err)
	}
	nc.Close()
	// The coordinator's own in-process connection.
	nc, err = srv.Connect("coordinator")
	if err != nil {
		t.Fatalf("in-process connection to a TLS server: %v", err)
	}
	if _, err := NewCoordinator(nc, Options{Cfg: tinyConfig()}); err != nil {
		t.Fatalf("coordinator over TLS: %v", err)
	}
	nc.Close()
	if _, err := Dial(srv.URL(), "w", Security{Token: "tok"}, false); err == nil {
		t.Error("a client that does not trust the certificate connected")
	}
	if _, err := Dial(strings.Replace(srv.URL(), "tls://", "nats://", 1), "w", Security{Token: "tok"}, false); err == nil {
		t.Error("a plain-text client connected to a TLS server")
	}
	if _, err := Serve("127.0.0.1:0", Security{CertFile: cert}); err == nil {
		t.Error("a certificate without its key was accepted")
	}
}
