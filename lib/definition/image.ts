/**
 * The container image of a service: a reference pinned by tag or digest, and the version
 * label derived from it.
 * @see https://github.com/distribution/reference/blob/main/reference.go
 */
import { Checks, LABEL_VALUE } from './checks';
import { str } from './shape';

/** The message when an image is not a reference at all. */
export const IMAGE_PROBLEM = 'must be a container image reference such as registry.example.com/team/app:1.2.3';

/** Schema of an image reference (its content is checked by `checkImage`). */
export const imageSchema = str(IMAGE_PROBLEM);

const IMAGE_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const IMAGE_DIGEST = /^sha256:[a-f0-9]{64}$/;
/** A repository path, optionally after a registry host (and port): lower-case components. */
const IMAGE_REPOSITORY = /^(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*(?::\d+)?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
/** Longest image reference the distribution spec accepts for a repository name, plus tag and digest. */
const MAX_IMAGE_LENGTH = 255 + 1 + 128 + 1 + 71;

/** A parsed image reference. */
export interface ImageReference {
  readonly repository: string;
  readonly tag?: string;
  readonly digest?: string;
}

/** Splits `registry/repo:tag@sha256:...` into its parts. */
export function parseImage(image: string): ImageReference {
  const at = image.indexOf('@');
  const withoutDigest = at === -1 ? image : image.slice(0, at);
  const digest = at === -1 ? undefined : image.slice(at + 1);
  const slash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.lastIndexOf(':');
  const hasTag = colon > slash;
  return {
    repository: hasTag ? withoutDigest.slice(0, colon) : withoutDigest,
    tag: hasTag ? withoutDigest.slice(colon + 1) : undefined,
    digest,
  };
}

/** The version an image implies: its tag, or the first 12 hex digits of its digest. */
export function versionOf(image: string): string {
  const ref = parseImage(image);
  if (ref.tag !== undefined) {
    return ref.tag;
  }
  return (ref.digest ?? '').replace(/^sha256:/, '').slice(0, 12);
}

/** Whether a value can serve as a Kubernetes label value. */
export function isLabelValue(value: unknown): value is string {
  return typeof value === 'string' && LABEL_VALUE.test(value) && value.length <= 63;
}

/** Checks an image reference: well-formed, pinned by tag or digest. */
export function checkImage(k: Checks, field: string, image: string): boolean {
  const before = k.c.count;
  if (image.length === 0 || /\s/.test(image) || image.length > MAX_IMAGE_LENGTH) {
    k.c.add(field, IMAGE_PROBLEM, image);
    return false;
  }
  const ref = parseImage(image);
  if (!IMAGE_REPOSITORY.test(ref.repository)) {
    k.c.add(field, 'has a malformed repository: lower-case letters, digits, ".", "_" and "-" in "/"-separated parts, optionally after a registry host', image);
  } else if (ref.digest !== undefined && !IMAGE_DIGEST.test(ref.digest)) {
    k.c.add(field, 'has a malformed digest: expected sha256: and 64 hex digits', image);
  } else if (ref.tag !== undefined && !IMAGE_TAG.test(ref.tag)) {
    k.c.add(field, 'has a malformed tag: letters, digits, "_", "." and "-", at most 128', image);
  } else if (ref.tag === undefined && ref.digest === undefined) {
    k.c.add(field, 'must be pinned with a tag or a digest (e.g. app:1.2.3 or app@sha256:...)', image);
  }
  return k.c.count === before;
}

/** Checks an explicit version, or that the image's tag can serve as the version label. */
export function checkVersion(k: Checks, image: string, imageOk: boolean, version: string | undefined): void {
  if (version !== undefined && !isLabelValue(version)) {
    k.c.add('version', 'must be a Kubernetes label value: at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit', version);
  } else if (version === undefined && imageOk) {
    const tag = parseImage(image).tag;
    if (tag !== undefined && !isLabelValue(tag)) {
      k.c.add('image', 'has a tag that cannot serve as the version label (at most 63 characters, starting and ending with a letter or digit); set version explicitly', image);
    }
  }
}
