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

// everythingOn turns on each optional part of the chart.
var everythingOn = map[string]any{
	"workspace":      "sources:\n  - id: web\n    topic: events\n",
	"secrets":        map[string]any{"apiToken": "t", "env": map[string]any{"AMPLITUDE_PROD_API_KEY": "k"}},
	"env":            map[string]any{"ACTUATE_COMMIT_INTERVAL": "20ms"},
	"processor":      map[string]any{"autoscaling": map[string]any{"enabled": true}},
	"sender":         map[string]any{"autoscaling": map[string]any{"enabled": true}},
	"nodeSelector":   map[string]any{"pool": "actuate"},
	"tolerations":    []any{map[string]any{"key": "dedicated", "operator": "Equal", "value": "actuate", "effect": "NoSchedule"}},
	"podAnnotations": map[string]any{"prometheus.io/scrape": "true"},
}

func TestChart(t *testing.T) {
	for name, values := range map[string]map[string]any{
		"defaults":        {"secrets": map[string]any{"apiToken": "t"}},
		"everything on":   everythingOn,
		"existing secret": {"secrets": map[string]any{"existingSecret": "mine"}},
	} {
		t.Run(name, func(t *testing.T) {
			objects := decode(t, render(t, values))
			checkChart(t, objects, values)
		})
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
			if env["ACTUATE_CONFIG"].Value != "/etc/actuate/workspace.yaml" || len(c.VolumeMounts) != 1 || len(pod.Volumes) != 1 ||
				pod.Volumes[0].ConfigMap == nil || !configMaps[pod.Volumes[0].ConfigMap.Name] {
				t.Errorf("%s: the workspace is not mounted at ACTUATE_CONFIG", component)
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
		}
	}
}

// `helm lint`: Chart.yaml, values and templates as Helm's own linter sees them.
func TestChartLint(t *testing.T) {
	result := lint.RunAll("helm/actuate", map[string]any{"secrets": map[string]any{"apiToken": "t"}}, "actuate")
	for _, m := range result.Messages {
		if m.Severity >= support.WarningSev {
			t.Errorf("helm lint: %v", m)
		} else {
			t.Logf("helm lint: %v", m)
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
