/**
 * Writes an alert policy of the plain policy content as a provider resource: text kept literal
 * for Terraform, filters with the referenced resources' names, the receiver's channel.
 */
import { MonitoringAlertPolicy } from '@cdktf/provider-google/lib/monitoring-alert-policy';
import { Construct } from 'constructs';
import { terraformLiteral } from '../private/terraform';
import { GcpNotificationChannels } from './notification-channels';
import { GCP_SEVERITY, GcpAlertPolicy, GcpConditionReferences, conditionFilter } from './policies';

/**
 * The `google_monitoring_alert_policy` of a policy, under `scope` with the policy's `id`.
 * @see https://registry.terraform.io/providers/hashicorp/google/6.50.0/docs/resources/monitoring_alert_policy
 */
export function alertPolicyResource(
  scope: Construct,
  project: string,
  policy: GcpAlertPolicy,
  channels: GcpNotificationChannels,
  references: GcpConditionReferences,
): MonitoringAlertPolicy {
  const { documentation } = policy;
  return new MonitoringAlertPolicy(scope, policy.id, {
    project,
    displayName: terraformLiteral(policy.displayName),
    combiner: policy.combiner,
    conditions: policy.conditions.map((condition) => ({
      displayName: terraformLiteral(condition.displayName),
      conditionThreshold: {
        filter: conditionFilter(condition.source, references),
        ...(condition.aggregations === undefined
          ? {}
          : { aggregations: condition.aggregations.map(({ groupByFields, ...a }) => ({ ...a, ...(groupByFields === undefined ? {} : { groupByFields: [...groupByFields] }) })) }),
        comparison: condition.comparison,
        thresholdValue: condition.thresholdValue,
        duration: condition.duration,
        trigger: { count: condition.triggerCount },
      },
    })),
    severity: GCP_SEVERITY[policy.severity],
    notificationChannels: channels.channelsOf(project, policy.receiver),
    userLabels: { ...policy.userLabels },
    documentation: {
      mimeType: 'text/markdown',
      subject: terraformLiteral(documentation.subject),
      content: terraformLiteral(documentation.content),
      links: [{ displayName: 'Runbook', url: terraformLiteral(documentation.runbook) }],
    },
  });
}
