// Package filekittest holds the real servers the file-delivery tests upload to, all on
// 127.0.0.1: an in-process S3 (gofakes3) answering for S3's real host names, Debian's
// OpenSSH server started by scripts/testenv/sshd.sh, and a TCP proxy that cuts a connection
// part way through, to break an upload mid-stream.
package filekittest

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"html"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
	"github.com/pkg/sftp"
	"golang.org/x/crypto/ssh"
)

// S3 is an S3-compatible server in the test's process, reached under S3's real virtual-host
// names (bucket.s3.region.amazonaws.com) through the HTTP client Client returns.
type S3 struct {
	Server  *httptest.Server
	backend *s3mem.Backend
	// refuse holds replies to give, one per request, before the real server answers.
	mu     sync.Mutex
	refuse []int
	// Via, when set, is where the client connects instead of the server (a CutProxy).
	via atomic.Pointer[string]
	// keys are the access keys the server accepts, with their secrets.
	keys map[string]string
}

// Test credentials NewS3 accepts.
const (
	AccessKeyID     = "AKIDACTUATETEST"
	SecretAccessKey = "actuate/test+secret/key"
)

// NewS3 starts the server with the given buckets; it stops when the test ends. Like S3, it
// refuses a request whose SigV4 signature (by AccessKeyID and SecretAccessKey) does not
// verify, with 403 SignatureDoesNotMatch.
func NewS3(t testing.TB, region string, buckets ...string) *S3 {
	t.Helper()
	s := &S3{backend: s3mem.New(), keys: map[string]string{AccessKeyID: SecretAccessKey}}
	for _, b := range buckets {
		if err := s.backend.CreateBucket(b); err != nil {
			t.Fatal(err)
		}
	}
	fake := gofakes3.New(s.backend, gofakes3.WithHostBucketBase("s3."+region+".amazonaws.com"))
	h := fake.Server()
	s.Server = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		var status int
		if len(s.refuse) > 0 {
			status, s.refuse = s.refuse[0], s.refuse[1:]
		}
		s.mu.Unlock()
		if status != 0 {
			io.Copy(io.Discard, r.Body)
			w.Header().Set("Content-Type", "application/xml")
			w.WriteHeader(status)
			io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>`)
			return
		}
		if err := VerifySigV4(r, s.keys); err != nil {
			w.Header().Set("Content-Type", "application/xml")
			w.WriteHeader(http.StatusForbidden)
			io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>SignatureDoesNotMatch</Code><Message>`+
				html.EscapeString(err.Error())+`</Message></Error>`)
			return
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(s.Server.Close)
	return s
}

// RefuseNext answers the next requests with these statuses (an S3 error body) instead of
// serving them.
func (s *S3) RefuseNext(statuses ...int) {
	s.mu.Lock()
	s.refuse = append(s.refuse, statuses...)
	s.mu.Unlock()
}

// Via makes the client connect to addr (a CutProxy in front of the server) until Direct.
func (s *S3) Via(addr string) { s.via.Store(&addr) }

// Direct undoes Via.
func (s *S3) Direct() { s.via.Store(nil) }

// Addr is the server's address.
func (s *S3) Addr() string { return s.Server.Listener.Addr().String() }

// Client is a destkit client whose every connection goes to this server (or its proxy),
// keeping the request's real URL and Host; TLS is the test server's, so it is not verified.
func (s *S3) Client(opts ...destkit.Option) *destkit.Client {
	tr := &http.Transport{
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			addr := s.Addr()
			if p := s.via.Load(); p != nil {
				addr = *p
			}
			return (&net.Dialer{}).DialContext(ctx, network, addr)
		},
		TLSClientConfig:   &tls.Config{InsecureSkipVerify: true}, //nolint:gosec // a test server's certificate
		DisableKeepAlives: true,
	}
	return destkit.NewClient(append([]destkit.Option{destkit.WithHTTPClient(&http.Client{Transport: tr})}, opts...)...)
}

// Objects lists the bucket's object keys, sorted.
func (s *S3) Objects(t testing.TB, bucket string) []string {
	t.Helper()
	list, err := s.backend.ListBucket(bucket, nil, gofakes3.ListBucketPage{})
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, o := range list.Contents {
		keys = append(keys, o.Key)
	}
	sort.Strings(keys)
	return keys
}

// Object returns the bytes and content type of an object.
func (s *S3) Object(t testing.TB, bucket, key string) ([]byte, string) {
	t.Helper()
	o, err := s.backend.GetObject(bucket, key, nil)
	if err != nil {
		t.Fatalf("object %s/%s: %v", bucket, key, err)
	}
	defer o.Contents.Close()
	b, err := io.ReadAll(o.Contents)
	if err != nil {
		t.Fatal(err)
	}
	return b, o.Metadata["Content-Type"]
}

// SFTPServer is a running test sshd (scripts/testenv/sshd.sh).
type SFTPServer struct {
	Addr     string
	User     string
	Password string
	Key      ssh.Signer
	HostKey  ssh.PublicKey
	// Root is the user's chroot on this machine: the server's /uploads is Root/uploads.
	Root string
}

// StartSSHD starts a throw-away sshd for the test and stops it when the test ends. It
// needs root (as in CI) and skips without it, except under CI, where it fails instead.
func StartSSHD(t testing.TB) *SFTPServer {
	t.Helper()
	if os.Geteuid() != 0 {
		if os.Getenv("CI") != "" {
			t.Fatal("the SFTP tests need root to start sshd, and CI runs as root")
		}
		t.Skip("the SFTP tests start sshd, which needs root (as in CI)")
	}
	script := filepath.Join(repoRoot(t), "scripts", "testenv", "sshd.sh")
	cmd := exec.Command("bash", script, "up")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("sshd.sh up: %v\n%s", err, stderr.String())
	}
	env := parseExports(string(out))
	t.Cleanup(func() {
		down := exec.Command("bash", script, "down")
		down.Env = append(os.Environ(), "ACTUATE_SSHD_PORT="+env["ACTUATE_SSHD_PORT"])
		if b, err := down.CombinedOutput(); err != nil {
			t.Errorf("sshd.sh down: %v\n%s", err, b)
		}
	})
	keyPEM, err := os.ReadFile(env["ACTUATE_TEST_SFTP_KEY"])
	if err != nil {
		t.Fatal(err)
	}
	key, err := ssh.ParsePrivateKey(keyPEM)
	if err != nil {
		t.Fatal(err)
	}
	hostPub, err := os.ReadFile(env["ACTUATE_TEST_SFTP_HOST_KEY"])
	if err != nil {
		t.Fatal(err)
	}
	hostKey, _, _, _, err := ssh.ParseAuthorizedKey(hostPub)
	if err != nil {
		t.Fatal(err)
	}
	return &SFTPServer{
		Addr: env["ACTUATE_TEST_SFTP_ADDR"], User: env["ACTUATE_TEST_SFTP_USER"],
		Password: env["ACTUATE_TEST_SFTP_PASSWORD"], Key: key, HostKey: hostKey,
		Root: env["ACTUATE_TEST_SFTP_ROOT"],
	}
}

// Files lists the names in a folder of the server (a path as the SFTP user sees it), sorted,
// hidden ones included.
func (s *SFTPServer) Files(t testing.TB, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(s.Root, dir))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	return names
}

// ReadFile reads a file of the server (a path as the SFTP user sees it).
func (s *SFTPServer) ReadFile(t testing.TB, p string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(s.Root, p))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// parseExports reads the `export K=V ...` line sshd.sh prints.
func parseExports(out string) map[string]string {
	env := map[string]string{}
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		for _, f := range strings.Fields(strings.TrimPrefix(sc.Text(), "export ")) {
			if k, v, ok := strings.Cut(f, "="); ok {
				env[k] = v
			}
		}
	}
	return env
}

// repoRoot is the folder holding go.mod, found upwards from the test's folder.
func repoRoot(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found above the test's folder")
		}
		dir = parent
	}
}

// CutProxy forwards TCP connections to target; while armed, it closes each connection once
// it has passed cutAfter bytes from the client, in the middle of whatever was being sent.
type CutProxy struct {
	ln       net.Listener
	target   string
	cutAfter atomic.Int64 // 0: pass everything
	cuts     atomic.Int64
}

// NewCutProxy starts a proxy to target on 127.0.0.1; it stops when the test ends.
func NewCutProxy(t testing.TB, target string) *CutProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &CutProxy{ln: ln, target: target}
	t.Cleanup(func() { ln.Close() })
	go p.serve()
	return p
}

// Addr is the proxy's address.
func (p *CutProxy) Addr() string { return p.ln.Addr().String() }

// CutAfter arms the proxy: connections from now on are closed after n bytes from the
// client (0 disarms it).
func (p *CutProxy) CutAfter(n int64) { p.cutAfter.Store(n) }

// Cuts is how many connections the proxy has cut.
func (p *CutProxy) Cuts() int64 { return p.cuts.Load() }

func (p *CutProxy) serve() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		go p.forward(c)
	}
}

func (p *CutProxy) forward(c net.Conn) {
	defer c.Close()
	up, err := net.Dial("tcp", p.target)
	if err != nil {
		return
	}
	defer up.Close()
	limit := p.cutAfter.Load()
	done := make(chan struct{}, 2)
	go func() {
		io.Copy(c, up)
		done <- struct{}{}
	}()
	go func() {
		if limit > 0 {
			if n, _ := io.CopyN(up, c, limit); n == limit {
				p.cuts.Add(1)
			}
		} else {
			io.Copy(up, c)
		}
		done <- struct{}{}
	}()
	<-done // either side ending ends both: a cut drops the connection both ways
}

// Mkdir makes a folder (a path as the SFTP user sees it) owned by the SFTP user, over SFTP.
func (s *SFTPServer) Mkdir(dir string) error {
	conn, err := ssh.Dial("tcp", s.Addr, &ssh.ClientConfig{User: s.User,
		Auth: []ssh.AuthMethod{ssh.PublicKeys(s.Key)}, HostKeyCallback: ssh.FixedHostKey(s.HostKey)})
	if err != nil {
		return err
	}
	defer conn.Close()
	c, err := sftp.NewClient(conn)
	if err != nil {
		return err
	}
	defer c.Close()
	return c.MkdirAll(dir)
}

// Digest is the tag filekit.Name puts in the name of a file of content (the first 16 hex
// digits of its SHA-256), for tests that spell out expected names.
func Digest(content string) string {
	sum := sha256.Sum256([]byte(content))
	return hex.EncodeToString(sum[:8])
}
