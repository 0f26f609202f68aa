/**
 * The upstream documentation runbooks link to, and the external sites they may link at all:
 * everything else a runbook links is a generated page, a generated dashboard or a contact of
 * the definition.
 */

/** Upstream references the pages cite. */
export const RUNBOOK_REFERENCES = Object.freeze({
  /** The Argo Rollouts kubectl plugin: get, abort, undo, promote, retry, restart. */
  argoRollouts: 'https://argoproj.github.io/argo-rollouts/generated/kubectl-argo-rollouts/kubectl-argo-rollouts/',
  /** `kubectl rollout`: history, undo, pause, restart, status. */
  kubectlRollout: 'https://kubernetes.io/docs/reference/kubectl/generated/kubectl_rollout/',
  /** CronJobs and the Jobs they create. */
  cronJobs: 'https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/',
  /** Multiwindow, multi-burn-rate alerts on SLOs. */
  sloAlerting: 'https://sre.google/workbook/alerting-on-slos/',
  /** Blameless post-mortems. */
  postmortems: 'https://sre.google/sre-book/postmortem-culture/',
  /** Why a certificate is not issued or renewed. */
  certManager: 'https://cert-manager.io/docs/troubleshooting/',
});

/** The only external sites (beyond the platform's dashboards) a runbook links, as URL prefixes. */
export const RUNBOOK_EXTERNAL_BASES: readonly string[] = Object.freeze(['https://argoproj.github.io/argo-rollouts/', 'https://kubernetes.io/docs/', 'https://sre.google/', 'https://cert-manager.io/docs/']);
