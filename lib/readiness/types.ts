/**
 * The readiness check as plain data: what it reads (a service's effective definition and what
 * was synthesized for it) and what it gives (a status, a reason and the field to change per
 * checklist item).
 */
import type { EffectiveService, ReadinessCategory, ReadinessItem, Tier } from '../definition';
import type { DashboardPlan } from '../dashboards/types';
import type { LokiRuleGroup } from '../loki/rule-group';
import type { ScheduledJobPlan } from '../ops/scheduled-job-plan';
import type { RuleGroup } from '../prometheus/rule-group';

/** The outcome of one checklist item: `fail` blocks a production synthesis unless waived. */
export type ReadinessStatus = 'pass' | 'warn' | 'fail';

/** Every status, from the best to the worst. */
export const READINESS_STATUSES: readonly ReadinessStatus[] = Object.freeze(['pass', 'warn', 'fail'] as const);

/** A Kubernetes object as the chart writes it (its JSON), read only through narrowing. */
export interface KubeObjectJson {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name?: string; readonly namespace?: string; readonly labels?: Readonly<Record<string, string>> };
  readonly spec?: unknown;
  readonly [field: string]: unknown;
}

/**
 * What was synthesized for one service in one environment: the readiness check reads these, it
 * never builds them again. `serviceBuild(chart)` takes them from a `ServiceChart`.
 */
export interface ServiceBuild {
  /** The effective definition of the service in the environment. */
  readonly service: EffectiveService;
  /** Its Prometheus rule groups, as `serviceOutputs` built them. */
  readonly ruleGroups: readonly RuleGroup[];
  /** Its Loki rule groups, as `serviceOutputs` built them. */
  readonly logRuleGroups: readonly LokiRuleGroup[];
  /** Its scheduled jobs (certificate checks, backups, ...), each with its rule group, as `serviceOutputs` built them. */
  readonly jobs: readonly ScheduledJobPlan[];
  /** The plan of its dashboard; absent when none was synthesized. */
  readonly dashboard?: DashboardPlan;
  /** Its Kubernetes objects, as JSON. */
  readonly objects: readonly KubeObjectJson[];
}

/** A waiver as the check applied it. */
export interface AppliedWaiver {
  readonly reason: string;
  /** ISO date, the last day the waiver holds. */
  readonly expires: string;
  /** Whether `today` is after `expires`. */
  readonly expired: boolean;
}

/** The outcome of one checklist item for one service in one environment. */
export interface ReadinessResult {
  /** The item id, e.g. `operations.autoscaling`. */
  readonly item: ReadinessItem;
  readonly category: ReadinessCategory;
  /** What the item asks. */
  readonly title: string;
  readonly status: ReadinessStatus;
  /** Why, in words, from the definition and the synthesized output. */
  readonly reason: string;
  /** The definition field that decides the item: the one to change. */
  readonly field: string;
  /** The value of that field, for messages. @default not shown */
  readonly value?: unknown;
  /** The service's waiver of the item, when it has one. @default none */
  readonly waiver?: AppliedWaiver;
  /** Whether the item fails a production synthesis: a `fail` in production, not waived or waived past its expiry. */
  readonly blocking: boolean;
}

/** Number of items per status. */
export type ReadinessCounts = Readonly<Record<ReadinessStatus, number>>;

/** The checklist of one service in one environment. */
export interface ServiceReadiness {
  readonly service: string;
  readonly environment: string;
  readonly production: boolean;
  readonly tier: Tier;
  readonly team: string;
  /** One result per checklist item, in checklist order. */
  readonly items: readonly ReadinessResult[];
  readonly counts: ReadinessCounts;
  /** Items that fail a production synthesis. */
  readonly blocking: number;
}

/** The readiness of a platform. */
export interface ReadinessReport {
  readonly platform: string;
  /** The date the check was made for (ISO), which waivers and dates were compared with. */
  readonly today: string;
  /** By environment (in platform order), then service name. */
  readonly services: readonly ServiceReadiness[];
}
