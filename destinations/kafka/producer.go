package kafka

import (
	"context"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"net"
	"strings"
	"sync"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/sasl/plain"
	"github.com/twmb/franz-go/pkg/sasl/scram"
)

// producers holds one client per distinct connection configuration:
// creating a client means connecting and authenticating, far too costly per
// event, and every instance with the same settings can share one.
var producers = struct {
	sync.Mutex
	m map[string]*kgo.Client
}{m: map[string]*kgo.Client{}}

// Close closes every cached producer; the sender calls it on shutdown.
func Close() {
	producers.Lock()
	defer producers.Unlock()
	for k, cl := range producers.m {
		cl.Close()
		delete(producers.m, k)
	}
}

// connectionSettings are the settings that decide the connection.
var connectionSettings = []string{"clientId", "brokers", "mechanism", "username", "password", "ssl_ca", "ssl_key", "ssl_cert"}

func producerFor(s *destkit.Settings) (*kgo.Client, error) {
	h := sha256.New()
	for _, k := range connectionSettings {
		h.Write([]byte(s.Str(k)))
		h.Write([]byte{0})
	}
	if s.Bool("ssl_enabled") {
		h.Write([]byte("tls"))
	}
	if s.Bool("ssl_reject_unauthorized_ca") {
		h.Write([]byte("verify"))
	}
	key := hex.EncodeToString(h.Sum(nil))
	producers.Lock()
	defer producers.Unlock()
	if cl, ok := producers.m[key]; ok {
		return cl, nil
	}
	opts, err := clientOptions(s)
	if err != nil {
		return nil, err
	}
	cl, err := kgo.NewClient(opts...)
	if err != nil {
		return nil, &destkit.IntegrationError{Code: "KAFKA_CONFIG", Message: "kafka client: " + err.Error()}
	}
	producers.m[key] = cl
	return cl, nil
}

func clientOptions(s *destkit.Settings) ([]kgo.Opt, error) {
	var brokers []string
	for _, b := range strings.Split(s.Str("brokers"), ",") {
		if b = strings.TrimSpace(b); b != "" {
			brokers = append(brokers, b)
		}
	}
	if len(brokers) == 0 {
		return nil, configError("no brokers configured")
	}
	opts := []kgo.Opt{
		kgo.SeedBrokers(brokers...),
		kgo.ClientID(s.Str("clientId")),
		kgo.RecordPartitioner(partitioner{}),
		// Every event waits for its acknowledgement; lingering would only
		// add latency to single-event sends.
		kgo.ProducerLinger(0),
	}
	mech := s.Str("mechanism")
	var tlsCfg *tls.Config
	if s.Bool("ssl_enabled") || mech == "client-cert-auth" {
		cfg, err := tlsConfig(s)
		if err != nil {
			return nil, err
		}
		tlsCfg = cfg
	}
	// Brokers come from the destination's settings: dial them through the egress guard,
	// like every other destination connection.
	opts = append(opts, kgo.Dialer(guardedDialer(tlsCfg)))
	user, pass := s.Str("username"), s.Str("password")
	switch mech {
	case "plain":
		if user != "" {
			opts = append(opts, kgo.SASL(plain.Auth{User: user, Pass: pass}.AsMechanism()))
		}
	case "scram-sha-256":
		opts = append(opts, kgo.SASL(scram.Auth{User: user, Pass: pass}.AsSha256Mechanism()))
	case "scram-sha-512":
		opts = append(opts, kgo.SASL(scram.Auth{User: user, Pass: pass}.AsSha512Mechanism()))
	case "client-cert-auth":
		if s.Str("ssl_cert") == "" || s.Str("ssl_key") == "" {
			return nil, configError("client certificate authentication needs a certificate and a key")
		}
	default:
		return nil, configError("unsupported authentication mechanism " + mech)
	}
	return opts, nil
}

// guardedDialer dials through destkit's egress guard, with TLS on top when cfg is set
// (franz-go's own TLS dialing cannot take a dialer).
func guardedDialer(cfg *tls.Config) func(ctx context.Context, network, host string) (net.Conn, error) {
	return func(ctx context.Context, network, host string) (net.Conn, error) {
		conn, err := destkit.DialContext(ctx, network, host)
		if err != nil || cfg == nil {
			return conn, err
		}
		c := cfg.Clone()
		if c.ServerName == "" {
			if name, _, err := net.SplitHostPort(host); err == nil {
				c.ServerName = name
			}
		}
		tc := tls.Client(conn, c)
		if err := tc.HandshakeContext(ctx); err != nil {
			conn.Close()
			return nil, err
		}
		return tc, nil
	}
}

func tlsConfig(s *destkit.Settings) (*tls.Config, error) {
	cfg := &tls.Config{MinVersion: tls.VersionTLS12, InsecureSkipVerify: !s.Bool("ssl_reject_unauthorized_ca")}
	if ca := s.Str("ssl_ca"); ca != "" {
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM([]byte(ca)) {
			return nil, configError("the CA certificate is not valid PEM")
		}
		cfg.RootCAs = pool
	}
	if cert, key := s.Str("ssl_cert"), s.Str("ssl_key"); cert != "" || key != "" {
		pair, err := tls.X509KeyPair([]byte(cert), []byte(key))
		if err != nil {
			return nil, configError("client certificate: " + err.Error())
		}
		cfg.Certificates = []tls.Certificate{pair}
	}
	return cfg, nil
}

func configError(msg string) error {
	return &destkit.IntegrationError{Code: "KAFKA_CONFIG", Message: msg}
}

// produceError maps a produce failure onto the taxonomy. Broker errors say
// themselves whether they are retriable; client-side timeouts and
// cancellations are transient; anything else (record too large, topic
// authorization) will not get better by retrying.
func produceError(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) ||
		errors.Is(err, kgo.ErrRecordTimeout) || errors.Is(err, kgo.ErrRecordRetries) || kerr.IsRetriable(err) {
		return &destkit.RetryableError{Err: err}
	}
	return &destkit.IntegrationError{Code: "KAFKA_PRODUCE", Message: err.Error()}
}

// manualPartition marks records whose partition the mapping chose.
type manualPartition struct{}

// partitioner honours a mapped partition, hashes keys like the Java client
// (murmur2, so consumers co-partition with Java producers) and spreads
// keyless records round-robin.
type partitioner struct{}

func (partitioner) ForTopic(t string) kgo.TopicPartitioner {
	return &topicPartitioner{keyed: kgo.StickyKeyPartitioner(nil).ForTopic(t)}
}

type topicPartitioner struct {
	keyed kgo.TopicPartitioner
	next  int
}

func (*topicPartitioner) RequiresConsistency(*kgo.Record) bool { return true }

// Partition may return an out-of-range partition for a mapped one; the
// client then fails that record instead of writing it elsewhere.
func (p *topicPartitioner) Partition(r *kgo.Record, n int) int {
	if r.Context != nil && r.Context.Value(manualPartition{}) != nil {
		return int(r.Partition)
	}
	if r.Key != nil {
		return p.keyed.Partition(r, n)
	}
	p.next++
	return p.next % n
}
