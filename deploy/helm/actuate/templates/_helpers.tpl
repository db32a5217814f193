{{/* Names and labels shared by every object. */}}
{{- define "actuate.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 50 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 50 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "actuate.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{/* selector labels of one component: call with (list $ "processor") */}}
{{- define "actuate.selector" -}}
{{- $root := index . 0 -}}
app.kubernetes.io/name: {{ $root.Chart.Name }}
app.kubernetes.io/instance: {{ $root.Release.Name }}
app.kubernetes.io/component: {{ index . 1 }}
{{- end -}}

{{- define "actuate.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end -}}

{{- define "actuate.secretName" -}}
{{- .Values.secrets.existingSecret | default (printf "%s-secrets" (include "actuate.fullname" .)) -}}
{{- end -}}

{{/* The ACTUATE_* environment every process shares. */}}
{{- define "actuate.env" -}}
- name: ACTUATE_BROKERS
  value: {{ .Values.kafka.brokers | quote }}
- name: ACTUATE_REDIS
  value: {{ .Values.redis.address | quote }}
- name: ACTUATE_LOG_LEVEL
  value: {{ .Values.logLevel | quote }}
{{- if .Values.workspace }}
- name: ACTUATE_CONFIG
  value: /etc/actuate/workspace.yaml
{{- end }}
{{- include "actuate.kafkaEnv" . }}
{{- range $name, $value := .Values.env }}
- name: {{ $name }}
  value: {{ $value | quote }}
{{- end }}
{{- end -}}

{{/* Where the Kafka TLS files and the OAUTHBEARER token file are mounted (not under
/etc/actuate: the workspace's ConfigMap is mounted there read-only). */}}
{{- define "actuate.kafkaTLSDir" -}}/etc/actuate-kafka/tls{{- end -}}
{{- define "actuate.kafkaOAuthDir" -}}/etc/actuate-kafka/oauth{{- end -}}

{{/* The ACTUATE_KAFKA_* settings of kafka.tls and kafka.sasl; nothing when both are off.
Secrets are never values here: files from a mounted Secret, or a secretKeyRef. */}}
{{- define "actuate.kafkaEnv" -}}
{{- $tls := .Values.kafka.tls -}}
{{- $sasl := .Values.kafka.sasl -}}
{{- $oauth := $sasl.oauth -}}
{{- if or $tls.enabled $tls.secretName }}
- name: ACTUATE_KAFKA_TLS
  value: "true"
{{- end }}
{{- if $tls.secretName }}
{{- if ne (empty $tls.certKey) (empty $tls.keyKey) }}
{{- fail "kafka.tls.certKey and kafka.tls.keyKey go together: give both (a client certificate and its key) or neither" }}
{{- end }}
{{- with $tls.caKey }}
- name: ACTUATE_KAFKA_CA_FILE
  value: {{ printf "%s/%s" (include "actuate.kafkaTLSDir" $) . | quote }}
{{- end }}
{{- if $tls.certKey }}
- name: ACTUATE_KAFKA_CERT_FILE
  value: {{ printf "%s/%s" (include "actuate.kafkaTLSDir" .) $tls.certKey | quote }}
- name: ACTUATE_KAFKA_KEY_FILE
  value: {{ printf "%s/%s" (include "actuate.kafkaTLSDir" .) $tls.keyKey | quote }}
{{- end }}
{{- end }}
{{- with $tls.serverName }}
- name: ACTUATE_KAFKA_SERVER_NAME
  value: {{ . | quote }}
{{- end }}
{{- if $sasl.mechanism }}
- name: ACTUATE_KAFKA_SASL_MECHANISM
  value: {{ $sasl.mechanism | quote }}
{{- if eq $sasl.mechanism "OAUTHBEARER" }}
{{- if eq (empty $oauth.tokenSecret.name) (empty $oauth.tokenURL) }}
{{- fail "kafka.sasl.mechanism OAUTHBEARER needs one token source: kafka.sasl.oauth.tokenSecret.name (a token file) or kafka.sasl.oauth.tokenURL (client credentials)" }}
{{- end }}
{{- if $oauth.tokenSecret.name }}
- name: ACTUATE_KAFKA_OAUTH_TOKEN_FILE
  value: {{ printf "%s/%s" (include "actuate.kafkaOAuthDir" .) $oauth.tokenSecret.key | quote }}
{{- else }}
{{- if or (not $oauth.clientID) (not $oauth.clientSecret.name) }}
{{- fail "kafka.sasl.oauth.tokenURL needs kafka.sasl.oauth.clientID and kafka.sasl.oauth.clientSecret.name (a Secret you manage)" }}
{{- end }}
- name: ACTUATE_KAFKA_OAUTH_TOKEN_URL
  value: {{ $oauth.tokenURL | quote }}
- name: ACTUATE_KAFKA_OAUTH_CLIENT_ID
  value: {{ $oauth.clientID | quote }}
{{- with $oauth.scopes }}
- name: ACTUATE_KAFKA_OAUTH_SCOPES
  value: {{ . | quote }}
{{- end }}
- name: ACTUATE_KAFKA_OAUTH_CLIENT_SECRET
  valueFrom:
    secretKeyRef:
      name: {{ $oauth.clientSecret.name | quote }}
      key: {{ $oauth.clientSecret.key | quote }}
{{- end }}
{{- else }}
{{- if or (not $sasl.username) (not $sasl.passwordSecret.name) }}
{{- fail (printf "kafka.sasl.mechanism %s needs kafka.sasl.username and kafka.sasl.passwordSecret.name (a Secret you manage holding the password)" $sasl.mechanism) }}
{{- end }}
- name: ACTUATE_KAFKA_SASL_USERNAME
  value: {{ $sasl.username | quote }}
- name: ACTUATE_KAFKA_SASL_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ $sasl.passwordSecret.name | quote }}
      key: {{ $sasl.passwordSecret.key | quote }}
{{- end }}
{{- end }}
{{- end -}}

{{- define "actuate.envFrom" -}}
- secretRef:
    name: {{ include "actuate.secretName" . }}
{{- end -}}

{{/* The OAUTHBEARER token file's Secret, when one is mounted. */}}
{{- define "actuate.kafkaOAuthSecret" -}}
{{- if eq .Values.kafka.sasl.mechanism "OAUTHBEARER" }}{{ .Values.kafka.sasl.oauth.tokenSecret.name }}{{ end -}}
{{- end -}}

{{- define "actuate.volumeMounts" -}}
{{- $oauth := include "actuate.kafkaOAuthSecret" . }}
{{- if or .Values.workspace .Values.kafka.tls.secretName $oauth }}
volumeMounts:
{{- if .Values.workspace }}
  - name: workspace
    mountPath: /etc/actuate
    readOnly: true
{{- end }}
{{- if .Values.kafka.tls.secretName }}
  - name: kafka-tls
    mountPath: {{ include "actuate.kafkaTLSDir" . }}
    readOnly: true
{{- end }}
{{- if $oauth }}
  # The whole Secret, not a subPath: a renewed token reaches the running pod.
  - name: kafka-oauth
    mountPath: {{ include "actuate.kafkaOAuthDir" . }}
    readOnly: true
{{- end }}
{{- end }}
{{- end -}}

{{- define "actuate.volumes" -}}
{{- $oauth := include "actuate.kafkaOAuthSecret" . }}
{{- if or .Values.workspace .Values.kafka.tls.secretName $oauth }}
volumes:
{{- if .Values.workspace }}
  - name: workspace
    configMap:
      name: {{ include "actuate.fullname" . }}-workspace
{{- end }}
{{- with .Values.kafka.tls.secretName }}
  - name: kafka-tls
    secret:
      secretName: {{ . | quote }}
{{- end }}
{{- if $oauth }}
  - name: kafka-oauth
    secret:
      secretName: {{ $oauth | quote }}
{{- end }}
{{- end }}
{{- end -}}

{{/* Probes on a named port: alive on /healthz, ready on /readyz. */}}
{{- define "actuate.probes" -}}
startupProbe:
  httpGet: {path: /healthz, port: {{ . }}}
  periodSeconds: 2
  failureThreshold: 30
livenessProbe:
  httpGet: {path: /healthz, port: {{ . }}}
  periodSeconds: 10
  failureThreshold: 3
readinessProbe:
  httpGet: {path: /readyz, port: {{ . }}}
  periodSeconds: 5
  failureThreshold: 2
{{- end -}}

{{- define "actuate.podSpecCommon" -}}
terminationGracePeriodSeconds: {{ .Values.terminationGracePeriodSeconds }}
securityContext:
  runAsNonRoot: true
  runAsUser: 65532
{{- with .Values.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}

{{- define "actuate.containerSecurity" -}}
securityContext:
  allowPrivilegeEscalation: false
  readOnlyRootFilesystem: true
  capabilities:
    drop: [ALL]
{{- end -}}
