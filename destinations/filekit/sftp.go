package filekit

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path"
	"strings"
	"time"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/pkg/sftp"
	"golang.org/x/crypto/ssh"
)

// SFTP is a server and the credentials to write files on it. Connections are made per
// upload, through destkit's egress guard.
type SFTP struct {
	Addr     string // host:port
	User     string
	Password string     // password authentication, when set
	Key      ssh.Signer // public-key authentication, when set
	// HostKey checks the server's host key. Nil accepts any key, as Segment's client
	// does; a destination that knows its vendor's key should pin it.
	HostKey HostKeyCallback
	// FolderField names the payload field the folder came from, for the error a missing
	// folder gives.
	FolderField string
	// Timeout bounds the whole upload, connection included; zero means two minutes.
	Timeout time.Duration
}

// HostKeyCallback checks an SFTP server's host key (golang.org/x/crypto/ssh's type, named
// here so that destinations need not import ssh).
type HostKeyCallback = ssh.HostKeyCallback

// partName is where an upload of name is written before its rename: hidden, in the same
// folder (a rename across folders need not be atomic), and the same on every attempt.
func partName(name string) string { return "." + name + ".part" }

// Upload writes content to dir/name so that the file appears whole or not at all (see the
// package doc): the bytes go to a hidden temporary name, which is then renamed.
func (s *SFTP) Upload(ctx context.Context, dir, name string, content []byte) error {
	if name == "" || strings.ContainsAny(name, "/\x00") {
		return destkit.ValidationErrorf("", "file name %q is not a plain file name", name)
	}
	timeout := s.Timeout
	if timeout <= 0 {
		timeout = 2 * time.Minute
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	client, closeAll, err := s.connect(ctx)
	if err != nil {
		return err
	}
	defer closeAll()
	// A cancelled context closes the connection, which ends any call blocked on it.
	stop := context.AfterFunc(ctx, func() { closeAll() })
	defer stop()

	final, part := path.Join(dir, name), path.Join(dir, partName(name))
	if err := writeFile(client, part, content); err != nil {
		return s.fileError(ctx, dir, err)
	}
	if _, ok := client.HasExtension("posix-rename@openssh.com"); ok {
		err = client.PosixRename(part, final)
	} else {
		// A plain SFTP rename refuses an existing target: a retry whose earlier attempt
		// got as far as the rename finds the same bytes there (the name is their digest).
		if err = client.Remove(final); err != nil && !errors.Is(err, os.ErrNotExist) {
			return s.fileError(ctx, dir, err)
		}
		err = client.Rename(part, final)
	}
	if err != nil {
		return s.fileError(ctx, dir, err)
	}
	return nil
}

// writeFile creates (or truncates) p and writes content to it, closing it before returning.
func writeFile(c *sftp.Client, p string, content []byte) error {
	f, err := c.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_TRUNC)
	if err != nil {
		return err
	}
	if _, err := f.Write(content); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// connect dials, authenticates and opens the SFTP subsystem. closeAll closes both layers
// and may be called more than once.
func (s *SFTP) connect(ctx context.Context) (*sftp.Client, func(), error) {
	conn, err := destkit.DialContext(ctx, "tcp", s.Addr)
	if err != nil {
		return nil, nil, err // refused by the egress guard (fails) or by the network (retries)
	}
	if dl, ok := ctx.Deadline(); ok {
		conn.SetDeadline(dl)
	}
	var auth []ssh.AuthMethod
	if s.Key != nil {
		auth = append(auth, ssh.PublicKeys(s.Key))
	}
	if s.Password != "" {
		auth = append(auth, ssh.Password(s.Password))
	}
	hostKey := s.HostKey
	if hostKey == nil {
		hostKey = ssh.InsecureIgnoreHostKey() //nolint:gosec // see the field's doc
	}
	cc, chans, reqs, err := ssh.NewClientConn(conn, s.Addr, &ssh.ClientConfig{
		User: s.User, Auth: auth, HostKeyCallback: hostKey, Timeout: 30 * time.Second,
	})
	if err != nil {
		conn.Close()
		return nil, nil, handshakeError(err)
	}
	sshClient := ssh.NewClient(cc, chans, reqs)
	client, err := sftp.NewClient(sshClient)
	if err != nil {
		sshClient.Close()
		return nil, nil, &destkit.RetryableError{Err: fmt.Errorf("starting the SFTP subsystem on %s: %w", s.Addr, err)}
	}
	closeAll := func() {
		client.Close()
		sshClient.Close()
	}
	return client, closeAll, nil
}

// handshakeError classifies a failed SSH handshake: refused credentials or host key need
// a person; anything else (the connection dropped) is worth another try.
func handshakeError(err error) error {
	msg := err.Error()
	switch {
	case strings.Contains(msg, "unable to authenticate"):
		return &destkit.AuthError{Code: "INVALID_AUTHENTICATION", Message: "the SFTP server refused the user name and credentials"}
	case strings.Contains(msg, "host key"):
		return &destkit.AuthError{Code: "HOST_KEY_MISMATCH", Message: "the SFTP server's host key is not the expected one: " + msg}
	}
	return &destkit.RetryableError{Err: fmt.Errorf("SSH handshake: %w", err)}
}

// fileError classifies a failed file operation in dir.
func (s *SFTP) fileError(ctx context.Context, dir string, err error) error {
	switch {
	case errors.Is(err, os.ErrNotExist):
		return destkit.ValidationErrorf(s.FolderField, "folder %q does not exist on the SFTP server", dir)
	case errors.Is(err, os.ErrPermission):
		return &destkit.IntegrationError{Code: "SFTP_PERMISSION_DENIED",
			Message: fmt.Sprintf("the SFTP server does not let this user write in %q", dir)}
	case ctx.Err() != nil:
		return &destkit.RetryableError{Err: fmt.Errorf("SFTP upload to %q did not finish: %w", dir, ctx.Err())}
	}
	var ne net.Error
	if errors.As(err, &ne) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, sftp.ErrSSHFxConnectionLost) {
		return &destkit.RetryableError{Err: fmt.Errorf("SFTP connection lost writing in %q: %w", dir, err)}
	}
	// SFTP's generic failure covers passing conditions too (a full disk): try again.
	return &destkit.IntegrationError{Code: "SFTP_FAILED", Retryable: true,
		Message: fmt.Sprintf("SFTP upload to %q failed: %v", dir, err)}
}
