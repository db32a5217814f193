package main

import (
	"crypto/tls"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/redis/go-redis/v9"
)

// redisFlagHelp documents the forms --redis takes.
const redisFlagHelp = "Redis: host:port; a URL redis://[user:password@]host:port[/db] or rediss:// for TLS; " +
	"host:port,host:port,… for a Cluster; redis-sentinel://[user:password@]host:port[,host:port…]/MASTER[?db=N] for Sentinel " +
	"(env ACTUATE_REDIS; ACTUATE_REDIS_CA_FILE adds a CA for TLS)"

// newRedis connects to the Redis that --redis names; see redisFlagHelp.
func newRedis(spec string) (redis.UniversalClient, error) {
	spec = strings.TrimSpace(spec)
	switch {
	case spec == "":
		return nil, errors.New("--redis is empty")
	case strings.HasPrefix(spec, "redis-sentinel://"):
		return sentinelClient(spec)
	case strings.Contains(spec, "://"):
		opts, err := redis.ParseURL(spec)
		if err != nil {
			return nil, fmt.Errorf("--redis: %w", err)
		}
		if err := addCA(opts.TLSConfig); err != nil {
			return nil, err
		}
		return redis.NewClient(opts), nil
	case strings.Contains(spec, ","):
		return redis.NewClusterClient(&redis.ClusterOptions{Addrs: splitList(spec)}), nil
	default:
		return redis.NewClient(&redis.Options{Addr: spec}), nil
	}
}

func sentinelClient(spec string) (redis.UniversalClient, error) {
	u, err := url.Parse(spec)
	if err != nil {
		return nil, fmt.Errorf("--redis: %w", err)
	}
	master := strings.Trim(u.Path, "/")
	if master == "" || u.Host == "" {
		return nil, errors.New("--redis: a Sentinel URL names the sentinels and the master: redis-sentinel://host:port[,host:port]/MASTER")
	}
	opts := &redis.FailoverOptions{MasterName: master, SentinelAddrs: strings.Split(u.Host, ",")}
	if u.User != nil {
		opts.Username = u.User.Username()
		opts.Password, _ = u.User.Password()
	}
	if db := u.Query().Get("db"); db != "" {
		if opts.DB, err = strconv.Atoi(db); err != nil {
			return nil, fmt.Errorf("--redis: db %q is not a number", db)
		}
	}
	return redis.NewFailoverClient(opts), nil
}

// addCA trusts the CA of ACTUATE_REDIS_CA_FILE besides the system's, for rediss:// URLs.
func addCA(cfg *tls.Config) error {
	file := env("ACTUATE_REDIS_CA_FILE", "")
	if cfg == nil || file == "" {
		return nil
	}
	pool, err := systemCAsAnd("ACTUATE_REDIS_CA_FILE", file)
	if err != nil {
		return err
	}
	cfg.RootCAs = pool
	return nil
}
