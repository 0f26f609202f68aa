import * as fs from 'fs';
import * as path from 'path';
import Ajv, { ValidateFunction } from 'ajv';
import { parseAllDocuments } from 'yaml';

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

/** Packages of `kubernetes-models` models per API group. */
function modelModule(apiVersion: string, kind: string): string {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  if (group === 'monitoring.coreos.com') {
    return `@kubernetes-models/prometheus-operator/${group}/${version}/${kind}`;
  }
  return group === '' ? `kubernetes-models/${version}/${kind}` : `kubernetes-models/${group}/${version}/${kind}`;
}

const crdValidators = new Map<string, ValidateFunction>();

/** Validators built from the CRD files' openAPIV3Schema: what the API server itself enforces. */
function crdValidator(apiVersion: string, kind: string): ValidateFunction | undefined {
  const key = `${apiVersion}/${kind}`;
  if (crdValidators.size === 0) {
    const dir = path.resolve(__dirname, '../../../shared/crds');
    const ajv = new Ajv({ strict: false, allErrors: true });
    for (const file of fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort() : []) {
      const crd = parseAllDocuments(fs.readFileSync(path.join(dir, file), 'utf8'))[0].toJS() as {
        spec: { group: string; names: { kind: string }; versions: { name: string; schema: { openAPIV3Schema: object } }[] };
      };
      for (const version of crd.spec.versions) {
        crdValidators.set(`${crd.spec.group}/${version.name}/${crd.spec.names.kind}`, ajv.compile(version.schema.openAPIV3Schema));
      }
    }
  }
  return crdValidators.get(key);
}

/**
 * Validates one object against its schema: built-in kinds and prometheus-operator kinds with the
 * `kubernetes-models` packages, other custom resources against their CRD's openAPIV3Schema.
 * @returns the problems, each naming the object; empty when valid
 */
export function schemaProblems(object: KubeObject): string[] {
  const name = `${object.kind} ${object.metadata?.namespace ?? ''}/${object.metadata?.name}`;
  let Model: ModelClass | undefined;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    Model = (require(modelModule(object.apiVersion, object.kind)) as Record<string, ModelClass>)[object.kind];
  } catch {
    Model = undefined;
  }
  if (Model !== undefined) {
    try {
      new Model(object).validate();
      return [];
    } catch (error) {
      return [`${name}: ${(error as Error).message}`];
    }
  }
  const validate = crdValidator(object.apiVersion, object.kind);
  if (validate === undefined) {
    return [`${name}: no schema known for ${object.apiVersion} ${object.kind}`];
  }
  return validate(object) ? [] : (validate.errors ?? []).map((e) => `${name}: ${e.instancePath} ${e.message}`);
}

/** Parses a multi-document YAML file into objects. */
export function loadObjects(file: string): KubeObject[] {
  return parseAllDocuments(fs.readFileSync(file, 'utf8')).map((doc) => doc.toJS() as KubeObject);
}
