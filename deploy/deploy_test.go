package deploy

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	composeschema "github.com/compose-spec/compose-go/v2/schema"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/common/model"
	"github.com/prometheus/prometheus/model/rulefmt"
	"github.com/prometheus/prometheus/promql/parser"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"go.yaml.in/yaml/v3"
	"helm.sh/helm/v4/pkg/chart/common"
	chartutil "helm.sh/helm/v4/pkg/chart/common/util"
	"helm.sh/helm/v4/pkg/chart/v2/lint"
	"helm.sh/helm/v4/pkg/chart/v2/lint/support"
	"helm.sh/helm/v4/pkg/chart/v2/loader"
	"helm.sh/helm/v4/pkg/engine"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/serializer"
	"k8s.io/client-go/kubernetes/scheme"

	"github.com/actuate/actuate/processor/metrics"
	"github.com/actuate/actuate/processor/router"
	"github.com/actuate/actuate/processor/sender"
)

// render renders the chart with values over its defaults, as `helm template` does.
func render(t *testing.T, values map[string]any) map[string]string {
	t.Helper()
	chrt, err := loader.Load("helm/actuate")
	if err != nil {
		t.Fatal(err)
	}
	vals, err := chartutil.ToRenderValues(chrt, values, common.ReleaseOptions{Name: "prod", Namespace: "actuate", IsInstall: true}, common.DefaultCapabilities)
	if err != nil {
		t.Fatal(err)
	}
	out, err := engine.Render(chrt, vals)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// object is one rendered document: its source, its kind and its typed form.
type object struct {
	source, kind, name string
	raw                map[string]any
	typed              runtime.Object
}

// decode splits the rendered files into objects, decoding Kubernetes' kinds strictly and
// validating the others against their JSON Schema.
func decode(t *testing.T, files map[string]string) []object {
	t.Helper()
	strict := serializer.NewCodecFactory(scheme.Scheme, serializer.EnableStrict).UniversalDeserializer()
	scaledObject := compileSchema(t, "schemas/scaledobject.json")
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	var objects []object
	for _, name := range names {
		if !strings.HasSuffix(name, ".yaml") {
			continue
		}
		dec := yaml.NewDecoder(strings.NewReader(files[name]))
		for i := 0; ; i++ {
			var raw map[string]any
			err := dec.Decode(&raw)
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatalf("%s: document %d is not YAML: %v\n%s", name, i, err, files[name])
			}
			if raw == nil {
				continue
			}
			obj := object{source: fmt.Sprintf("%s#%d", name, i), raw: raw}
			obj.kind, _ = raw["kind"].(string)
			meta, _ := raw["metadata"].(map[string]any)
			obj.name, _ = meta["name"].(string)
			doc, err := json.Marshal(raw)
			if err != nil {
				t.Fatal(err)
			}
			switch raw["apiVersion"] {
			case "keda.sh/v1alpha1":
				if err := scaledObject.Validate(jsonValue(t, doc)); err != nil {
					t.Errorf("%s: %s %s: %v", obj.source, obj.kind, obj.name, err)
				}
			default:
				typed, _, err := strict.Decode(doc, nil, nil)
				if err != nil {
					t.Errorf("%s: %s %s does not match the Kubernetes API: %v", obj.source, obj.kind, obj.name, err)
					continue
				}
				obj.typed = typed
			}
			objects = append(objects, obj)
		}
	}
	return objects
}

func compileSchema(t *testing.T, path string) *jsonschema.Schema {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource(path, jsonValue(t, data)); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile(path)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func jsonValue(t *testing.T, data []byte) any {
	t.Helper()
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// The secrets the tests give the chart: distinctive, so that finding one where it must not
// be is no accident.
const (
	testAPIToken  = "api-token-6b1f0e93"
	testSecretEnv = "amplitude-key-27c4d85a"
)

// everythingOn turns on each optional part of the chart.
var everythingOn = map[string]any{
	"workspace":      "sources:\n  - id: web\n    topic: events\n# api_key: ${env:AMPLITUDE_PROD_API_KEY}\n",
	"secrets":        map[string]any{"apiToken": testAPIToken, "env": map[string]any{"AMPLITUDE_PROD_API_KEY": testSecretEnv}},
	"env":            map[string]any{"ACTUATE_COMMIT_INTERVAL": "20ms"},
	"processor":      map[string]any{"autoscaling": map[string]any{"enabled": true}},
	"sender":         map[string]any{"autoscaling": map[string]any{"enabled": true}},
	"nodeSelector":   map[string]any{"pool": "actuate"},
	"tolerations":    []any{map[string]any{"key": "dedicated", "operator": "Equal", "value": "actuate", "effect": "NoSchedule"}},
	"podAnnotations": map[string]any{"prometheus.io/scrape": "true"},
	"serve":          map[string]any{"ingestRateLimit": 250, "ingestRateBurst": 1000000},
	"keda":           map[string]any{"authenticationRef": "kafka-scaler"},
	// Kafka over mutual TLS with SCRAM; the other sign-ins are in kafkaSecurityCases.
	"kafka": map[string]any{
		"brokers": "kafka-1:9093,kafka-2:9093",
		"tls":     map[string]any{"secretName": "kafka-tls", "certKey": "tls.crt", "keyKey": "tls.key", "serverName": "kafka.internal"},
		"sasl":    map[string]any{"mechanism": "SCRAM-SHA-512", "username": "actuate", "passwordSecret": map[string]any{"name": "kafka-sasl"}},
	},
}

// with returns values over base (a shallow copy: a key of values replaces base's).
func with(base, values map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range base {
		out[k] = v
	}
	for k, v := range values {
		out[k] = v
	}
	return out
}

var withToken = map[string]any{"secrets": map[string]any{"apiToken": testAPIToken}}

// kafkaSecurityCases are the ways kafka.tls and kafka.sasl are given, and the ACTUATE_KAFKA_*
// environment (plain values; secretKeyRef:NAME/KEY for a secret) and mounts (path: Secret)
// every process must then get.
var kafkaSecurityCases = []struct {
	name   string
	kafka  map[string]any
	env    map[string]string
	mounts map[string]string
}{
	{
		name:  "TLS with the system's CAs",
		kafka: map[string]any{"tls": map[string]any{"enabled": true}},
		env:   map[string]string{"ACTUATE_KAFKA_TLS": "true"},
	},
	{
		name: "mutual TLS and SCRAM",
		kafka: map[string]any{
			"tls":  map[string]any{"secretName": "kafka-tls", "certKey": "tls.crt", "keyKey": "tls.key", "serverName": "kafka.internal"},
			"sasl": map[string]any{"mechanism": "SCRAM-SHA-512", "username": "actuate", "passwordSecret": map[string]any{"name": "kafka-sasl"}},
		},
		env: map[string]string{
			"ACTUATE_KAFKA_TLS":            "true",
			"ACTUATE_KAFKA_CA_FILE":        "/etc/actuate-kafka/tls/ca.crt",
			"ACTUATE_KAFKA_CERT_FILE":      "/etc/actuate-kafka/tls/tls.crt",
			"ACTUATE_KAFKA_KEY_FILE":       "/etc/actuate-kafka/tls/tls.key",
			"ACTUATE_KAFKA_SERVER_NAME":    "kafka.internal",
			"ACTUATE_KAFKA_SASL_MECHANISM": "SCRAM-SHA-512",
			"ACTUATE_KAFKA_SASL_USERNAME":  "actuate",
			"ACTUATE_KAFKA_SASL_PASSWORD":  "secretKeyRef:kafka-sasl/password",
		},
		mounts: map[string]string{"/etc/actuate-kafka/tls": "kafka-tls"},
	},
	{
		name: "PLAIN over TLS with the CA under another key",
		kafka: map[string]any{
			"tls":  map[string]any{"secretName": "corp-ca", "caKey": "bundle.pem"},
			"sasl": map[string]any{"mechanism": "PLAIN", "username": "svc", "passwordSecret": map[string]any{"name": "creds", "key": "kafka"}},
		},
		env: map[string]string{
			"ACTUATE_KAFKA_TLS":            "true",
			"ACTUATE_KAFKA_CA_FILE":        "/etc/actuate-kafka/tls/bundle.pem",
			"ACTUATE_KAFKA_SASL_MECHANISM": "PLAIN",
			"ACTUATE_KAFKA_SASL_USERNAME":  "svc",
			"ACTUATE_KAFKA_SASL_PASSWORD":  "secretKeyRef:creds/kafka",
		},
		mounts: map[string]string{"/etc/actuate-kafka/tls": "corp-ca"},
	},
	{
		name: "OAUTHBEARER with a token file",
		kafka: map[string]any{
			"tls":  map[string]any{"enabled": true},
			"sasl": map[string]any{"mechanism": "OAUTHBEARER", "oauth": map[string]any{"tokenSecret": map[string]any{"name": "kafka-token"}}},
		},
		env: map[string]string{
			"ACTUATE_KAFKA_TLS":              "true",
			"ACTUATE_KAFKA_SASL_MECHANISM":   "OAUTHBEARER",
			"ACTUATE_KAFKA_OAUTH_TOKEN_FILE": "/etc/actuate-kafka/oauth/token",
		},
		mounts: map[string]string{"/etc/actuate-kafka/oauth": "kafka-token"},
	},
	{
		name: "OAUTHBEARER with client credentials",
		kafka: map[string]any{
			"tls": map[string]any{"enabled": true},
			"sasl": map[string]any{"mechanism": "OAUTHBEARER", "oauth": map[string]any{
				"tokenURL": "https://idp.example.com/oauth2/token", "clientID": "actuate", "scopes": "kafka,lag",
				"clientSecret": map[string]any{"name": "idp", "key": "secret"},
			}},
		},
		env: map[string]string{
			"ACTUATE_KAFKA_TLS":                 "true",
			"ACTUATE_KAFKA_SASL_MECHANISM":      "OAUTHBEARER",
			"ACTUATE_KAFKA_OAUTH_TOKEN_URL":     "https://idp.example.com/oauth2/token",
			"ACTUATE_KAFKA_OAUTH_CLIENT_ID":     "actuate",
			"ACTUATE_KAFKA_OAUTH_SCOPES":        "kafka,lag",
			"ACTUATE_KAFKA_OAUTH_CLIENT_SECRET": "secretKeyRef:idp/secret",
		},
	},
}

func TestChart(t *testing.T) {
	cases := map[string]map[string]any{
		"defaults":        withToken,
		"everything on":   everythingOn,
		"existing secret": {"secrets": map[string]any{"existingSecret": "mine"}},
	}
	for _, c := range kafkaSecurityCases {
		cases["kafka: "+c.name] = with(withToken, map[string]any{"kafka": c.kafka})
	}
	for name, values := range cases {
		t.Run(name, func(t *testing.T) {
			objects := decode(t, render(t, values))
			checkChart(t, objects, values)
		})
	}
}

// containers returns each workload's pod spec and container, by component.
func containers(t *testing.T, objects []object) map[string]struct {
	pod corev1.PodSpec
	c   corev1.Container
} {
	t.Helper()
	out := map[string]struct {
		pod corev1.PodSpec
		c   corev1.Container
	}{}
	for _, o := range objects {
		var tmpl corev1.PodTemplateSpec
		switch obj := o.typed.(type) {
		case *appsv1.StatefulSet:
			tmpl = obj.Spec.Template
		case *appsv1.Deployment:
			tmpl = obj.Spec.Template
		default:
			continue
		}
		out[tmpl.Labels["app.kubernetes.io/component"]] = struct {
			pod corev1.PodSpec
			c   corev1.Container
		}{tmpl.Spec, tmpl.Spec.Containers[0]}
	}
	if len(out) != 3 {
		t.Fatalf("%d workloads, want processor, sender and serve", len(out))
	}
	return out
}

// envOf returns c's ACTUATE_KAFKA_* and ACTUATE_INGEST_* variables: the value, or
// secretKeyRef:NAME/KEY for one read from a Secret.
func envOf(t *testing.T, c corev1.Container) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, e := range c.Env {
		if !strings.HasPrefix(e.Name, "ACTUATE_KAFKA_") && !strings.HasPrefix(e.Name, "ACTUATE_INGEST_") {
			continue
		}
		switch {
		case e.ValueFrom == nil:
			out[e.Name] = e.Value
		case e.ValueFrom.SecretKeyRef != nil && e.Value == "":
			out[e.Name] = "secretKeyRef:" + e.ValueFrom.SecretKeyRef.Name + "/" + e.ValueFrom.SecretKeyRef.Key
		default:
			t.Errorf("%s: %s is neither a value nor a Secret's key: %+v", c.Name, e.Name, e)
		}
	}
	return out
}

// actuateReads tells whether cmd/actuate's source names the variable (as env("NAME", …)
// or os.Getenv("NAME") do): a variable the chart or docker-compose.yml sets that no command
// reads would be a setting silently ignored.
func actuateReads(t *testing.T, name string) bool {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("..", "cmd", "actuate", "*.go"))
	if err != nil || len(files) == 0 {
		t.Fatalf("cmd/actuate: %v", err)
	}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(src, []byte(`"`+name+`"`)) {
			return true
		}
	}
	return false
}

// Each way of giving kafka.tls and kafka.sasl reaches every process as the ACTUATE_KAFKA_*
// variables the commands read, the files from the Secrets mounted read-only where those
// variables point and the passwords through secretKeyRef; by default there is none of it.
func TestChartKafkaSecurity(t *testing.T) {
	cases := append([]struct {
		name   string
		kafka  map[string]any
		env    map[string]string
		mounts map[string]string
	}{{name: "defaults"}}, kafkaSecurityCases...)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			values := withToken
			if tc.kafka != nil {
				values = with(withToken, map[string]any{"kafka": tc.kafka})
			}
			for component, w := range containers(t, decode(t, render(t, values))) {
				got := envOf(t, w.c)
				if len(got) != len(tc.env) {
					t.Errorf("%s: environment %v, want %v", component, got, tc.env)
				}
				for name, want := range tc.env {
					if got[name] != want {
						t.Errorf("%s: %s = %q, want %q", component, name, got[name], want)
					}
				}
				for name := range got {
					if !actuateReads(t, name) {
						t.Errorf("%s: %s is no variable cmd/actuate reads", component, name)
					}
				}
				// Each file variable names a file of a mounted Secret.
				for name, path := range got {
					if !strings.HasSuffix(name, "_FILE") {
						continue
					}
					dir := path[:strings.LastIndex(path, "/")]
					if _, ok := mountedVolume(w.pod, w.c, dir); !ok {
						t.Errorf("%s: %s=%s: nothing is mounted read-only at %s", component, name, path, dir)
					}
				}
				mounts := map[string]string{}
				for _, m := range w.c.VolumeMounts {
					v, readOnly := mountedVolume(w.pod, w.c, m.MountPath)
					if !readOnly {
						t.Errorf("%s: %s is mounted writable", component, m.MountPath)
					}
					if v.Secret != nil {
						mounts[m.MountPath] = v.Secret.SecretName
						if m.SubPath != "" {
							t.Errorf("%s: %s mounts a subPath: a renewed Secret would not reach the pod", component, m.MountPath)
						}
					}
				}
				if len(mounts) != len(tc.mounts) {
					t.Errorf("%s: Secrets mounted %v, want %v", component, mounts, tc.mounts)
				}
				for path, secret := range tc.mounts {
					if mounts[path] != secret {
						t.Errorf("%s: %s mounts Secret %q, want %q", component, path, mounts[path], secret)
					}
				}
			}
		})
	}
}

// serve.ingestRateLimit and serve.ingestRateBurst reach `serve` alone, as the variables
// its flags read, written as those flags parse them (a large burst is not 1e+06).
func TestChartIngestRateLimit(t *testing.T) {
	for _, tc := range []struct {
		serve map[string]any
		want  map[string]string
	}{
		{nil, map[string]string{}},
		{map[string]any{"ingestRateLimit": 500}, map[string]string{"ACTUATE_INGEST_RATE_LIMIT": "500"}},
		{map[string]any{"ingestRateLimit": 0.5, "ingestRateBurst": 1000000},
			map[string]string{"ACTUATE_INGEST_RATE_LIMIT": "0.5", "ACTUATE_INGEST_RATE_BURST": "1000000"}},
	} {
		values := withToken
		if tc.serve != nil {
			values = with(withToken, map[string]any{"serve": tc.serve})
		}
		for component, w := range containers(t, decode(t, render(t, values))) {
			want := tc.want
			if component != "serve" {
				want = map[string]string{}
			}
			got := envOf(t, w.c)
			for name := range got {
				if !actuateReads(t, name) {
					t.Errorf("%s is no variable cmd/actuate reads", name)
				}
			}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("serve %v: %s's environment %v, want %v", tc.serve, component, got, want)
			}
		}
	}
}

// Kafka settings that cannot work are refused when the chart is rendered, naming the values.
func TestChartRefusesIncompleteKafkaSettings(t *testing.T) {
	chrt, err := loader.Load("helm/actuate")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		kafka map[string]any
		want  string
	}{
		{map[string]any{"sasl": map[string]any{"mechanism": "SCRAM-SHA-256", "username": "actuate"}}, "kafka.sasl.passwordSecret.name"},
		{map[string]any{"sasl": map[string]any{"mechanism": "PLAIN", "passwordSecret": map[string]any{"name": "s"}}}, "kafka.sasl.username"},
		{map[string]any{"sasl": map[string]any{"mechanism": "OAUTHBEARER"}}, "one token source"},
		{map[string]any{"sasl": map[string]any{"mechanism": "OAUTHBEARER", "oauth": map[string]any{
			"tokenSecret": map[string]any{"name": "t"}, "tokenURL": "https://idp/token"}}}, "one token source"},
		{map[string]any{"sasl": map[string]any{"mechanism": "OAUTHBEARER", "oauth": map[string]any{"tokenURL": "https://idp/token", "clientID": "a"}}}, "kafka.sasl.oauth.clientSecret.name"},
		{map[string]any{"tls": map[string]any{"secretName": "tls", "certKey": "tls.crt"}}, "kafka.tls.keyKey"},
	} {
		vals, err := chartutil.ToRenderValues(chrt, with(withToken, map[string]any{"kafka": tc.kafka}), common.ReleaseOptions{Name: "prod", Namespace: "actuate"}, common.DefaultCapabilities)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := engine.Render(chrt, vals); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("kafka %v: rendered with %v, want an error naming %s", tc.kafka, err, tc.want)
		}
	}
}

// The chart refuses to install a control API without a token.
func TestChartRequiresAPIToken(t *testing.T) {
	chrt, err := loader.Load("helm/actuate")
	if err != nil {
		t.Fatal(err)
	}
	vals, err := chartutil.ToRenderValues(chrt, nil, common.ReleaseOptions{Name: "prod", Namespace: "actuate"}, common.DefaultCapabilities)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := engine.Render(chrt, vals); err == nil || !strings.Contains(err.Error(), "secrets.apiToken is required") {
		t.Fatalf("rendered without an API token: %v", err)
	}
}

// workload is what the checks need of a StatefulSet or Deployment.
type workload struct {
	kind, name string
	selector   map[string]string
	template   corev1.PodTemplateSpec
}

func checkChart(t *testing.T, objects []object, values map[string]any) {
	t.Helper()
	workloads := map[string]workload{} // by component
	var pdbs []*policyv1.PodDisruptionBudget
	var services []*corev1.Service
	scaled := map[string]map[string]any{}
	secrets := map[string]bool{}
	configMaps := map[string]bool{}
	for _, o := range objects {
		switch obj := o.typed.(type) {
		case *appsv1.StatefulSet:
			workloads[obj.Spec.Template.Labels["app.kubernetes.io/component"]] = workload{"StatefulSet", obj.Name, obj.Spec.Selector.MatchLabels, obj.Spec.Template}
			if obj.Spec.ServiceName == "" || obj.Spec.PodManagementPolicy != appsv1.ParallelPodManagement {
				t.Errorf("StatefulSet %s: serviceName %q, podManagementPolicy %q", obj.Name, obj.Spec.ServiceName, obj.Spec.PodManagementPolicy)
			}
		case *appsv1.Deployment:
			workloads[obj.Spec.Template.Labels["app.kubernetes.io/component"]] = workload{"Deployment", obj.Name, obj.Spec.Selector.MatchLabels, obj.Spec.Template}
		case *policyv1.PodDisruptionBudget:
			pdbs = append(pdbs, obj)
		case *corev1.Service:
			services = append(services, obj)
		case *corev1.Secret:
			secrets[obj.Name] = true
			if _, ok := obj.StringData["ACTUATE_API_TOKEN"]; !ok {
				t.Errorf("Secret %s has no ACTUATE_API_TOKEN", obj.Name)
			}
		case *corev1.ConfigMap:
			configMaps[obj.Name] = true
			// What a ConfigMap holds anyone who may read the namespace's config can read.
			for key, data := range obj.Data {
				for _, secret := range secretValues(values) {
					if strings.Contains(data, secret) {
						t.Errorf("ConfigMap %s: %s holds a secret of the values", obj.Name, key)
					}
				}
			}
		case nil:
			if o.kind == "ScaledObject" {
				scaled[o.name] = o.raw
			}
		default:
			t.Errorf("%s: unexpected kind %T", o.source, obj)
		}
	}
	want := map[string]struct {
		kind, command, port, group string
	}{
		"processor": {"StatefulSet", "process", "metrics", router.DefaultGroup},
		"sender":    {"Deployment", "send", "metrics", sender.DefaultGroup},
		"serve":     {"Deployment", "serve", "http", ""},
	}
	for component, w := range want {
		wl, ok := workloads[component]
		if !ok {
			t.Errorf("no workload for %s", component)
			continue
		}
		if wl.kind != w.kind {
			t.Errorf("%s is a %s, want a %s", component, wl.kind, w.kind)
		}
		if !labels.SelectorFromSet(wl.selector).Matches(labels.Set(wl.template.Labels)) {
			t.Errorf("%s: selector %v does not select its pods %v", component, wl.selector, wl.template.Labels)
		}
		pod := wl.template.Spec
		if len(pod.Containers) != 1 {
			t.Fatalf("%s: %d containers", component, len(pod.Containers))
		}
		c := pod.Containers[0]
		if !slices.Equal(c.Args, []string{w.command}) {
			t.Errorf("%s: args %v, want [%s]", component, c.Args, w.command)
		}
		checkProbes(t, component, c, w.port)
		env := map[string]corev1.EnvVar{}
		for _, e := range c.Env {
			if _, dup := env[e.Name]; dup {
				t.Errorf("%s: %s set twice", component, e.Name)
			}
			env[e.Name] = e
		}
		for _, name := range []string{"ACTUATE_BROKERS", "ACTUATE_REDIS", "ACTUATE_LOG_LEVEL"} {
			if _, ok := env[name]; !ok {
				t.Errorf("%s: no %s", component, name)
			}
		}
		switch component {
		case "processor":
			id := env["ACTUATE_TRANSACTIONAL_ID"]
			if id.ValueFrom == nil || id.ValueFrom.FieldRef == nil || id.ValueFrom.FieldRef.FieldPath != "metadata.name" {
				t.Errorf("processor: ACTUATE_TRANSACTIONAL_ID is not the pod's name: %+v", id)
			}
			fallthrough
		case "sender":
			if env["ACTUATE_METRICS_ADDR"].Value != "0.0.0.0:9464" {
				t.Errorf("%s: ACTUATE_METRICS_ADDR %q: the probes would not reach it", component, env["ACTUATE_METRICS_ADDR"].Value)
			}
		case "serve":
			if env["ACTUATE_LISTEN"].Value != "0.0.0.0:8080" {
				t.Errorf("serve: ACTUATE_LISTEN %q", env["ACTUATE_LISTEN"].Value)
			}
		}
		if len(c.EnvFrom) != 1 || c.EnvFrom[0].SecretRef == nil {
			t.Errorf("%s: envFrom %+v, want the secret", component, c.EnvFrom)
		} else if ref := c.EnvFrom[0].SecretRef.Name; !secrets[ref] && ref != "mine" {
			t.Errorf("%s: envFrom names secret %q, which the chart does not make", component, ref)
		}
		if _, ok := values["workspace"]; ok {
			v, mounted := mountedVolume(pod, c, "/etc/actuate")
			if env["ACTUATE_CONFIG"].Value != "/etc/actuate/workspace.yaml" || !mounted || v.ConfigMap == nil || !configMaps[v.ConfigMap.Name] {
				t.Errorf("%s: the workspace is not mounted at ACTUATE_CONFIG", component)
			}
		}
		// Every mount names a volume of the pod, and every volume is mounted.
		for _, m := range c.VolumeMounts {
			if _, ok := mountedVolume(pod, c, m.MountPath); !ok {
				t.Errorf("%s: mount %s names no volume of the pod", component, m.MountPath)
			}
		}
		if len(c.VolumeMounts) != len(pod.Volumes) {
			t.Errorf("%s: %d mounts for %d volumes", component, len(c.VolumeMounts), len(pod.Volumes))
		}
		// A secret is never a plain value of the environment.
		for _, e := range c.Env {
			for _, secret := range secretValues(values) {
				if strings.Contains(e.Value, secret) {
					t.Errorf("%s: %s holds a secret of the values in clear", component, e.Name)
				}
			}
		}
		if pod.TerminationGracePeriodSeconds == nil || *pod.TerminationGracePeriodSeconds <= 30 {
			t.Errorf("%s: terminationGracePeriodSeconds %v: Actuate's shutdown takes up to 30 s", component, pod.TerminationGracePeriodSeconds)
		}
		// Each workload has a PodDisruptionBudget selecting its pods, and only them.
		n := 0
		for _, pdb := range pdbs {
			sel := labels.SelectorFromSet(pdb.Spec.Selector.MatchLabels)
			if sel.Matches(labels.Set(wl.template.Labels)) {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%s: %d PodDisruptionBudgets select its pods, want 1", component, n)
		}
		// Autoscaling: a ScaledObject targets the workload, on its consumer group's lag.
		if w.group == "" {
			continue
		}
		so, on := scaled[wl.name]
		enabled := values[component] != nil
		if on != enabled {
			t.Errorf("%s: ScaledObject present %v, autoscaling enabled %v", component, on, enabled)
		}
		if !on {
			continue
		}
		spec := so["spec"].(map[string]any)
		ref := spec["scaleTargetRef"].(map[string]any)
		if ref["kind"] != wl.kind || ref["name"] != wl.name || ref["apiVersion"] != "apps/v1" {
			t.Errorf("%s: ScaledObject targets %v", component, ref)
		}
		trigger := spec["triggers"].([]any)[0].(map[string]any)
		meta := trigger["metadata"].(map[string]any)
		if trigger["type"] != "kafka" || meta["consumerGroup"] != w.group {
			t.Errorf("%s: trigger %v, want kafka on group %s", component, trigger, w.group)
		}
		keda, _ := values["keda"].(map[string]any)
		if ref, _ := keda["authenticationRef"].(string); ref != "" {
			if auth, _ := trigger["authenticationRef"].(map[string]any); auth["name"] != ref {
				t.Errorf("%s: trigger authenticationRef %v, want %s", component, trigger["authenticationRef"], ref)
			}
		}
	}
	for _, svc := range services {
		matched := false
		for _, wl := range workloads {
			if labels.SelectorFromSet(svc.Spec.Selector).Matches(labels.Set(wl.template.Labels)) {
				matched = true
				for _, p := range svc.Spec.Ports {
					if !hasPort(wl.template.Spec.Containers[0], p.TargetPort.String()) {
						t.Errorf("Service %s: targetPort %s is no port of %s", svc.Name, p.TargetPort.String(), wl.name)
					}
				}
			}
		}
		if !matched {
			t.Errorf("Service %s selects no pods", svc.Name)
		}
	}
}

// mountedVolume returns the pod's volume c mounts at path.
func mountedVolume(pod corev1.PodSpec, c corev1.Container, path string) (corev1.Volume, bool) {
	for _, m := range c.VolumeMounts {
		if m.MountPath != path {
			continue
		}
		for _, v := range pod.Volumes {
			if v.Name == m.Name {
				return v, m.ReadOnly
			}
		}
	}
	return corev1.Volume{}, false
}

// secretValues are the secrets values hands the chart (secrets.apiToken, secrets.env's).
func secretValues(values map[string]any) []string {
	s, _ := values["secrets"].(map[string]any)
	var out []string
	if token, _ := s["apiToken"].(string); token != "" {
		out = append(out, token)
	}
	env, _ := s["env"].(map[string]any)
	for _, v := range env {
		if v, _ := v.(string); v != "" {
			out = append(out, v)
		}
	}
	return out
}

func hasPort(c corev1.Container, name string) bool {
	for _, p := range c.Ports {
		if p.Name == name {
			return true
		}
	}
	return false
}

func checkProbes(t *testing.T, component string, c corev1.Container, port string) {
	t.Helper()
	for kind, p := range map[string]*corev1.Probe{"liveness": c.LivenessProbe, "readiness": c.ReadinessProbe, "startup": c.StartupProbe} {
		want := "/healthz"
		if kind == "readiness" {
			want = "/readyz"
		}
		if p == nil || p.HTTPGet == nil {
			t.Errorf("%s: no %s probe", component, kind)
			continue
		}
		if p.HTTPGet.Path != want || p.HTTPGet.Port.String() != port || !hasPort(c, port) {
			t.Errorf("%s: %s probe on %s port %s, want %s on the container's port %s", component, kind, p.HTTPGet.Path, p.HTTPGet.Port.String(), want, port)
		}
	}
}

// knownMetrics are the series names processor/metrics exports, histograms with their
// _bucket, _sum and _count.
func knownMetrics(t *testing.T) map[string]bool {
	t.Helper()
	reg := prometheus.NewRegistry()
	if err := metrics.New().Register(reg); err != nil {
		t.Fatal(err)
	}
	descs := make(chan *prometheus.Desc, 100)
	go func() {
		reg.Describe(descs)
		close(descs)
	}()
	known := map[string]bool{}
	for d := range descs {
		// Desc has no accessor for its name; its String() reads fqName: "…".
		s := d.String()
		i := strings.Index(s, `fqName: "`)
		if i < 0 {
			t.Fatalf("cannot read the name of %s", s)
		}
		name := s[i+len(`fqName: "`):]
		name = name[:strings.Index(name, `"`)]
		known[name] = true
		for _, suffix := range []string{"_bucket", "_sum", "_count"} {
			known[name+suffix] = true
		}
	}
	if !known[metrics.NameTokenRefreshFailures] || !known["actuate_consumer_lag"] {
		t.Fatalf("reading metric names failed: %v", known)
	}
	return known
}

// metricNames returns the metric names expr selects.
func metricNames(expr parser.Expr) []string {
	var names []string
	parser.Inspect(expr, func(n parser.Node, _ []parser.Node) error {
		if vs, ok := n.(*parser.VectorSelector); ok {
			name := vs.Name
			for _, m := range vs.LabelMatchers {
				if m.Name == model.MetricNameLabel {
					name = m.Value
				}
			}
			names = append(names, name)
		}
		return nil
	})
	return names
}

func TestAlertRules(t *testing.T) {
	data, err := os.ReadFile("prometheus/alerts.yaml")
	if err != nil {
		t.Fatal(err)
	}
	p := parser.NewParser(parser.Options{})
	groups, errs := rulefmt.Parse(data, false, model.UTF8Validation, p, slog.New(slog.DiscardHandler))
	for _, err := range errs {
		t.Error(err)
	}
	if len(errs) > 0 {
		return
	}
	known := knownMetrics(t)
	alerts := map[string]bool{}
	for _, g := range groups.Groups {
		for _, r := range g.Rules {
			alerts[r.Alert] = true
			expr, err := p.ParseExpr(r.Expr)
			if err != nil {
				t.Fatalf("%s: %v", r.Alert, err)
			}
			names := metricNames(expr)
			if len(names) == 0 {
				t.Errorf("%s uses no metric", r.Alert)
			}
			for _, name := range names {
				if !known[name] {
					t.Errorf("%s uses %s, which processor/metrics does not export", r.Alert, name)
				}
			}
			if r.Labels["severity"] == "" || r.Annotations["summary"] == "" {
				t.Errorf("%s: no severity or summary", r.Alert)
			}
		}
	}
	for _, want := range []string{"ActuateConsumerLagGrowing", "ActuateDeliveryFailureRatio", "ActuateDeadLetterRate", "ActuateTokenRefreshFailing"} {
		if !alerts[want] {
			t.Errorf("no alert %s", want)
		}
	}
}

// grafanaVariables are replaced as Grafana would before a query is parsed.
var grafanaVariables = strings.NewReplacer("$__rate_interval", "5m", "$__interval", "1m", "$instance", ".*")

func TestDashboard(t *testing.T) {
	data, err := os.ReadFile("grafana/actuate.json")
	if err != nil {
		t.Fatal(err)
	}
	var d struct {
		UID    string `json:"uid"`
		Panels []struct {
			Title   string `json:"title"`
			Targets []struct {
				Expr string `json:"expr"`
			} `json:"targets"`
		} `json:"panels"`
		Templating struct {
			List []struct {
				Name  string `json:"name"`
				Query any    `json:"query"`
			} `json:"list"`
		} `json:"templating"`
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&d); err != nil {
		t.Fatal(err)
	}
	if d.UID == "" || len(d.Panels) == 0 {
		t.Fatal("no uid or no panels")
	}
	p := parser.NewParser(parser.Options{})
	known := knownMetrics(t)
	used := map[string]bool{}
	for _, panel := range d.Panels {
		if len(panel.Targets) == 0 {
			t.Errorf("panel %q has no query", panel.Title)
		}
		for _, target := range panel.Targets {
			expr, err := p.ParseExpr(grafanaVariables.Replace(target.Expr))
			if err != nil {
				t.Errorf("panel %q: %v", panel.Title, err)
				continue
			}
			for _, name := range metricNames(expr) {
				used[name] = true
				if !known[name] {
					t.Errorf("panel %q uses %s, which processor/metrics does not export", panel.Title, name)
				}
			}
		}
	}
	for _, v := range d.Templating.List {
		if q, ok := v.Query.(map[string]any); ok {
			s, _ := q["query"].(string)
			if name, _, ok := strings.Cut(strings.TrimPrefix(s, "label_values("), ","); ok && !known[name] {
				t.Errorf("variable %s reads %s, which processor/metrics does not export", v.Name, name)
			}
		}
	}
	// What the dashboard is for: lag, outcomes, latency, retries, dead letters.
	for _, name := range []string{"actuate_consumer_lag", "actuate_instance_outcomes_total", "actuate_send_outcomes_total", "actuate_request_duration_seconds_bucket", "actuate_token_refresh_failures_total"} {
		if !used[name] {
			t.Errorf("the dashboard does not show %s", name)
		}
	}
}

func TestDockerCompose(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "docker-compose.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	if err := composeschema.Validate(doc); err != nil {
		t.Fatalf("docker-compose.yml does not follow the Compose specification: %v", err)
	}
	services, _ := doc["services"].(map[string]any)
	for _, name := range []string{"processor", "sender", "api", "kafka", "redis"} {
		svc, ok := services[name].(map[string]any)
		if !ok {
			t.Errorf("no service %s", name)
			continue
		}
		hc, _ := svc["healthcheck"].(map[string]any)
		test, _ := hc["test"].([]any)
		if len(test) == 0 {
			t.Errorf("%s has no health check", name)
		}
		if name == "processor" || name == "sender" || name == "api" {
			if len(test) < 3 || test[0] != "CMD" || test[1] != "/actuate" || test[2] != "health" {
				t.Errorf("%s: health check %v, want [CMD /actuate health URL] (the image has no shell)", name, test)
			}
			env, _ := svc["environment"].(map[string]any)
			checkComposeEnv(t, name, env, kafkaVars, "")
			if name == "api" {
				checkComposeEnv(t, name, env, []string{"ACTUATE_INGEST_RATE_LIMIT", "ACTUATE_INGEST_RATE_BURST"}, "0")
			}
		}
	}
}

// kafkaVars are the ACTUATE_KAFKA_* variables cmd/actuate reads, from its source.
var kafkaVars = func() []string {
	src, err := os.ReadFile(filepath.Join("..", "cmd", "actuate", "kafkaauth.go"))
	if err != nil {
		panic(err)
	}
	var names []string
	for _, m := range regexp.MustCompile(`"(ACTUATE_KAFKA_[A-Z_]+)"`).FindAllSubmatch(src, -1) {
		if !slices.Contains(names, string(m[1])) {
			names = append(names, string(m[1]))
		}
	}
	return names
}()

// checkComposeEnv: each of names is passed to the service from the environment docker
// compose runs in (or .env), with def when unset, and is read by cmd/actuate; none is a
// value written in the file, where a secret would be in clear.
func checkComposeEnv(t *testing.T, service string, env map[string]any, names []string, def string) {
	t.Helper()
	if len(names) < 2 {
		t.Fatalf("%s: no variables to check: %v", service, names)
	}
	for _, name := range names {
		want := "${" + name + ":-" + def + "}"
		if got, _ := env[name].(string); got != want {
			t.Errorf("docker-compose.yml: %s: %s is %q, want %q", service, name, got, want)
		}
		if !actuateReads(t, name) {
			t.Errorf("docker-compose.yml: %s: %s is no variable cmd/actuate reads", service, name)
		}
	}
}

// `helm lint`: Chart.yaml, values and templates as Helm's own linter sees them.
func TestChartLint(t *testing.T) {
	for _, values := range []map[string]any{withToken, everythingOn} {
		result := lint.RunAll("helm/actuate", values, "actuate")
		for _, m := range result.Messages {
			if m.Severity >= support.WarningSev {
				t.Errorf("helm lint: %v", m)
			} else {
				t.Logf("helm lint: %v", m)
			}
		}
	}
}

// values.schema.json refuses a misspelt value (Helm checks it on install, template and lint).
func TestChartValuesSchema(t *testing.T) {
	chrt, err := loader.Load("helm/actuate")
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []map[string]any{
		{"processor": map[string]any{"autoscalling": map[string]any{"enabled": true}}},
		{"sender": map[string]any{"autoscaling": map[string]any{"lagThreshold": 1000}}}, // KEDA wants a string
		{"logLevel": "verbose"},
		// A password is never a value: it comes from a Secret.
		{"kafka": map[string]any{"sasl": map[string]any{"mechanism": "PLAIN", "username": "u", "password": "hunter2"}}},
		{"kafka": map[string]any{"sasl": map[string]any{"mechanism": "GSSAPI"}}},
		{"serve": map[string]any{"ingestRateLimit": -1}},
		{"serve": map[string]any{"ingestRateBurst": 2.5}},
	} {
		_, err := chartutil.ToRenderValuesWithSchemaValidation(chrt, bad, common.ReleaseOptions{Name: "prod"}, common.DefaultCapabilities, false)
		if err == nil {
			t.Errorf("values %v accepted", bad)
		} else {
			t.Logf("refused as it should be: %v", err)
		}
	}
	for _, good := range []map[string]any{{"secrets": map[string]any{"apiToken": "t"}}, everythingOn} {
		if _, err := chartutil.ToRenderValuesWithSchemaValidation(chrt, good, common.ReleaseOptions{Name: "prod"}, common.DefaultCapabilities, false); err != nil {
			t.Errorf("values %v refused: %v", good, err)
		}
	}
}
