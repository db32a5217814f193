package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/actuate/actuate/internal/testenv"
)

// The SASL_SSL test's user; the broker also requires the client certificate of testPKI.
const (
	kafkaTestUser     = "alice"
	kafkaTestPassword = "alice-s3cret-pw"
)

// On a broker of its own with a SASL_SSL listener (scripts/testenv/kafka.sh): records make
// a round trip and the config store works (tokens create and list) with each SASL
// mechanism over TLS with a client certificate; a wrong password and an untrusted broker
// certificate fail the command at once with a message naming what was refused.
func TestKafkaSASLSSL(t *testing.T) {
	pki := newTestPKI(t)
	broker := testenv.StartPrivateKafka(t, testenv.PrivateKafkaOptions{SASLSSL: &testenv.SASLSSLOptions{
		KeystorePEM: pki.serverKeystore, ClientCAPEM: pki.ca, Users: map[string]string{kafkaTestUser: kafkaTestPassword}}})
	tlsArgs := []string{"--brokers", broker.SASLSSL[0], "--kafka-ca-file", pki.ca, "--kafka-cert-file", pki.clientCert, "--kafka-key-file", pki.clientKey}
	passwordFile := writeFile(t, "password", kafkaTestPassword+"\n")
	for _, mechanism := range []string{saslPlain, saslScramSHA256, saslScramSHA512} {
		t.Run(mechanism, func(t *testing.T) {
			args := append(tlsArgs, "--kafka-sasl-mechanism", mechanism, "--kafka-sasl-username", kafkaTestUser, "--kafka-sasl-password-file", passwordFile)
			if mechanism == saslScramSHA256 { // and the certificate checked for a name other than the address dialled
				args = append(args, "--kafka-server-name", testServerName)
			}
			kafkaRoundTrip(t, broker, args)
		})
	}
	t.Run("OAUTHBEARER token file", func(t *testing.T) {
		tokenFile := writeFile(t, "token", unsecuredJWT(kafkaTestUser))
		kafkaRoundTrip(t, broker, append(tlsArgs, "--kafka-sasl-mechanism", saslOAuthBearer, "--kafka-oauth-token-file", tokenFile))
	})
	t.Run("OAUTHBEARER client credentials", func(t *testing.T) {
		var grants atomic.Int32
		idp := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			id, secret, _ := r.BasicAuth()
			if r.ParseForm() != nil || r.Form.Get("grant_type") != "client_credentials" || id != "actuate" || secret != "client-s3cret" {
				http.Error(w, `{"error":"invalid_client"}`, http.StatusUnauthorized)
				return
			}
			grants.Add(1)
			w.Header().Set("Content-Type", "application/json")
			json.NewEncoder(w).Encode(map[string]any{"access_token": unsecuredJWT(kafkaTestUser), "token_type": "Bearer", "expires_in": 3600})
		}))
		defer idp.Close()
		secretFile := writeFile(t, "client-secret", "client-s3cret")
		kafkaRoundTrip(t, broker, append(tlsArgs, "--kafka-sasl-mechanism", saslOAuthBearer, "--kafka-oauth-token-url", idp.URL,
			"--kafka-oauth-client-id", "actuate", "--kafka-oauth-client-secret-file", secretFile))
		if n := grants.Load(); n < 1 {
			t.Errorf("the token endpoint granted %d tokens", n)
		}
	})
	t.Run("wrong password", func(t *testing.T) {
		proxy := newCountingProxy(t, broker.SASLSSL[0])
		wrong := writeFile(t, "wrong-password", "not-the-password")
		args := append(tlsArgs, "--brokers", proxy.addr, "--kafka-sasl-mechanism", saslScramSHA512,
			"--kafka-sasl-username", kafkaTestUser, "--kafka-sasl-password-file", wrong, "--config-topic", "actuate.config.sasl-wrong")
		began := time.Now()
		code, stdout, stderr := runCLI(t, "", append([]string{"tokens", "list"}, args...)...)
		took := time.Since(began)
		t.Logf("refused in %v after %d connections: %s", took.Round(time.Millisecond), proxy.accepted.Load(), strings.TrimSpace(stderr))
		if code != exitFailure {
			t.Errorf("exit %d, want %d (stdout %q)", code, exitFailure, stdout)
		}
		for _, want := range []string{"SCRAM-SHA-512", `"alice"`, "sign-in to Kafka at"} {
			if !strings.Contains(stderr, want) {
				t.Errorf("the error does not say %q: %s", want, stderr)
			}
		}
		if strings.Contains(stderr, "not-the-password") {
			t.Errorf("the error shows the password: %s", stderr)
		}
		// Given up at the first refusal, not retried until the config store's 30 s deadline.
		if took > 10*time.Second {
			t.Errorf("the command took %v to give up", took)
		}
		if n := proxy.accepted.Load(); n > 6 {
			t.Errorf("%d connections to the broker: a refused sign-in is retried", n)
		}
	})
	// Settings that cannot work end the command with what was refused, at once.
	refusingIdP := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		w.Write([]byte(`{"error":"invalid_client"}`))
	}))
	defer refusingIdP.Close()
	sasl := []string{"--kafka-sasl-mechanism", saslPlain, "--kafka-sasl-username", kafkaTestUser, "--kafka-sasl-password-file", passwordFile}
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"untrusted broker certificate", append([]string{"tokens", "list", "--brokers", broker.SASLSSL[0], "--kafka-tls",
			"--kafka-cert-file", pki.clientCert, "--kafka-key-file", pki.clientKey}, sasl...), "certificate signed by unknown authority"},
		{"a server name the certificate does not carry", append(append([]string{"tokens", "list", "--kafka-server-name", "kafka.example"}, tlsArgs...), sasl...),
			"certificate is valid for " + testServerName + ", not kafka.example"},
		{"no client certificate", append([]string{"tokens", "list", "--brokers", broker.SASLSSL[0], "--kafka-ca-file", pki.ca}, sasl...), "certificate"},
		{"no SASL", append([]string{"tokens", "list"}, tlsArgs...), "SASL"},
		{"a client secret the token endpoint refuses", append([]string{"tokens", "list"}, append(tlsArgs, "--kafka-sasl-mechanism", saslOAuthBearer,
			"--kafka-oauth-token-url", refusingIdP.URL, "--kafka-oauth-client-id", "actuate", "--kafka-oauth-client-secret-file", passwordFile)...), "invalid_client"},
		{"process with a wrong password", append([]string{"process", "--metrics-addr", ""}, append(tlsArgs, "--kafka-sasl-mechanism", saslPlain,
			"--kafka-sasl-username", kafkaTestUser, "--kafka-sasl-password-file", writeFile(t, "wrong", "wrong"))...), `SASL PLAIN as user "alice"`},
	} {
		t.Run(c.name, func(t *testing.T) {
			began := time.Now()
			code, _, stderr := runCLI(t, "", append(c.args, "--config-topic", "actuate.config.refused")...)
			took := time.Since(began)
			t.Logf("refused in %v: %s", took.Round(time.Millisecond), strings.TrimSpace(stderr))
			if code != exitFailure || !strings.Contains(stderr, c.want) || !strings.Contains(stderr, "sign-in to Kafka at") {
				t.Errorf("exit %d, want %d and an error saying %q: %s", code, exitFailure, c.want, stderr)
			}
			if took > 10*time.Second {
				t.Errorf("the command took %v to give up", took)
			}
		})
	}
}

// kafkaRoundTrip checks that the connection args reach the broker: a record produced is
// consumed back, and the config store writes and reads a token.
func kafkaRoundTrip(t *testing.T, broker *testenv.PrivateKafka, args []string) {
	t.Helper()
	var f serviceFlags
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	f.register(fs)
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}
	kafka, err := f.kafkaConn()
	if err != nil {
		t.Fatal(err)
	}
	topic := "sasl-events." + testenv.Suffix()
	testenv.CreateTopic(t, broker.Brokers, topic, 1)
	cl, err := kafka.newClient(kgo.ConsumeTopics(topic), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := cl.ProduceSync(ctx, &kgo.Record{Topic: topic, Value: []byte("over SASL_SSL")}).FirstErr(); err != nil {
		t.Fatalf("produce: %v", kafka.explain(err))
	}
	for got := false; !got; {
		fetches := cl.PollFetches(ctx)
		if err := ctx.Err(); err != nil {
			t.Fatalf("consume: %v (%v)", err, fetches.Errors())
		}
		fetches.EachRecord(func(r *kgo.Record) { got = string(r.Value) == "over SASL_SSL" })
	}

	configTopic := "sasl-config." + testenv.Suffix()
	testenv.CreateTopic(t, broker.Brokers, configTopic, 1)
	testenv.CreateTopic(t, broker.Brokers, configTopic+".history", 1)
	storeArgs := append(args, "--config-topic", configTopic)
	code, stdout, stderr := runCLI(t, "", append([]string{"tokens", "create", "--name", "sasl-bot", "--role", "viewer"}, storeArgs...)...)
	if code != exitOK {
		t.Fatalf("tokens create: exit %d %q %q", code, stdout, stderr)
	}
	code, stdout, stderr = runCLI(t, "", append([]string{"tokens", "list"}, storeArgs...)...)
	if code != exitOK || !strings.Contains(stdout, "sasl-bot") {
		t.Fatalf("tokens list: exit %d %q %q", code, stdout, stderr)
	}
}

// unsecuredJWT is a token Kafka's default OAUTHBEARER validator takes: alg "none", the
// user as sub, valid for an hour.
func unsecuredJWT(user string) string {
	enc := base64.RawURLEncoding
	header := enc.EncodeToString([]byte(`{"alg":"none"}`))
	now := time.Now().Unix()
	claims := enc.EncodeToString(fmt.Appendf(nil, `{"sub":%q,"iat":%d,"exp":%d}`, user, now, now+3600))
	return header + "." + claims + "."
}

// countingProxy forwards TCP connections on 127.0.0.1 to a target and counts them.
type countingProxy struct {
	addr     string
	accepted atomic.Int32
}

func newCountingProxy(t *testing.T, target string) *countingProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	p := &countingProxy{addr: ln.Addr().String()}
	go func() {
		for {
			in, err := ln.Accept()
			if err != nil {
				return
			}
			p.accepted.Add(1)
			out, err := net.Dial("tcp", target)
			if err != nil {
				in.Close()
				continue
			}
			go func() { io.Copy(out, in); out.Close() }()
			go func() { io.Copy(in, out); in.Close() }()
		}
	}()
	return p
}

// Each wrong combination of the Kafka settings is refused with the flag at fault named,
// and no error shows a secret.
func TestKafkaFlagsRefuseWhatCannotWork(t *testing.T) {
	const secret = "pa55-word-never-shown"
	t.Setenv("ACTUATE_KAFKA_SASL_PASSWORD", secret)
	t.Setenv("ACTUATE_KAFKA_TLS", "on")
	if code, _, stderr := runCLI(t, "", "tokens", "list"); code != exitInvalid || !strings.Contains(stderr, `ACTUATE_KAFKA_TLS="on": want 1 or true, 0 or false`) {
		t.Errorf("ACTUATE_KAFKA_TLS=on: exit %d %s", code, stderr)
	}
	t.Setenv("ACTUATE_KAFKA_TLS", "")
	secretFile := writeFile(t, "secret", secret)
	missing := filepath.Join(t.TempDir(), "absent.pem")
	notPEM := writeFile(t, "not.pem", "hello")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--kafka-sasl-mechanism", "GSSAPI"}, `--kafka-sasl-mechanism (ACTUATE_KAFKA_SASL_MECHANISM) "GSSAPI"`},
		{[]string{"--kafka-sasl-mechanism", "SCRAM-SHA-512"}, "--kafka-sasl-username (ACTUATE_KAFKA_SASL_USERNAME) is required with SASL SCRAM-SHA-512"},
		{[]string{"--kafka-sasl-username", "alice"}, "--kafka-sasl-mechanism (ACTUATE_KAFKA_SASL_MECHANISM) is empty but SASL credentials are set"},
		{[]string{"--kafka-sasl-mechanism", "PLAIN", "--kafka-sasl-username", "alice", "--kafka-sasl-password-file", secretFile}, "ACTUATE_KAFKA_SASL_PASSWORD and --kafka-sasl-password-file are both set"},
		{[]string{"--kafka-sasl-mechanism", "OAUTHBEARER"}, "SASL OAUTHBEARER needs exactly one token source"},
		{[]string{"--kafka-sasl-mechanism", "OAUTHBEARER", "--kafka-oauth-token-url", "https://idp.example/token"}, "--kafka-oauth-token-url needs --kafka-oauth-client-id and a client secret"},
		{[]string{"--kafka-ca-file", missing}, "--kafka-ca-file (ACTUATE_KAFKA_CA_FILE): open " + missing},
		{[]string{"--kafka-ca-file", notPEM}, "holds no PEM certificate"},
		{[]string{"--kafka-cert-file", notPEM}, "--kafka-cert-file and --kafka-key-file (ACTUATE_KAFKA_CERT_FILE, ACTUATE_KAFKA_KEY_FILE) go together"},
		{[]string{"--kafka-cert-file", notPEM, "--kafka-key-file", notPEM}, "--kafka-cert-file/--kafka-key-file:"},
	} {
		code, _, stderr := runCLI(t, "", append([]string{"tokens", "list"}, c.args...)...)
		if code != exitInvalid || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d %q, want exit %d and %q", c.args, code, stderr, exitInvalid, c.want)
		}
		if strings.Contains(stderr, secret) {
			t.Errorf("%v: the error shows the password: %s", c.args, stderr)
		}
	}
}

// Secrets set in the environment never show in --help: no Kafka secret is a flag whose
// default is read from the environment.
func TestKafkaSecretsStayOutOfHelp(t *testing.T) {
	secrets := map[string]string{"ACTUATE_KAFKA_SASL_PASSWORD": "pw-in-env", "ACTUATE_KAFKA_OAUTH_TOKEN": "token-in-env",
		"ACTUATE_KAFKA_OAUTH_CLIENT_SECRET": "client-secret-in-env"}
	for name, value := range secrets {
		t.Setenv(name, value)
	}
	t.Setenv("ACTUATE_KAFKA_SASL_USERNAME", "alice")
	for _, cmd := range []string{"process", "send", "serve", "replay", "backfill"} {
		code, _, stderr := runCLI(t, "", cmd, "--help")
		if code != exitInvalid || !strings.Contains(stderr, "-kafka-sasl-mechanism") || !strings.Contains(stderr, `(default "alice")`) {
			t.Fatalf("%s --help: exit %d, the Kafka flags are not listed:\n%s", cmd, code, stderr)
		}
		for _, value := range secrets {
			if strings.Contains(stderr, value) {
				t.Errorf("%s --help shows a secret from the environment", cmd)
			}
		}
	}
}

// Without Kafka settings a client gets no connection options; each setting adds its own.
func TestKafkaConnOptions(t *testing.T) {
	pki := newTestPKI(t)
	for _, c := range []struct {
		flags  kafkaFlags
		opts   int
		signIn string
	}{
		{kafkaFlags{}, 0, "no SASL without TLS"},
		{kafkaFlags{tls: true}, 1, "no SASL over TLS"},
		{kafkaFlags{caFile: pki.ca, certFile: pki.clientCert, keyFile: pki.clientKey}, 1, "no SASL over TLS"},
		{kafkaFlags{mechanism: "scram-sha-256", username: "bob", passwordFile: writeFile(t, "pw", "x")}, 1, `SASL SCRAM-SHA-256 as user "bob" without TLS`},
		{kafkaFlags{tls: true, mechanism: "OAUTHBEARER", oauthTokenFile: writeFile(t, "token", "t")}, 2, "SASL OAUTHBEARER with the token of "},
		{kafkaFlags{mechanism: "OAUTHBEARER", oauthTokenURL: "https://u:hunter2@idp.example/token", oauthClientID: "c",
			oauthClientSecretFile: writeFile(t, "client-secret", "s")}, 1, `SASL OAUTHBEARER with the token of client "c" at https://u:xxxxx@idp.example/token without TLS`},
	} {
		conn, err := c.flags.conn([]string{"127.0.0.1:9092"})
		if err != nil {
			t.Errorf("%+v: %v", c.flags, err)
			continue
		}
		if len(conn.opts) != c.opts || !strings.HasPrefix(conn.signIn, c.signIn) {
			t.Errorf("%+v: %d options, sign-in %q; want %d and %q", c.flags, len(conn.opts), conn.signIn, c.opts, c.signIn)
		}
	}
}
