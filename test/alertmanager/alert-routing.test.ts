import { AlertmanagerConfig as AlertmanagerConfigModel } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1alpha1/AlertmanagerConfig';
import { Chart, Testing } from 'cdk8s';
import { shop } from '../fixtures/shop';
import { AlertRouting } from '../../lib/alertmanager/alert-routing';
import { PlatformDefinition } from '../../lib/definition';
import { crdValidator } from '../support/schema';
import { definitionErrorOf } from '../support/tools';

/** A Kubernetes object as synthesized. */
interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace: string; readonly labels: Record<string, string> };
  readonly spec: Record<string, unknown>;
}

function synth(props: { platform?: PlatformDefinition; environment?: string; namespace?: string; labels?: Record<string, string> } = {}): KubeObject {
  const chart = new Chart(Testing.app(), 'prod');
  new AlertRouting(chart, 'routing', { platform: props.platform ?? shop, environment: props.environment ?? 'prod', namespace: props.namespace ?? 'payments', labels: props.labels });
  const objects = Testing.synth(chart) as KubeObject[];
  expect(objects).toHaveLength(1);
  return objects[0];
}

/** The synthesized object as the data the schema model takes. */
function asModelData(object: KubeObject): ConstructorParameters<typeof AlertmanagerConfigModel>[0] {
  return object as unknown as ConstructorParameters<typeof AlertmanagerConfigModel>[0];
}


describe('AlertRouting', () => {
  const object = synth();

  it('emits one AlertmanagerConfig named after the namespace, in that namespace', () => {
    expect(object.apiVersion).toBe('monitoring.coreos.com/v1alpha1');
    expect(object.kind).toBe('AlertmanagerConfig');
    expect(object.metadata.name).toBe('payments-alert-routing');
    expect(object.metadata.namespace).toBe('payments');
  });

  it('labels the object with the platform and the managing library only, by default', () => {
    expect(object.metadata.labels).toEqual({ 'app.kubernetes.io/part-of': 'shop', 'app.kubernetes.io/managed-by': 'ops-constructs' });
  });

  it('adds extra labels without letting them replace its own', () => {
    const labelled = synth({ labels: { alertmanagerConfig: 'shop', 'app.kubernetes.io/managed-by': 'someone-else' } });
    expect(labelled.metadata.labels).toEqual({
      alertmanagerConfig: 'shop',
      'app.kubernetes.io/part-of': 'shop',
      'app.kubernetes.io/managed-by': 'ops-constructs',
    });
  });

  it('routes the services of its namespace with the field names of the CRD', () => {
    const receivers = object.spec.receivers as Array<Record<string, unknown>>;
    expect(receivers.find((r) => r.name === 'payments-chat')).toEqual({
      name: 'payments-chat',
      slackConfigs: [{ apiURL: { name: 'slack-webhooks', key: 'payments' }, channel: '#payments-alerts', sendResolved: true }],
    });
    expect(receivers.find((r) => r.name === 'payments-pager')).toEqual({
      name: 'payments-pager',
      pagerdutyConfigs: [{ routingKey: { name: 'pagerduty-payments', key: 'routing-key' }, sendResolved: true }],
    });
    const routes = (object.spec.route as { routes: Array<{ matchers: Array<{ value: string }> }> }).routes;
    expect(routes.map((r) => r.matchers[0].value)).toEqual(['checkout', 'notifier']);
  });

  it('exposes the object name and the services routed', () => {
    const chart = new Chart(Testing.app(), 'prod');
    const routing = new AlertRouting(chart, 'routing', { platform: shop, environment: 'prod', namespace: 'merchandising' });
    expect(routing.name).toBe('merchandising-alert-routing');
    expect(routing.services).toEqual(['catalog']);
  });

  it('is valid for the @kubernetes-models/prometheus-operator schema', () => {
    for (const namespace of ['payments', 'merchandising']) {
      for (const environment of ['dev', 'staging', 'prod']) {
        expect(() => new AlertmanagerConfigModel(asModelData(synth({ namespace, environment }))).validate()).not.toThrow();
      }
    }
  });

  it('would be caught by the @kubernetes-models schema if a matcher were malformed', () => {
    // Child routes are free-form in this API version; inhibition matchers are checked.
    const rule = { sourceMatch: [{ name: 'severity', value: 'critical', matchType: '==' }], targetMatch: [{ name: 'severity', value: 'high', matchType: '=' }], equal: ['service'] };
    const broken = { ...object, spec: { ...object.spec, inhibitRules: [rule] } };
    expect(() => new AlertmanagerConfigModel(asModelData(broken)).validate()).toThrow(/matchType/);
  });

  it('is valid for the openAPIV3Schema of the CRD', () => {
    const validate = crdValidator('monitoring.coreos.com/v1alpha1', 'AlertmanagerConfig')!;
    for (const namespace of ['payments', 'merchandising']) {
      for (const environment of ['dev', 'staging', 'prod']) {
        const valid = validate(synth({ namespace, environment }));
        expect(validate.errors ?? []).toEqual([]);
        expect(valid).toBe(true);
      }
    }
  });

  it('would be caught by the CRD schema if a time interval were malformed', () => {
    const validate = crdValidator('monitoring.coreos.com/v1alpha1', 'AlertmanagerConfig')!;
    const spec = object.spec as { muteTimeIntervals: Array<{ name: string; timeIntervals: Array<Record<string, unknown>> }> };
    const broken = { ...object, spec: { ...object.spec, muteTimeIntervals: [{ name: 'business-hours', timeIntervals: [{ ...spec.muteTimeIntervals[0].timeIntervals[0], weekdays: ['funday'] }] }] } };
    expect(validate(broken)).toBe(false);
    expect(validate.errors?.[0].instancePath).toBe('/spec/muteTimeIntervals/0/timeIntervals/0/weekdays/0');
  });

  it('matches the reviewed snapshot', () => {
    expect(object).toMatchSnapshot();
  });

  it('refuses a platform that did not come from definePlatform, naming the construct path', () => {
    const { 'payments-chat': _dropped, ...receivers } = shop.receivers;
    const broken: PlatformDefinition = { ...shop, receivers };
    expect(definitionErrorOf(() => synth({ platform: broken }))).toBe(
      'Invalid alert routing "routing" (1 problem):\n  - [prod/routing] platform: must be a platform from definePlatform (got "shop")',
    );
  });

  it('rejects a namespace without services', () => {
    expect(definitionErrorOf(() => synth({ namespace: 'nobody' }))).toBe(
      'Invalid alert routing "routing" (1 problem):\n  - [prod/routing] namespace: must hold a service of platform shop in prod (merchandising, payments) (got "nobody")',
    );
  });

  it('rejects an unknown environment', () => {
    expect(definitionErrorOf(() => synth({ environment: 'qa' }))).toBe(
      'Invalid alert routing "routing" (1 problem):\n  - [prod/routing] environment: must be an environment of platform shop (dev, staging, prod) (got "qa")',
    );
  });

});
