/**
 * LogQL built from the definition: the stream selector of a service's logs and the filter that
 * keeps its error lines. Dashboards, Loki rules and their tests read these, so a panel and an
 * alert count the same lines.
 */

/** Labels a log collector puts on a container's streams. */
export interface LogLabels {
  /** Label carrying the Kubernetes namespace. */
  readonly namespace: string;
  /** Label carrying the `app.kubernetes.io/name` of the pod. */
  readonly app: string;
}

/** A LogQL string literal: Go's double-quoted syntax, which Loki reads. */
export function logqlString(value: string): string {
  return JSON.stringify(value);
}

/** The stream selector of one service: `{namespace="payments", app="checkout"}`. */
export function serviceLogSelector(labels: LogLabels, service: { readonly name: string; readonly namespace: string }): string {
  return `{${labels.namespace}=${logqlString(service.namespace)}, ${labels.app}=${logqlString(service.name)}}`;
}

/**
 * The line filter that keeps error lines: a case-insensitive word `error`, `fatal`, `panic` or
 * `exception`, or a structured `level=error` / `"level":"error"`.
 */
export const ERROR_LINE_FILTER = `|~ ${logqlString('(?i)(\\b(error|fatal|panic|exception)\\b|level"?[:=]"?(error|fatal))')}`;

/** Error lines of a service per second over a window: `sum(rate({...} |~ "..." [5m]))`. */
export function errorLogRate(labels: LogLabels, service: { readonly name: string; readonly namespace: string }, window: string): string {
  return `sum(rate(${serviceLogSelector(labels, service)} ${ERROR_LINE_FILTER} [${window}]))`;
}
