package main

import (
	"context"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

func TestRedisSpecForms(t *testing.T) {
	for spec, want := range map[string]string{
		"127.0.0.1:6379":                     "*redis.Client",
		"redis://u:p@127.0.0.1:6379/2":       "*redis.Client",
		"rediss://127.0.0.1:6380":            "*redis.Client",
		"127.0.0.1:7000, 127.0.0.2:7000":     "*redis.ClusterClient",
		"redis-sentinel://127.0.0.1:26379/m": "*redis.Client",
	} {
		c, err := newRedis(spec)
		if err != nil {
			t.Errorf("%s: %v", spec, err)
			continue
		}
		if got := typeName(c); got != want {
			t.Errorf("%s: %s, want %s", spec, got, want)
		}
		c.Close()
	}
	for _, bad := range []string{"", "redis-sentinel://127.0.0.1:26379", "redis-sentinel://h:1/m?db=x", "redis://h:1/notadb"} {
		if c, err := newRedis(bad); err == nil {
			c.Close()
			t.Errorf("%q was taken", bad)
		}
	}
}

func typeName(v any) string {
	switch v.(type) {
	case *redis.Client:
		return "*redis.Client"
	case *redis.ClusterClient:
		return "*redis.ClusterClient"
	}
	return "?"
}

// A real redis-server with a password and a TLS port: the URL forms reach it, and a wrong
// password is refused.
func TestRedisWithPasswordAndTLS(t *testing.T) {
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		t.Skip("redis-server is not installed (scripts/test.sh installs it)")
	}
	dir := t.TempDir()
	pki := newTestPKI(t)
	caFile, certFile, keyFile := pki.ca, pki.serverCert, pki.serverKey
	port, tlsPort := freePort(t), freePort(t)
	cmd := exec.Command(bin, "--port", strconv.Itoa(port), "--bind", "127.0.0.1", "--requirepass", "s3cret-pw",
		"--tls-port", strconv.Itoa(tlsPort), "--tls-cert-file", certFile, "--tls-key-file", keyFile, "--tls-ca-cert-file", caFile,
		"--tls-auth-clients", "no", "--save", "", "--appendonly", "no", "--dir", dir)
	out, _ := os.Create(filepath.Join(dir, "redis.log"))
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	ping := func(spec string) error {
		c, err := newRedis(spec)
		if err != nil {
			return err
		}
		defer c.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		return c.Ping(ctx).Err()
	}
	plain := "redis://:s3cret-pw@127.0.0.1:" + strconv.Itoa(port) + "/1"
	deadline := time.Now().Add(10 * time.Second)
	for ping(plain) != nil {
		if time.Now().After(deadline) {
			log, _ := os.ReadFile(filepath.Join(dir, "redis.log"))
			t.Fatalf("redis-server did not answer: %v\n%s", ping(plain), log)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err := ping("redis://:wrong@127.0.0.1:" + strconv.Itoa(port)); err == nil || !strings.Contains(strings.ToLower(err.Error()), "pass") {
		t.Errorf("a wrong password: %v", err)
	}
	tlsURL := "rediss://:s3cret-pw@127.0.0.1:" + strconv.Itoa(tlsPort)
	if err := ping(tlsURL); err == nil {
		t.Error("TLS succeeded without trusting the test CA")
	}
	t.Setenv("ACTUATE_REDIS_CA_FILE", caFile)
	if err := ping(tlsURL); err != nil {
		log, _ := os.ReadFile(filepath.Join(dir, "redis.log"))
		t.Fatalf("TLS with the CA: %v\n%s", err, log)
	}
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}
