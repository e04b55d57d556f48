{{/* The five services, in the order they are rendered. */}}
{{- define "platform.serviceNames" -}}
{{- list "gateway" "user" "data" "analytics" "notification" | toJson -}}
{{- end -}}

{{- define "platform.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 50 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 50 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* The Deployment, Service, ConfigMap, HPA and PDB name of one service: (dict "root" $ "name" "user") */}}
{{- define "platform.componentName" -}}
{{- printf "%s-%s" (include "platform.fullname" .root) .name -}}
{{- end -}}

{{- define "platform.selectorLabels" -}}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .name }}
{{- end -}}

{{- define "platform.labels" -}}
{{ include "platform.selectorLabels" . }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version }}
{{- end -}}

{{- define "platform.image" -}}
{{- printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion) -}}
{{- end -}}

{{/* The Secret holding JWT_SECRET and GATEWAY_SECRET. */}}
{{- define "platform.keysSecretName" -}}
{{- .Values.secrets.existingSecret | default (printf "%s-keys" (include "platform.fullname" .)) -}}
{{- end -}}

{{/* The Secret holding the stores' connection URLs. */}}
{{- define "platform.storesSecretName" -}}
{{- .Values.stores.existingSecret | default (printf "%s-stores" (include "platform.fullname" .)) -}}
{{- end -}}

{{/* Each service's variables from the stores Secret: variable -> key. */}}
{{- define "platform.storeKeys" -}}
gateway:
  REDIS_URL: REDIS_URL
user:
  DATABASE_URL: USER_DATABASE_URL
data:
  MONGO_URL: MONGO_URL
  REDIS_URL: REDIS_URL
analytics:
  DATABASE_URL: ANALYTICS_DATABASE_URL
notification:
  DATABASE_URL: NOTIFICATION_DATABASE_URL
  REDIS_URL: REDIS_URL
{{- end -}}

{{/* The services that get JWT_SECRET: the user subgraph signs access tokens, the gateway verifies them. */}}
{{- define "platform.jwtServices" -}}
{{- list "gateway" "user" | toJson -}}
{{- end -}}

{{/*
One service's ConfigMap data: (dict "root" $ "name" "gateway"). Rendered by configmap.yaml and
hashed into the Deployment's pod annotations, so a change rolls the pods.
*/}}
{{- define "platform.configData" -}}
{{- $root := .root -}}
{{- $service := index $root.Values.services .name -}}
{{- $data := dict "SERVICE" .name "HOST" "0.0.0.0" "PORT" (toString $service.port) -}}
{{- $_ := set $data "KAFKA_BROKERS" (required "stores.kafkaBrokers is required (comma-separated host:port)" $root.Values.stores.kafkaBrokers) -}}
{{- if eq .name "gateway" -}}
{{- $_ := set $data "METRICS_HOST" "0.0.0.0" -}}
{{- $_ := set $data "METRICS_PORT" (toString $service.metricsPort) -}}
{{- range $subgraph := without (include "platform.serviceNames" $root | fromJsonArray) "gateway" -}}
{{- $url := printf "http://%s:%v/graphql" (include "platform.componentName" (dict "root" $root "name" $subgraph)) (index $root.Values.services $subgraph).port -}}
{{- $_ := set $data (printf "SUBGRAPH_URL_%s" (upper $subgraph)) $url -}}
{{- end -}}
{{- end -}}
{{- range $key, $value := $root.Values.env -}}
{{- $_ := set $data $key (toString $value) -}}
{{- end -}}
{{- range $key, $value := $service.env -}}
{{- $_ := set $data $key (toString $value) -}}
{{- end -}}
{{- toYaml $data -}}
{{- end -}}
