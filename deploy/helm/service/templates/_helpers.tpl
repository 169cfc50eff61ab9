{{/* The service's name; every object is named after it. */}}
{{- define "service.name" -}}
{{- .Values.name -}}
{{- end }}

{{/* Prefix of the service's settings in the environment: users -> USERS. */}}
{{- define "service.envPrefix" -}}
{{- .Values.name | upper | replace "-" "_" -}}
{{- end }}

{{/* Labels every object carries. No chart version or release name: the committed render must
not change when only the chart's packaging does. */}}
{{- define "service.labels" -}}
app.kubernetes.io/name: {{ include "service.name" . }}
app.kubernetes.io/instance: {{ include "service.name" . }}
app.kubernetes.io/part-of: fleet
app.kubernetes.io/managed-by: fleet-render
{{- end }}

{{/* The labels of the serving pods: what the Deployment, Service and PodDisruptionBudget select
(the migration Job's pods differ in component). Never change them: selectors are immutable. */}}
{{- define "service.selectorLabels" -}}
app.kubernetes.io/name: {{ include "service.name" . }}
app.kubernetes.io/instance: {{ include "service.name" . }}
app.kubernetes.io/component: server
{{- end }}

{{/* Flatten nested settings into PREFIX__SECTION__KEY: "value" lines (keys sorted: Go
templates range over maps in key order, so the render is deterministic). */}}
{{- define "service.flattenSettings" -}}
{{- $prefix := .prefix -}}
{{- range $key, $value := .settings }}
{{- $name := printf "%s__%s" $prefix ($key | upper) }}
{{- if kindIs "map" $value }}
{{- include "service.flattenSettings" (dict "prefix" $name "settings" $value) }}
{{- else }}
{{ $name }}: {{ $value | toString | quote }}
{{- end }}
{{- end }}
{{- end }}

{{/* Every non-secret setting: what the chart derives (port, grace, listen address; no
migrations at start where the migration Job runs them, whose `migrate` ignores that flag; the
tracing section) and the service's config. The chart's own keys win, so the probes and the port
always agree. */}}
{{- define "service.settings" -}}
{{- $tracing := dict "enabled" .Values.tracing.enabled "endpoint" .Values.tracing.endpoint "sampling_ratio" .Values.tracing.samplingRatio -}}
{{- $fixed := dict "http" (dict "host" "0.0.0.0" "port" .Values.http.port "grace_period" .Values.http.gracePeriodSeconds) "tracing" $tracing -}}
{{- if .Values.migrations.enabled }}
{{- $_ := set $fixed "database" (dict "migrate_at_start" false) -}}
{{- end }}
{{- $settings := mustMergeOverwrite (deepCopy .Values.config) $fixed -}}
{{- include "service.flattenSettings" (dict "prefix" (include "service.envPrefix" .) "settings" $settings) }}
{{- end }}

{{/* Secret references as container env entries (names and keys only; values stay in the
cluster). */}}
{{- define "service.secretEnv" -}}
{{- $prefix := include "service.envPrefix" . -}}
{{- range $suffix, $ref := .Values.secretEnv }}
- name: {{ printf "%s__%s" $prefix $suffix }}
  valueFrom:
    secretKeyRef:
      name: {{ $ref.secret }}
      key: {{ $ref.key }}
{{- end }}
{{- end }}

{{/* The container security context every Fleet container runs with. */}}
{{- define "service.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
runAsNonRoot: true
capabilities:
  drop: ["ALL"]
{{- end }}

{{/* The pod security context: non-root, and the runtime's default seccomp profile. */}}
{{- define "service.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 10001
runAsGroup: 10001
fsGroup: 10001
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{- define "service.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag }}
{{- end }}

{{/* The secrets the repository once shipped for local use (chassis.config.development_secrets
has the same list): public, so a render holding one fails. The render serves every environment,
and dev's secrets live in the cluster like everyone's, so there is no exception here. */}}
{{- define "service.developmentSecrets" -}}
{{- list "fleet-local-only" "users-local-only" "tasks-local-only" "devices-local-only" "$argon2id$v=19$m=65536,t=3,p=4$B7bxcEqQFPU/EhFoLfrawA$QpdEWLh8WyWxe7/AExaU6I9cF8uwwKk7Fm8ESyn8BQ8" | toJson -}}
{{- end }}

{{/* The dotted paths of the values holding a development secret, one a line. */}}
{{- define "service.pathsWithDevelopmentSecrets" -}}
{{- $path := .path -}}
{{- if kindIs "map" .value }}
{{- range $key, $item := .value }}
{{- include "service.pathsWithDevelopmentSecrets" (dict "path" (ternary $key (printf "%s.%s" $path $key) (eq $path "")) "value" $item) }}
{{- end }}
{{- else if kindIs "slice" .value }}
{{- range $index, $item := .value }}
{{- include "service.pathsWithDevelopmentSecrets" (dict "path" (printf "%s.%d" $path $index) "value" $item) }}
{{- end }}
{{- else }}
{{- $text := toString .value -}}
{{- range include "service.developmentSecrets" . | fromJsonArray }}
{{- if contains . $text }}
{{ $path }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}

{{/* Fails the render when any value holds a development secret, naming each. */}}
{{- define "service.refuseDevelopmentSecrets" -}}
{{- $paths := include "service.pathsWithDevelopmentSecrets" (dict "path" "" "value" .Values) | trim | splitList "\n" | uniq | compact -}}
{{- if $paths }}
{{- fail (printf "values %s hold a development secret published in the repository: put your own secret in a Kubernetes Secret (secretEnv), never in values" (join ", " $paths)) }}
{{- end }}
{{- end }}
