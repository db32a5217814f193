// Package deploy holds what runs Actuate somewhere else than `go run`: the Helm chart
// (helm/actuate), the Grafana dashboard (grafana), the Prometheus alert rules (prometheus)
// and, at the repository's root, docker-compose.yml. Its tests are their CI, offline:
//
//   - the chart is rendered by Helm's own engine, with the default values and with every
//     option on, and each object is decoded strictly into the Kubernetes API's Go types
//     (k8s.io/api, which the API's OpenAPI schemas are generated from): an unknown or
//     misspelt field, a wrong type or a duplicate key fails. KEDA's ScaledObject is not a
//     Kubernetes type: schemas/scaledobject.json, a JSON Schema of the fields KEDA
//     defines for it, checks it. Then what the schemas cannot say: selectors select their
//     pods, probes name ports, the processors get their pod name as transactional id, the
//     Kafka scaler watches the consumer groups the processes use; each way of giving Kafka's
//     TLS and SASL becomes the ACTUATE_KAFKA_* variables cmd/actuate reads, its files
//     mounted read-only from Secrets and its passwords taken by secretKeyRef, and no secret
//     of the values shows in a ConfigMap or a plain variable;
//   - the alert rules are parsed by Prometheus's rulefmt (each expression by its PromQL
//     parser), the dashboard's queries by the PromQL parser, and every metric either
//     names is one processor/metrics registers;
//   - docker-compose.yml is validated against the Compose specification's JSON Schema
//     (compose-go embeds it), each Actuate service has a health check, and every
//     ACTUATE_KAFKA_* variable is passed from the environment, never written in the file.
package deploy
