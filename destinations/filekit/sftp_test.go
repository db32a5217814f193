package filekit_test

import (
	"context"
	"errors"
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/filekit"
	"github.com/actuate/actuate/destinations/filekit/filekittest"
	"golang.org/x/crypto/ssh"
)

func target(srv *filekittest.SFTPServer) *filekit.SFTP {
	return &filekit.SFTP{Addr: srv.Addr, User: srv.User, Password: srv.Password,
		HostKey: ssh.FixedHostKey(srv.HostKey), FolderField: "sftp_folder_path"}
}

// One sshd for the SFTP tests of this package, which run one after the other.
func TestSFTP(t *testing.T) {
	srv := filekittest.StartSSHD(t)
	ctx := context.Background()

	t.Run("password lands the complete file", func(t *testing.T) {
		body := []byte(csvOf(100))
		if err := target(srv).Upload(ctx, "/uploads/", "first.csv", body); err != nil {
			t.Fatal(err)
		}
		if got := srv.ReadFile(t, "uploads/first.csv"); string(got) != string(body) {
			t.Fatalf("file %q", got)
		}
	})

	t.Run("key", func(t *testing.T) {
		tg := target(srv)
		tg.Password, tg.Key = "", srv.Key
		if err := tg.Upload(ctx, "/uploads", "by-key.csv", []byte("a\n")); err != nil {
			t.Fatal(err)
		}
		if got := srv.ReadFile(t, "uploads/by-key.csv"); string(got) != "a\n" {
			t.Fatalf("file %q", got)
		}
	})

	t.Run("a retry after the connection dropped mid-upload leaves one complete file", func(t *testing.T) {
		dir := "/uploads/dropped"
		mkdir(t, srv, dir)
		proxy := filekittest.NewCutProxy(t, srv.Addr)
		tg := target(srv)
		tg.Addr = proxy.Addr()
		body := []byte(csvOf(3000)) // about 280 KB
		name := filekit.Name("audience.csv", body)
		proxy.CutAfter(int64(len(body) / 2))
		err := tg.Upload(ctx, dir, name, body)
		if err == nil || proxy.Cuts() != 1 {
			t.Fatalf("the cut upload: %v, %d cuts", err, proxy.Cuts())
		}
		if v := destkit.Classify(err); v.Outcome != destkit.Retry {
			t.Fatalf("cut: %v (%v)", v.Outcome, err)
		}
		if files := srv.Files(t, dir); slices.Contains(files, name) {
			t.Fatalf("a cut upload left the final file: %q", files)
		}
		proxy.CutAfter(0)
		for range 2 { // the retry, and one more as if its answer had been lost
			if err := tg.Upload(ctx, dir, name, body); err != nil {
				t.Fatal(err)
			}
		}
		if files := srv.Files(t, dir); !slices.Equal(files, []string{name}) {
			t.Fatalf("files %q, want only %s", files, name)
		}
		if got := srv.ReadFile(t, dir+"/"+name); string(got) != string(body) {
			t.Fatal("the file is not complete")
		}
	})

	t.Run("a retry after the server refused the connection", func(t *testing.T) {
		dir := "/uploads/refused"
		mkdir(t, srv, dir)
		proxy := filekittest.NewCutProxy(t, srv.Addr)
		tg := target(srv)
		tg.Addr = proxy.Addr()
		proxy.CutAfter(1) // the connection ends as the handshake starts
		err := tg.Upload(ctx, dir, "a.csv", []byte("x\n"))
		if v := destkit.Classify(err); v.Outcome != destkit.Retry {
			t.Fatalf("refused: %v (%v)", v.Outcome, err)
		}
		proxy.CutAfter(0)
		if err := tg.Upload(ctx, dir, "a.csv", []byte("x\n")); err != nil {
			t.Fatal(err)
		}
		if files := srv.Files(t, dir); !slices.Equal(files, []string{"a.csv"}) {
			t.Fatalf("files %q", files)
		}
	})

	t.Run("wrong password fails without saying it", func(t *testing.T) {
		tg := target(srv)
		tg.Password = "wrong-password-123"
		err := tg.Upload(ctx, "/uploads", "x.csv", []byte("x"))
		var ae *destkit.AuthError
		if !errors.As(err, &ae) || destkit.Classify(err).Outcome != destkit.Fail {
			t.Fatalf("got %v", err)
		}
		if strings.Contains(err.Error(), tg.Password) {
			t.Fatal("the password is in the error")
		}
	})

	t.Run("another host key fails", func(t *testing.T) {
		tg := target(srv)
		tg.HostKey = ssh.FixedHostKey(srv.Key.PublicKey()) // the user's key, not the host's
		err := tg.Upload(ctx, "/uploads", "x.csv", []byte("x"))
		var ae *destkit.AuthError
		if !errors.As(err, &ae) || ae.Code != "HOST_KEY_MISMATCH" {
			t.Fatalf("got %v", err)
		}
	})

	t.Run("a missing folder names the field", func(t *testing.T) {
		err := target(srv).Upload(ctx, "/uploads/nowhere", "x.csv", []byte("x"))
		var pv *destkit.PayloadValidationError
		if !errors.As(err, &pv) || pv.Field != "sftp_folder_path" || !strings.Contains(pv.Message, "/uploads/nowhere") {
			t.Fatalf("got %v", err)
		}
	})

	t.Run("a folder the user may not write in fails", func(t *testing.T) {
		err := target(srv).Upload(ctx, "/", "x.csv", []byte("x"))
		if v := destkit.Classify(err); v.Outcome != destkit.Fail || !strings.Contains(err.Error(), "does not let") {
			t.Fatalf("%v: %v", v.Outcome, err)
		}
	})

	t.Run("the egress guard", func(t *testing.T) {
		t.Cleanup(func() { destkit.SetEgressPolicy(nil) })
		destkit.SetEgressPolicy(destkit.NewEgressPolicy())
		err := target(srv).Upload(ctx, "/uploads", "x.csv", []byte("x"))
		var ee *destkit.EgressError
		if !errors.As(err, &ee) || destkit.Classify(err).Outcome != destkit.Fail {
			t.Fatalf("got %v", err)
		}
		destkit.SetEgressPolicy(destkit.NewEgressPolicy(netip.MustParsePrefix("127.0.0.1/32")))
		if err := target(srv).Upload(ctx, "/uploads", "allowed.csv", []byte("x")); err != nil {
			t.Fatal(err)
		}
	})
}

// mkdir makes a folder of the server as its user would.
func mkdir(t *testing.T, srv *filekittest.SFTPServer, dir string) {
	t.Helper()
	if err := srv.Mkdir(dir); err != nil {
		t.Fatal(err)
	}
}
