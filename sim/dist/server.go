package dist

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
)

// Security is how a connection to the broker is authenticated and
// encrypted. The zero value is no token and no TLS, which Serve accepts
// only on a loopback address.
type Security struct {
	Token string // shared secret every client must present; "": none
	// TLS: the server's certificate and key (Serve), and the CA that
	// signed the server's certificate (clients; "" trusts the system's
	// roots). With a certificate the server accepts only TLS connections.
	CertFile, KeyFile, CAFile string
}

// Server is an embedded NATS server with JetStream, running inside the
// coordinator's process so that one command needs nothing else installed.
type Server struct {
	ns       *server.Server
	storeDir string
	sec      Security
}

// Serve starts an embedded NATS server with JetStream on addr
// (HOST:PORT; port 0 picks a free one). It refuses a non-loopback
// address without a token: anyone who can reach the port could otherwise
// run code paths of this process and read the run.
func Serve(addr string, sec Security) (*Server, error) {
	host, portStr, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("--serve %q: want HOST:PORT, e.g. 127.0.0.1:4222 or 0.0.0.0:4222 (%v)", addr, err)
	}
	port, err := strconv.Atoi(portStr)
	if err != nil || port < 0 || port > 65535 {
		return nil, fmt.Errorf("--serve %q: the port must be a number in [0, 65535]", addr)
	}
	if !IsLoopback(host) && sec.Token == "" {
		return nil, fmt.Errorf("--serve %s listens beyond this machine: give --token (or HEBB_TOKEN) so that only your workers can join", addr)
	}
	if (sec.CertFile == "") != (sec.KeyFile == "") {
		return nil, errors.New("--tls-cert and --tls-key go together")
	}
	if port == 0 {
		port = server.RANDOM_PORT // nats-server reads 0 as its default, 4222
	}
	dir, err := os.MkdirTemp("", "hebb-nats-*")
	if err != nil {
		return nil, err
	}
	opts := &server.Options{
		Host: host, Port: port,
		JetStream: true, StoreDir: dir,
		NoSigs: true, NoLog: true,
		Authorization: sec.Token,
		// Generations of the pixel racer carry a 3.7 MB θ; the object
		// store chunks it, so the default 1 MB payload is enough.
		MaxPayload: 1 << 20,
	}
	if sec.CertFile != "" {
		tc, err := server.GenTLSConfig(&server.TLSConfigOpts{CertFile: sec.CertFile, KeyFile: sec.KeyFile})
		if err != nil {
			os.RemoveAll(dir)
			return nil, fmt.Errorf("--tls-cert/--tls-key: %v", err)
		}
		opts.TLSConfig, opts.TLS = tc, true
		opts.TLSTimeout = 5
	}
	ns, err := server.NewServer(opts)
	if err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("--serve %s: %v", addr, err)
	}
	go ns.Start()
	if !ns.ReadyForConnections(20 * time.Second) {
		ns.Shutdown()
		os.RemoveAll(dir)
		return nil, fmt.Errorf("--serve %s: the NATS server did not start (is the port taken?)", addr)
	}
	return &Server{ns: ns, storeDir: dir, sec: sec}, nil
}

// IsLoopback reports whether host names only this machine.
func IsLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// URL is the address workers connect to (nats:// or tls://).
func (s *Server) URL() string {
	scheme := "nats"
	if s.sec.CertFile != "" {
		scheme = "tls"
	}
	a := s.ns.Addr().(*net.TCPAddr)
	host := a.IP.String()
	if a.IP.IsUnspecified() {
		if h, err := os.Hostname(); err == nil {
			host = h
		}
	}
	return fmt.Sprintf("%s://%s", scheme, net.JoinHostPort(host, strconv.Itoa(a.Port)))
}

// Connect opens an in-process client connection (no TCP) for the
// coordinator.
func (s *Server) Connect(name string) (*nats.Conn, error) {
	opts := []nats.Option{nats.Name(name), nats.InProcessServer(s.ns)}
	if s.sec.Token != "" {
		opts = append(opts, nats.Token(s.sec.Token))
	}
	return nats.Connect("", opts...)
}

// Bytes is the traffic through the server so far: bytes it received
// from clients and bytes it sent to them.
func (s *Server) Bytes() (in, out int64) {
	v, err := s.ns.Varz(nil)
	if err != nil {
		return 0, 0
	}
	return v.InBytes, v.OutBytes
}

// Close stops the server and removes its store.
func (s *Server) Close() {
	s.ns.Shutdown()
	s.ns.WaitForShutdown()
	os.RemoveAll(s.storeDir)
}

// Dial connects to a broker at url (comma-separated for a cluster) as
// name. A refused token or an unreachable broker is one clear line.
func Dial(url, name string, sec Security, reconnect bool) (*nats.Conn, error) {
	opts := []nats.Option{nats.Name(name), nats.Timeout(5 * time.Second)}
	if sec.Token != "" {
		opts = append(opts, nats.Token(sec.Token))
	}
	if sec.CAFile != "" {
		pem, err := os.ReadFile(sec.CAFile)
		if err != nil {
			return nil, fmt.Errorf("--tls-ca: %v", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("--tls-ca %s holds no PEM certificate", sec.CAFile)
		}
		opts = append(opts, nats.Secure(&tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}))
	}
	if reconnect {
		// A coordinator restarted with --resume within two minutes gets
		// its workers back.
		opts = append(opts, nats.MaxReconnects(120), nats.ReconnectWait(time.Second))
	}
	nc, err := nats.Connect(url, opts...)
	if err != nil {
		switch {
		case errors.Is(err, nats.ErrAuthorization) || strings.Contains(strings.ToLower(err.Error()), "authorization"):
			if sec.Token == "" {
				return nil, fmt.Errorf("the broker at %s refused the connection: it needs a token (--token or HEBB_TOKEN)", url)
			}
			return nil, fmt.Errorf("the broker at %s refused the token (authorization violation): check --token / HEBB_TOKEN", url)
		case strings.Contains(err.Error(), "x509:") || strings.Contains(err.Error(), "tls:"):
			return nil, fmt.Errorf("TLS with the broker at %s failed: %v (a self-signed certificate needs --tls-ca with the certificate itself; a tls:// URL needs a server with --tls-cert)", url, err)
		case errors.Is(err, nats.ErrNoServers):
			return nil, fmt.Errorf("no broker answers at %s (is the coordinator running with --serve, and the port open?)", url)
		}
		return nil, fmt.Errorf("connecting to %s: %v", url, err)
	}
	return nc, nil
}
