/**
 * Schema validation of synthesized Kubernetes objects: built-in kinds with the `kubernetes-models`
 * package (the Kubernetes OpenAPI schema), custom resources with the `@kubernetes-models/*`
 * models where they exist and always against their CRD's `openAPIV3Schema`, which is what the
 * API server itself enforces.
 */
import * as fs from 'fs';
import * as path from 'path';
import Ajv, { ValidateFunction } from 'ajv';
import { RegExpEngine } from 'ajv/dist/types';
import { parseAllDocuments } from 'yaml';
import { packageRoot } from '../private/package-root';

/** A Kubernetes object as synthesized. */
export interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly labels?: Record<string, string> };
  readonly [field: string]: unknown;
}

interface Model {
  validate(): void;
}
type ModelClass = new (data: object) => Model;

/** The `@kubernetes-models/*` package of each API group that has one. */
const MODEL_PACKAGES: Readonly<Record<string, string>> = {
  'monitoring.coreos.com': '@kubernetes-models/prometheus-operator',
  'cert-manager.io': '@kubernetes-models/cert-manager',
  // Argo CD's kinds; Argo Rollouts' (same group) are checked against their CRDs only.
  'argoproj.io': '@kubernetes-models/argo-cd',
};

/** The module of the `kubernetes-models` model of a kind. */
function modelModule(apiVersion: string, kind: string): string {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  const models = MODEL_PACKAGES[group];
  if (models !== undefined) return `${models}/${group}/${version}/${kind}`;
  return group === '' ? `kubernetes-models/${version}/${kind}` : `kubernetes-models/${group}/${version}/${kind}`;
}

/**
 * Go's regular expressions (which the CRD patterns are written for) allow the inline flag
 * `(?i)`; JavaScript does not. The flag is dropped and the whole pattern made
 * case-insensitive, which is at most more lenient on letter case.
 */
const goRegExp: RegExpEngine = Object.assign(
  (pattern: string, flags: string) => (pattern.includes('(?i)') ? new RegExp(pattern.split('(?i)').join(''), `${flags}i`) : new RegExp(pattern, flags)),
  { code: 'goRegExp' },
);

/**
 * The folder of the CustomResourceDefinitions objects are validated against: unmodified upstream
 * copies (their PROVENANCE.md names each release), shipped with the package.
 */
export function crdDir(): string {
  return path.join(packageRoot(), 'test/fixtures/crds');
}

const crdValidators = new Map<string, ValidateFunction>();

/**
 * The validator of a custom resource kind, compiled from its CRD's openAPIV3Schema: what the API
 * server itself enforces. Formats (`int64`, ...) are not checked: the API server ignores them too.
 */
export function crdValidator(apiVersion: string, kind: string): ValidateFunction | undefined {
  if (crdValidators.size === 0) {
    const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, code: { regExp: goRegExp } });
    for (const file of fs.readdirSync(crdDir()).filter((f) => f.endsWith('.yaml')).sort()) {
      const crd = parseAllDocuments(fs.readFileSync(path.join(crdDir(), file), 'utf8'))[0].toJS() as {
        spec: { group: string; names: { kind: string }; versions: { name: string; schema: { openAPIV3Schema: object } }[] };
      };
      for (const version of crd.spec.versions) {
        crdValidators.set(`${crd.spec.group}/${version.name}/${crd.spec.names.kind}`, ajv.compile(version.schema.openAPIV3Schema));
      }
    }
  }
  return crdValidators.get(`${apiVersion}/${kind}`);
}

/** `<Kind> <namespace>/<name>`, how problems name an object. */
function objectName(object: KubeObject): string {
  return `${object.kind} ${object.metadata?.namespace ?? ''}/${object.metadata?.name}`;
}

/** Problems of a custom resource against its CRD's schema; empty when valid. */
export function crdProblems(object: KubeObject): string[] {
  const name = objectName(object);
  const validate = crdValidator(object.apiVersion, object.kind);
  if (validate === undefined) {
    return [`${name}: no CRD known for ${object.apiVersion} ${object.kind}`];
  }
  return validate(object) ? [] : (validate.errors ?? []).map((e) => `${name}: ${e.instancePath} ${e.message}`);
}

/** Custom resources without a vendored CRD, validated by their `@kubernetes-models` model alone. */
const MODEL_ONLY: ReadonlySet<string> = new Set(['argoproj.io/v1alpha1/AppProject']);

/**
 * Validates one object against its schema: built-in kinds with the `kubernetes-models` package,
 * custom resources with `@kubernetes-models/*` where modelled and always against their CRD's
 * openAPIV3Schema.
 * @returns the problems, each naming the object; empty when valid
 */
export function schemaProblems(object: KubeObject): string[] {
  const name = objectName(object);
  let Model: ModelClass | undefined;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    Model = (require(modelModule(object.apiVersion, object.kind)) as Record<string, ModelClass>)[object.kind];
  } catch {
    Model = undefined;
  }
  const problems: string[] = [];
  if (Model !== undefined) {
    try {
      new Model(object).validate();
    } catch (error) {
      problems.push(`${name}: ${(error as Error).message}`);
    }
  }
  // Custom resources are also checked against their CRD: the models may lag behind it. The
  // AppProject CRD is not vendored: its model is its only schema.
  if (object.apiVersion.includes('.') && !object.apiVersion.includes('k8s.io') && !(Model !== undefined && MODEL_ONLY.has(`${object.apiVersion}/${object.kind}`))) {
    problems.push(...crdProblems(object));
  } else if (Model === undefined) {
    problems.push(`${name}: no schema known for ${object.apiVersion} ${object.kind}`);
  }
  return problems;
}

/** Parses a multi-document YAML file into objects. */
export function loadObjects(file: string): KubeObject[] {
  return parseAllDocuments(fs.readFileSync(file, 'utf8')).map((doc) => doc.toJS() as KubeObject);
}
