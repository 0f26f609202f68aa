/** Schema validation lives in the library (lib/validate), which `ops-constructs validate` runs; the tests use the same. */
import { crdDir } from '../../lib/validate/schemas';

export { crdProblems, crdValidator, loadObjects, schemaProblems } from '../../lib/validate/schemas';
export type { KubeObject } from '../../lib/validate/schemas';

/** The CRD files the tests validate against (unmodified upstream copies). */
export const CRD_DIR = crdDir();
