package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/sasl"
	"github.com/twmb/franz-go/pkg/sasl/oauth"
	"github.com/twmb/franz-go/pkg/sasl/plain"
	"github.com/twmb/franz-go/pkg/sasl/scram"
	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
)

// kafkaFlags are the settings of Actuate's own connections to Kafka (TLS and SASL), given
// to every franz-go client a command makes through kafkaConn. Secrets are read from the
// environment or from a file, never from a flag: a flag's value shows in `ps`, and a
// default taken from the environment would show in --help.
type kafkaFlags struct {
	tls bool
	// tlsEnvErr is a value of ACTUATE_KAFKA_TLS that is not a boolean, reported by conn.
	tlsEnvErr  error
	caFile     string
	certFile   string
	keyFile    string
	serverName string

	mechanism    string
	username     string
	passwordFile string

	oauthTokenFile        string
	oauthTokenURL         string
	oauthClientID         string
	oauthClientSecretFile string
	oauthScopes           string
}

// The SASL mechanisms --kafka-sasl-mechanism takes.
const (
	saslPlain       = "PLAIN"
	saslScramSHA256 = "SCRAM-SHA-256"
	saslScramSHA512 = "SCRAM-SHA-512"
	saslOAuthBearer = "OAUTHBEARER"
)

func (k *kafkaFlags) register(fs *flag.FlagSet) {
	tlsDefault, err := envBool("ACTUATE_KAFKA_TLS")
	k.tlsEnvErr = err
	fs.BoolVar(&k.tls, "kafka-tls", tlsDefault, "connect to Kafka over TLS, trusting the system's CAs and --kafka-ca-file's (env ACTUATE_KAFKA_TLS=1); implied by --kafka-ca-file and --kafka-cert-file")
	fs.StringVar(&k.caFile, "kafka-ca-file", env("ACTUATE_KAFKA_CA_FILE", ""), "PEM file of CAs that sign the brokers' certificates, besides the system's (env ACTUATE_KAFKA_CA_FILE)")
	fs.StringVar(&k.certFile, "kafka-cert-file", env("ACTUATE_KAFKA_CERT_FILE", ""), "PEM client certificate for brokers that require one, with --kafka-key-file (env ACTUATE_KAFKA_CERT_FILE)")
	fs.StringVar(&k.keyFile, "kafka-key-file", env("ACTUATE_KAFKA_KEY_FILE", ""), "PEM private key of --kafka-cert-file (env ACTUATE_KAFKA_KEY_FILE)")
	fs.StringVar(&k.serverName, "kafka-server-name", env("ACTUATE_KAFKA_SERVER_NAME", ""), "the name the brokers' certificates must carry, when not the broker's host (env ACTUATE_KAFKA_SERVER_NAME)")
	fs.StringVar(&k.mechanism, "kafka-sasl-mechanism", env("ACTUATE_KAFKA_SASL_MECHANISM", ""), "SASL sign-in: PLAIN, SCRAM-SHA-256, SCRAM-SHA-512 or OAUTHBEARER; empty for none (env ACTUATE_KAFKA_SASL_MECHANISM)")
	fs.StringVar(&k.username, "kafka-sasl-username", env("ACTUATE_KAFKA_SASL_USERNAME", ""), "SASL user for PLAIN and SCRAM (env ACTUATE_KAFKA_SASL_USERNAME); the password is env ACTUATE_KAFKA_SASL_PASSWORD or --kafka-sasl-password-file")
	fs.StringVar(&k.passwordFile, "kafka-sasl-password-file", env("ACTUATE_KAFKA_SASL_PASSWORD_FILE", ""), "file holding the SASL password (env ACTUATE_KAFKA_SASL_PASSWORD_FILE)")
	fs.StringVar(&k.oauthTokenFile, "kafka-oauth-token-file", env("ACTUATE_KAFKA_OAUTH_TOKEN_FILE", ""), "OAUTHBEARER: file holding the token, read again at every sign-in so it can be renewed in place (env ACTUATE_KAFKA_OAUTH_TOKEN_FILE; or the token itself in env ACTUATE_KAFKA_OAUTH_TOKEN)")
	fs.StringVar(&k.oauthTokenURL, "kafka-oauth-token-url", env("ACTUATE_KAFKA_OAUTH_TOKEN_URL", ""), "OAUTHBEARER: token endpoint for the client-credentials grant, with --kafka-oauth-client-id and the secret in env ACTUATE_KAFKA_OAUTH_CLIENT_SECRET or --kafka-oauth-client-secret-file (env ACTUATE_KAFKA_OAUTH_TOKEN_URL)")
	fs.StringVar(&k.oauthClientID, "kafka-oauth-client-id", env("ACTUATE_KAFKA_OAUTH_CLIENT_ID", ""), "OAUTHBEARER: client id of the client-credentials grant (env ACTUATE_KAFKA_OAUTH_CLIENT_ID)")
	fs.StringVar(&k.oauthClientSecretFile, "kafka-oauth-client-secret-file", env("ACTUATE_KAFKA_OAUTH_CLIENT_SECRET_FILE", ""), "OAUTHBEARER: file holding the client secret (env ACTUATE_KAFKA_OAUTH_CLIENT_SECRET_FILE)")
	fs.StringVar(&k.oauthScopes, "kafka-oauth-scopes", env("ACTUATE_KAFKA_OAUTH_SCOPES", ""), "OAUTHBEARER: comma-separated scopes to ask the token endpoint for (env ACTUATE_KAFKA_OAUTH_SCOPES)")
}

// envBool reads a boolean variable: unset or empty is false.
func envBool(name string) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(os.Getenv(name))) {
	case "1", "true", "yes":
		return true, nil
	case "", "0", "false", "no":
		return false, nil
	}
	return false, fmt.Errorf("%s=%q: want 1 or true, 0 or false", name, os.Getenv(name))
}

// kafkaConn is how every franz-go client of a process reaches the cluster: the seed brokers
// and the TLS and SASL options built once from kafkaFlags.
type kafkaConn struct {
	brokers []string
	// opts are the connection options every client is given (none for plain Kafka).
	opts []kgo.Opt
	// signIn says how the process signs in, for errors: `SASL SCRAM-SHA-512 as user "alice"
	// over TLS`. It never holds a secret.
	signIn string
}

// with returns the connection options followed by extra, for a client that adds its own.
func (c kafkaConn) with(extra ...kgo.Opt) []kgo.Opt {
	return append(slices.Clip(c.opts), extra...)
}

// newClient makes a client of the seed brokers with the connection options and extra.
func (c kafkaConn) newClient(extra ...kgo.Opt) (*kgo.Client, error) {
	return kgo.NewClient(c.with(append([]kgo.Opt{kgo.SeedBrokers(c.brokers...)}, extra...)...)...)
}

// explain names the sign-in in an error Kafka's authentication or the TLS handshake
// caused, so the message says which mechanism and user were refused; other errors pass
// as they are.
func (c kafkaConn) explain(err error) error {
	if err == nil || !isKafkaSignInFailure(err) {
		return err
	}
	return fmt.Errorf("the sign-in to Kafka at %s failed (%s): %w", strings.Join(c.brokers, ","), c.signIn, err)
}

// isKafkaSignInFailure tells the errors no retry mends: refused credentials or mechanism,
// a missing permission, a certificate one side does not trust (a TLS alert from the broker
// is its refusal of ours), a broker that hangs up at once on a client without SASL, a
// token endpoint that refuses the client (a 4xx; its 5xx may pass).
func isKafkaSignInFailure(err error) bool {
	var tokenRefused *oauth2.RetrieveError
	if errors.As(err, &tokenRefused) && tokenRefused.Response != nil && tokenRefused.Response.StatusCode < 500 {
		return true
	}
	var unknownAuthority x509.UnknownAuthorityError
	var hostname x509.HostnameError
	var invalid x509.CertificateInvalidError
	var verify *tls.CertificateVerificationError
	var notTLS tls.RecordHeaderError
	var op *net.OpError
	var hungUp *kgo.ErrFirstReadEOF
	return errors.Is(err, kerr.SaslAuthenticationFailed) || errors.Is(err, kerr.UnsupportedSaslMechanism) ||
		errors.Is(err, kerr.IllegalSaslState) || errors.Is(err, kerr.ClusterAuthorizationFailed) ||
		errors.Is(err, kerr.TopicAuthorizationFailed) || errors.Is(err, kerr.GroupAuthorizationFailed) ||
		errors.Is(err, kerr.TransactionalIDAuthorizationFailed) ||
		errors.As(err, &unknownAuthority) || errors.As(err, &hostname) || errors.As(err, &invalid) ||
		errors.As(err, &verify) || errors.As(err, &notTLS) ||
		errors.As(err, &op) && op.Op == "remote error" || // how crypto/tls reports the peer's alert
		errors.As(err, &hungUp) && !kgo.IsRetryableBrokerErr(err)
}

// conn builds the kafkaConn of brokers with these settings; an error names the flag (or
// variable) at fault and never holds a secret.
func (k *kafkaFlags) conn(brokers []string) (kafkaConn, error) {
	if k.tlsEnvErr != nil && !k.tls {
		return kafkaConn{}, k.tlsEnvErr
	}
	c := kafkaConn{brokers: brokers, signIn: "no SASL"}
	mechanism, signIn, err := k.sasl()
	if err != nil {
		return kafkaConn{}, err
	}
	if mechanism != nil {
		c.opts = append(c.opts, kgo.SASL(mechanism))
		c.signIn = signIn
	}
	tlsCfg, err := k.tlsConfig()
	if err != nil {
		return kafkaConn{}, err
	}
	if tlsCfg != nil {
		c.opts = append(c.opts, kgo.DialTLSConfig(tlsCfg))
		c.signIn += " over TLS"
	} else {
		c.signIn += " without TLS"
	}
	return c, nil
}

// tlsConfig is nil when TLS is off.
func (k *kafkaFlags) tlsConfig() (*tls.Config, error) {
	if !k.tls && k.caFile == "" && k.certFile == "" && k.keyFile == "" && k.serverName == "" {
		return nil, nil
	}
	cfg := &tls.Config{MinVersion: tls.VersionTLS12, ServerName: k.serverName}
	if k.caFile != "" {
		pool, err := systemCAsAnd("--kafka-ca-file (ACTUATE_KAFKA_CA_FILE)", k.caFile)
		if err != nil {
			return nil, err
		}
		cfg.RootCAs = pool
	}
	if (k.certFile == "") != (k.keyFile == "") {
		return nil, errors.New("--kafka-cert-file and --kafka-key-file (ACTUATE_KAFKA_CERT_FILE, ACTUATE_KAFKA_KEY_FILE) go together: give both or neither")
	}
	if k.certFile != "" {
		cert, err := tls.LoadX509KeyPair(k.certFile, k.keyFile)
		if err != nil {
			// LoadX509KeyPair's errors describe the files, never the key's bytes.
			return nil, fmt.Errorf("--kafka-cert-file/--kafka-key-file: %w", err)
		}
		cfg.Certificates = []tls.Certificate{cert}
	}
	return cfg, nil
}

// systemCAsAnd returns the system's CAs and those of the PEM file; setting names the flag
// or variable that gave the file, for errors.
func systemCAsAnd(setting, file string) (*x509.CertPool, error) {
	pem, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", setting, err)
	}
	pool, err := x509.SystemCertPool()
	if err != nil {
		pool = x509.NewCertPool()
	}
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("%s: %s holds no PEM certificate", setting, file)
	}
	return pool, nil
}

// sasl returns the mechanism of the settings (nil for none) and how it signs in, for errors.
func (k *kafkaFlags) sasl() (sasl.Mechanism, string, error) {
	name := strings.ToUpper(strings.TrimSpace(k.mechanism))
	switch name {
	case "":
		if k.username != "" || k.passwordFile != "" || k.oauthTokenURL != "" || k.oauthTokenFile != "" {
			return nil, "", errors.New("--kafka-sasl-mechanism (ACTUATE_KAFKA_SASL_MECHANISM) is empty but SASL credentials are set: name the mechanism (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512 or OAUTHBEARER)")
		}
		return nil, "", nil
	case saslPlain, saslScramSHA256, saslScramSHA512:
		if k.username == "" {
			return nil, "", fmt.Errorf("--kafka-sasl-username (ACTUATE_KAFKA_SASL_USERNAME) is required with SASL %s", name)
		}
		password, err := secretSetting("ACTUATE_KAFKA_SASL_PASSWORD", "--kafka-sasl-password-file", k.passwordFile)
		if err != nil {
			return nil, "", err
		}
		if password == "" {
			return nil, "", fmt.Errorf("SASL %s needs a password: env ACTUATE_KAFKA_SASL_PASSWORD or --kafka-sasl-password-file (ACTUATE_KAFKA_SASL_PASSWORD_FILE)", name)
		}
		signIn := fmt.Sprintf("SASL %s as user %q", name, k.username)
		switch name {
		case saslPlain:
			return plain.Auth{User: k.username, Pass: password}.AsMechanism(), signIn, nil
		case saslScramSHA256:
			return scram.Auth{User: k.username, Pass: password}.AsSha256Mechanism(), signIn, nil
		default:
			return scram.Auth{User: k.username, Pass: password}.AsSha512Mechanism(), signIn, nil
		}
	case saslOAuthBearer:
		token, err := k.oauthToken()
		if err != nil {
			return nil, "", err
		}
		signIn := "SASL OAUTHBEARER with the token of " + k.oauthTokenSource()
		return oauth.Oauth(func(ctx context.Context) (oauth.Auth, error) {
			t, err := token(ctx)
			return oauth.Auth{Token: t}, err
		}), signIn, nil
	default:
		return nil, "", fmt.Errorf("--kafka-sasl-mechanism (ACTUATE_KAFKA_SASL_MECHANISM) %q: want PLAIN, SCRAM-SHA-256, SCRAM-SHA-512 or OAUTHBEARER", k.mechanism)
	}
}

// oauthTokenSource says where OAUTHBEARER's token comes from, for errors.
func (k *kafkaFlags) oauthTokenSource() string {
	switch {
	case k.oauthTokenURL != "":
		return fmt.Sprintf("client %q at %s", k.oauthClientID, redactURL(k.oauthTokenURL))
	case k.oauthTokenFile != "":
		return k.oauthTokenFile
	}
	return "ACTUATE_KAFKA_OAUTH_TOKEN"
}

// oauthTokenTimeout bounds one call of the token endpoint.
const oauthTokenTimeout = 15 * time.Second

// oauthToken returns what gives OAUTHBEARER its token at each sign-in: the client-credentials
// grant against --kafka-oauth-token-url (golang.org/x/oauth2 caches the token until shortly
// before it expires), the file --kafka-oauth-token-file (read again each time, so whatever
// renews it is followed) or the fixed token of ACTUATE_KAFKA_OAUTH_TOKEN.
func (k *kafkaFlags) oauthToken() (func(context.Context) (string, error), error) {
	fixed := os.Getenv("ACTUATE_KAFKA_OAUTH_TOKEN")
	set := 0
	for _, given := range []bool{k.oauthTokenURL != "", k.oauthTokenFile != "", fixed != ""} {
		if given {
			set++
		}
	}
	if set != 1 {
		return nil, errors.New("SASL OAUTHBEARER needs exactly one token source: --kafka-oauth-token-url (client credentials), --kafka-oauth-token-file or env ACTUATE_KAFKA_OAUTH_TOKEN")
	}
	switch {
	case k.oauthTokenURL != "":
		secret, err := secretSetting("ACTUATE_KAFKA_OAUTH_CLIENT_SECRET", "--kafka-oauth-client-secret-file", k.oauthClientSecretFile)
		if err != nil {
			return nil, err
		}
		if k.oauthClientID == "" || secret == "" {
			return nil, errors.New("--kafka-oauth-token-url needs --kafka-oauth-client-id and a client secret (env ACTUATE_KAFKA_OAUTH_CLIENT_SECRET or --kafka-oauth-client-secret-file)")
		}
		cc := clientcredentials.Config{ClientID: k.oauthClientID, ClientSecret: secret, TokenURL: k.oauthTokenURL}
		cc.Scopes = splitList(k.oauthScopes)
		// One source for the process, so every client and connection shares its cached token.
		httpCtx := context.WithValue(context.Background(), oauth2.HTTPClient, &http.Client{Timeout: oauthTokenTimeout})
		source := cc.TokenSource(httpCtx)
		return func(context.Context) (string, error) {
			t, err := source.Token()
			if err != nil {
				return "", fmt.Errorf("OAUTHBEARER token from %s: %w", redactURL(k.oauthTokenURL), err)
			}
			return t.AccessToken, nil
		}, nil
	case k.oauthTokenFile != "":
		file := k.oauthTokenFile
		if _, err := readSecretFile("--kafka-oauth-token-file", file); err != nil {
			return nil, err
		}
		return func(context.Context) (string, error) { return readSecretFile("--kafka-oauth-token-file", file) }, nil
	default:
		return func(context.Context) (string, error) { return fixed, nil }, nil
	}
}

// secretSetting reads a secret from the environment variable envName or from the file
// given by flagName; the two together are ambiguous and refused.
func secretSetting(envName, flagName, file string) (string, error) {
	value := os.Getenv(envName)
	if file == "" {
		return value, nil
	}
	if value != "" {
		return "", fmt.Errorf("%s and %s are both set: give one", envName, flagName)
	}
	return readSecretFile(flagName, file)
}

// readSecretFile returns the file's content without its surrounding white space (an
// editor's final newline is not part of a password). Errors name the file, not what it holds.
func readSecretFile(flagName, file string) (string, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return "", fmt.Errorf("%s: %w", flagName, err)
	}
	s := strings.TrimSpace(string(b))
	if s == "" {
		return "", fmt.Errorf("%s: %s is empty", flagName, file)
	}
	return s, nil
}

// redactURL hides a password a URL may carry in its user info.
func redactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "(an unparsable URL)"
	}
	return u.Redacted()
}
