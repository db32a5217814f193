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
{{- range $name, $value := .Values.env }}
- name: {{ $name }}
  value: {{ $value | quote }}
{{- end }}
{{- end -}}

{{- define "actuate.envFrom" -}}
- secretRef:
    name: {{ include "actuate.secretName" . }}
{{- end -}}

{{- define "actuate.volumeMounts" -}}
{{- if .Values.workspace }}
volumeMounts:
  - name: workspace
    mountPath: /etc/actuate
    readOnly: true
{{- end }}
{{- end -}}

{{- define "actuate.volumes" -}}
{{- if .Values.workspace }}
volumes:
  - name: workspace
    configMap:
      name: {{ include "actuate.fullname" . }}-workspace
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
