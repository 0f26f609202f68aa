/**
 * A dashboard delivered the Kubernetes way: a ConfigMap the Grafana sidecar (kiwigrid
 * k8s-sidecar, as the Grafana Helm chart and kube-prometheus-stack run it) picks up by its
 * `grafana_dashboard` label and files into the Grafana folder its `grafana_folder` annotation
 * names.
 * @see https://github.com/kiwigrid/k8s-sidecar#configuration-environment-variables
 * @see https://github.com/grafana/helm-charts/tree/main/charts/grafana#sidecar-for-dashboards
 * @see https://kubernetes.io/docs/concepts/configuration/configmap/#motivation
 */
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { DefinitionError } from '../definition/errors';
import { DashboardPlan } from '../dashboards/types';

/** The label the sidecar selects dashboards by (`sidecar.dashboards.label`), and its value. */
export const DASHBOARD_LABEL = Object.freeze({ name: 'grafana_dashboard', value: '1' });

/**
 * The annotation naming the folder a dashboard goes in: the sidecar reads it when
 * `sidecar.dashboards.folderAnnotation: grafana_folder` and
 * `sidecar.dashboards.provider.foldersFromFilesStructure: true` are set.
 */
export const FOLDER_ANNOTATION = 'grafana_folder';

/** The most a ConfigMap may hold, keys and values together, in bytes: 1 MiB, as the API server checks. */
export const CONFIG_MAP_LIMIT_BYTES = 1024 * 1024;

/** A folder name the sidecar can write: path segments of letters, digits, spaces, `.`, `_` and `-`, none of them `.` or `..`. */
const FOLDER = /^(?!\.\.?(?:\/|$))[A-Za-z0-9 _.-]+(?:\/(?!\.\.?(?:\/|$))[A-Za-z0-9 _.-]+)*$/;

/** The bytes a ConfigMap's data holds as the API server counts them: every key and value in UTF-8. */
export function configMapDataBytes(data: Readonly<Record<string, string>>): number {
  return Object.entries(data).reduce((sum, [key, value]) => sum + Buffer.byteLength(key, 'utf8') + Buffer.byteLength(value, 'utf8'), 0);
}

/** Throws a `DefinitionError` when a dashboard's ConfigMap data would exceed the 1 MiB limit. */
export function assertConfigMapSize(plan: Pick<DashboardPlan, 'uid' | 'title'>, data: Readonly<Record<string, string>>): void {
  const bytes = configMapDataBytes(data);
  if (bytes > CONFIG_MAP_LIMIT_BYTES) {
    throw new DefinitionError(`dashboard ${plan.uid} (${plan.title})`, [
      {
        path: `dashboard ${plan.uid}`,
        problem: `must fit in a ConfigMap, at most ${CONFIG_MAP_LIMIT_BYTES} bytes (1 MiB) of data; it renders to ${bytes} bytes: move added rows to a dashboard of their own or drop panels`,
        value: bytes,
      },
    ]);
  }
}

/** Properties of a `DashboardConfigMap`. */
export interface DashboardConfigMapProps {
  /** The dashboard's plan: its UID names the data key. */
  readonly plan: DashboardPlan;
  /** The rendered dashboard JSON. */
  readonly json: string;
  /** Name of the ConfigMap, a DNS subdomain. */
  readonly name: string;
  /** Namespace the sidecar watches (`platform.dashboards.namespace`). */
  readonly namespace: string;
  /** Grafana folder, as the `grafana_folder` annotation. @default the plan's folder */
  readonly folder?: string;
  /** Labels besides the sidecar's. @default none */
  readonly labels?: Readonly<Record<string, string>>;
}

/**
 * One dashboard as a ConfigMap for the Grafana sidecar: data key `<uid>.json`, label
 * `grafana_dashboard: "1"`, annotation `grafana_folder: <folder>`. Fails synthesis with a
 * `DefinitionError` when the dashboard exceeds the ConfigMap limit or the folder is not a
 * path the sidecar can write.
 */
export class DashboardConfigMap extends Construct {
  /** The ConfigMap. */
  public readonly configMap: k8s.KubeConfigMap;
  /** The folder the dashboard goes in. */
  public readonly folder: string;

  constructor(scope: Construct, id: string, props: DashboardConfigMapProps) {
    super(scope, id);
    const folder = props.folder ?? props.plan.folder;
    if (!FOLDER.test(folder)) {
      throw new DefinitionError(`dashboard ${props.plan.uid} (${props.plan.title})`, [
        { path: `[${this.node.path}] folder`, problem: 'must be a relative folder path: segments of letters, digits, spaces, ".", "_" or "-", separated by "/", none of them "." or ".."', value: folder },
      ]);
    }
    const data = { [`${props.plan.uid}.json`]: props.json };
    assertConfigMapSize(props.plan, data);
    this.folder = folder;
    this.configMap = new k8s.KubeConfigMap(this, 'Resource', {
      metadata: {
        name: props.name,
        namespace: props.namespace,
        labels: { ...props.labels, [DASHBOARD_LABEL.name]: DASHBOARD_LABEL.value },
        annotations: { [FOLDER_ANNOTATION]: folder },
      },
      data,
    });
  }
}
