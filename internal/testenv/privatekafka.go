package testenv

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// PrivateKafka is a Kafka broker of one test's own, started by scripts/testenv/kafka.sh on
// free ports of 127.0.0.1, so that stopping it, restarting it or securing it disturbs no
// other test (the suite's shared broker is Kafka's).
type PrivateKafka struct {
	// Brokers are the seed brokers of its PLAINTEXT listener: the clients under test, or
	// with a SASL_SSL listener the test's own set-up.
	Brokers []string
	// SASLSSL are the seed brokers of its SASL_SSL listener, when PrivateKafkaOptions.SASLSSL
	// asked for one.
	SASLSSL []string

	port   int
	script string
}

// PrivateKafkaOptions say what a private broker has besides its PLAINTEXT listener.
type PrivateKafkaOptions struct {
	// SASLSSL, when set, adds a SASL_SSL listener (ACTUATE_KAFKA_BROKER_* of kafka.sh).
	SASLSSL *SASLSSLOptions
}

// SASLSSLOptions say how the SASL_SSL listener is secured.
type SASLSSLOptions struct {
	// KeystorePEM is a file with the broker's unencrypted PKCS#8 key and its certificate chain.
	KeystorePEM string
	// ClientCAPEM, when set, makes the listener require client certificates this CA signed.
	ClientCAPEM string
	// Users maps user names to passwords; each may sign in with PLAIN, SCRAM-SHA-256 and
	// SCRAM-SHA-512. OAUTHBEARER takes unsecured JWTs (alg "none") whose sub is the user.
	Users map[string]string
}

// kafkaScriptTimeout bounds one kafka.sh call: a JVM start on two busy shared cores can
// take a minute, and the script has its own (180 s) start timeout inside.
const kafkaScriptTimeout = 4 * time.Minute

// StartPrivateKafka starts a fresh broker and stops it, deleting its data, when the test
// ends; a failed test keeps the data and logs for a post-mortem (the path is logged). Like
// Kafka it runs only under scripts/testenv/with-services.sh (which has fetched the
// broker's jars): elsewhere it skips the test, and in CI it fails it.
func StartPrivateKafka(t testing.TB, opts PrivateKafkaOptions) *PrivateKafka {
	t.Helper()
	lookup(t, KafkaEnv, "Kafka")
	if _, err := exec.LookPath("java"); err != nil {
		t.Fatalf("java is not installed: a private broker runs from scripts/testenv/kafka.sh: %v", err)
	}
	_, self, _, _ := runtime.Caller(0)
	script := filepath.Join(filepath.Dir(self), "..", "..", "scripts", "testenv", "kafka.sh")
	ports := 2 // client and controller
	if opts.SASLSSL != nil {
		ports = 3
	}
	for attempt := 1; ; attempt++ {
		k := &PrivateKafka{port: freePorts(t, ports), script: script}
		k.Brokers = []string{"127.0.0.1:" + strconv.Itoa(k.port)}
		var upEnv []string
		if s := opts.SASLSSL; s != nil {
			var users []string
			for name, password := range s.Users {
				users = append(users, name+":"+password)
			}
			upEnv = []string{
				"ACTUATE_KAFKA_BROKER_SASL_SSL_PORT=" + strconv.Itoa(k.port+2),
				"ACTUATE_KAFKA_BROKER_KEYSTORE_PEM=" + s.KeystorePEM,
				"ACTUATE_KAFKA_BROKER_CLIENT_CA_PEM=" + s.ClientCAPEM,
				"ACTUATE_KAFKA_BROKER_USERS=" + strings.Join(users, ","),
			}
			k.SASLSSL = []string{"127.0.0.1:" + strconv.Itoa(k.port+2)}
		}
		// Registered before up: a start that fails half way is cleaned up too.
		t.Cleanup(func() {
			var keep []string
			if t.Failed() {
				keep = []string{"ACTUATE_TESTENV_KEEP=1"}
			}
			out, err := k.run("down", keep...)
			if err != nil {
				t.Logf("kafka.sh down on %d: %v\n%s", k.port, err, out)
			} else if keep != nil {
				t.Logf("the private broker's data and logs are kept for a post-mortem: %s", strings.TrimSpace(out))
			}
		})
		began := time.Now()
		out, err := k.run("up", upEnv...)
		if err == nil {
			t.Logf("private Kafka on %s ready in %v", strings.Join(append(slices.Clip(k.Brokers), k.SASLSSL...), " and "),
				time.Since(began).Round(time.Millisecond))
			return k
		}
		// Another process may take a port between our check and the broker's bind.
		if attempt < 3 && strings.Contains(out, "already in use") {
			t.Logf("kafka.sh up on %d: a port was taken meanwhile; trying others", k.port)
			continue
		}
		t.Fatalf("kafka.sh up on %d: %v\n%s", k.port, err, out)
	}
}

// Stop stops the broker and keeps its data, as a broker's restart does; Start brings the
// same broker back on the same ports and waits until it is ready. A failure's error holds
// kafka.sh's log.
func (k *PrivateKafka) Stop() error  { return k.lifecycle("stop") }
func (k *PrivateKafka) Start() error { return k.lifecycle("start") }

func (k *PrivateKafka) lifecycle(cmd string) error {
	if out, err := k.run(cmd); err != nil {
		return fmt.Errorf("kafka.sh %s on %d: %w\n%s", cmd, k.port, err, out)
	}
	return nil
}

// run runs kafka.sh CMD for this broker's ports with env added and returns its stderr (its
// log). The caller's own ACTUATE_KAFKA_* (with-services.sh exports the shared broker's)
// must not leak in.
func (k *PrivateKafka) run(cmd string, env ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), kafkaScriptTimeout)
	defer cancel()
	c := exec.CommandContext(ctx, k.script, cmd)
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "ACTUATE_KAFKA_") && !strings.HasPrefix(kv, "ACTUATE_TESTENV_KEEP=") {
			c.Env = append(c.Env, kv)
		}
	}
	c.Env = append(c.Env, "ACTUATE_KAFKA_PORT="+strconv.Itoa(k.port), "ACTUATE_KAFKA_CONTROLLER_PORT="+strconv.Itoa(k.port+1))
	c.Env = append(c.Env, env...)
	var stderr bytes.Buffer
	c.Stderr = &stderr
	err := c.Run()
	return stderr.String(), err
}

// freePorts returns a port p with p … p+n-1 free on 127.0.0.1 (client, controller, then
// SASL_SSL). The ports are drawn below Linux's ephemeral range (32768-60999) and above
// kafka.sh's own picks (9092-9131): while a private broker is stopped, no client's outgoing
// connection — the test's own reconnecting clients' above all — may take its port as a
// source port (or connect to itself on it) and keep the broker from binding it again.
func freePorts(t testing.TB, n int) int {
	t.Helper()
	for range 200 {
		p := 20000 + n*rand.IntN(12000/n)
		free := true
		for q := p; q < p+n; q++ {
			ln, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(q))
			if err != nil {
				free = false
				break
			}
			ln.Close()
		}
		if free {
			return p
		}
	}
	t.Fatalf("no %d free ports in a row for a private Kafka broker", n)
	return 0
}
