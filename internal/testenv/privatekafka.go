package testenv

import (
	"bytes"
	"context"
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

// SASLSSLBroker is a Kafka broker of one test's own with a SASL_SSL listener beside its
// PLAINTEXT one, started by scripts/testenv/kafka.sh (ACTUATE_KAFKA_BROKER_*).
type SASLSSLBroker struct {
	// Plain are the seed brokers of the PLAINTEXT listener, for the test's own set-up.
	Plain []string
	// SASLSSL are the seed brokers of the SASL_SSL listener.
	SASLSSL []string
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

// saslBrokerScriptTimeout bounds one kafka.sh call: a JVM start on two busy shared cores
// can take a minute, and the script has its own start timeout inside.
const saslBrokerScriptTimeout = 4 * time.Minute

// StartSASLSSLBroker starts a fresh broker with a SASL_SSL listener on free ports of
// 127.0.0.1 and stops it, deleting its data, when the test ends. Like Kafka it runs only
// under scripts/testenv/with-services.sh (which has fetched the broker's jars): elsewhere
// it skips the test, and in CI it fails it.
func StartSASLSSLBroker(t testing.TB, opts SASLSSLOptions) *SASLSSLBroker {
	t.Helper()
	lookup(t, KafkaEnv, "Kafka")
	if _, err := exec.LookPath("java"); err != nil {
		t.Fatalf("java is not installed: a SASL_SSL broker runs from scripts/testenv/kafka.sh: %v", err)
	}
	_, self, _, _ := runtime.Caller(0)
	script := filepath.Join(filepath.Dir(self), "..", "..", "scripts", "testenv", "kafka.sh")
	var users []string
	for name, password := range opts.Users {
		users = append(users, name+":"+password)
	}
	for attempt := 1; ; attempt++ {
		port := freePortTriple(t)
		env := []string{
			"ACTUATE_KAFKA_PORT=" + strconv.Itoa(port),
			"ACTUATE_KAFKA_CONTROLLER_PORT=" + strconv.Itoa(port+1),
			"ACTUATE_KAFKA_BROKER_SASL_SSL_PORT=" + strconv.Itoa(port+2),
			"ACTUATE_KAFKA_BROKER_KEYSTORE_PEM=" + opts.KeystorePEM,
			"ACTUATE_KAFKA_BROKER_CLIENT_CA_PEM=" + opts.ClientCAPEM,
			"ACTUATE_KAFKA_BROKER_USERS=" + strings.Join(users, ","),
		}
		// Registered before up: a start that fails half way is cleaned up too. A failed
		// test keeps the broker's logs for a post-mortem.
		t.Cleanup(func() {
			downEnv := env
			if t.Failed() {
				downEnv = append(slices.Clip(env), "ACTUATE_TESTENV_KEEP=1")
			}
			out, err := runKafkaScript(script, "down", downEnv)
			if err != nil || t.Failed() {
				t.Logf("kafka.sh down on %d: %v\n%s", port, err, out)
			}
		})
		began := time.Now()
		out, err := runKafkaScript(script, "up", env)
		if err == nil {
			t.Logf("SASL_SSL Kafka on 127.0.0.1:%d (PLAINTEXT :%d) ready in %v", port+2, port, time.Since(began).Round(time.Millisecond))
			return &SASLSSLBroker{
				Plain:   []string{"127.0.0.1:" + strconv.Itoa(port)},
				SASLSSL: []string{"127.0.0.1:" + strconv.Itoa(port+2)},
			}
		}
		// Another process may take a port between our check and the broker's bind.
		if attempt < 3 && strings.Contains(out, "already in use") {
			continue
		}
		t.Fatalf("kafka.sh up on %d: %v\n%s", port, err, out)
	}
}

// runKafkaScript runs kafka.sh CMD with env and returns its stderr (its log). The caller's
// own ACTUATE_KAFKA_* (with-services.sh exports the shared broker's) must not leak in.
func runKafkaScript(script, cmd string, env []string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), saslBrokerScriptTimeout)
	defer cancel()
	c := exec.CommandContext(ctx, script, cmd)
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "ACTUATE_KAFKA_") && !strings.HasPrefix(kv, "ACTUATE_TESTENV_KEEP=") {
			c.Env = append(c.Env, kv)
		}
	}
	c.Env = append(c.Env, env...)
	var stderr bytes.Buffer
	c.Stderr = &stderr
	err := c.Run()
	return stderr.String(), err
}

// freePortTriple returns a port p with p, p+1 and p+2 free on 127.0.0.1 (client,
// controller, SASL_SSL), drawn below Linux's ephemeral range and above kafka.sh's own picks.
func freePortTriple(t testing.TB) int {
	t.Helper()
	for range 200 {
		p := 26000 + 3*rand.IntN(2000)
		free := true
		for _, q := range []int{p, p + 1, p + 2} {
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
	t.Fatal("no three free ports for a SASL_SSL Kafka broker")
	return 0
}
