/**
 * Google Cloud settings of a service: the project its monitoring lives in, the region, and the
 * public host uptime checks and certificates watch.
 * @see https://cloud.google.com/resource-manager/docs/creating-managing-projects#before_you_begin
 */
import { compact } from '../private/data';
import { Checks, DNS_SUBDOMAIN } from './checks';
import { obj, str } from './shape';

/** Google Cloud settings of a service. */
export interface GcpInput {
  /** Project ID, 6-30 characters. */
  readonly project: string;
  /** @default 'europe-west1' */
  readonly region?: string;
  /** Public host name for uptime checks and certificates. @default none (internal) */
  readonly publicHost?: string;
}

/** Normalized GCP settings. */
export interface Gcp {
  readonly project: string;
  readonly region: string;
  readonly publicHost?: string;
}

/** GCP settings when a definition gives none: the only source of the `@default`s above. */
export const GCP_DEFAULTS = Object.freeze({ region: 'europe-west1' });

const GCP_PROJECT = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;
const GCP_REGION = /^[a-z]+-[a-z]+[0-9]+$/;
const PROJECT_PROBLEM = 'must be a Google Cloud project ID: 6-30 lower-case letters, digits or "-", starting with a letter';
const REGION_PROBLEM = 'must be a Google Cloud region such as europe-west1';
const HOST_PROBLEM = 'must be a fully qualified DNS name such as shop.example.com';

/** Schema of `gcp`; in an environment override every field is optional. */
export const gcpSchema = obj({ project: str(PROJECT_PROBLEM), region: str(REGION_PROBLEM).optional(), publicHost: str(HOST_PROBLEM).optional() });

/** Schema of `gcp` in an environment override. */
export const gcpOverrideSchema = gcpSchema.partial();

/** Checks GCP settings; a partial override may leave the project to the base. */
export function checkGcp(k: Checks, gcp: Partial<GcpInput> | undefined): void {
  if (gcp === undefined) {
    return;
  }
  if (typeof gcp.project !== 'string' || !GCP_PROJECT.test(gcp.project)) {
    k.c.add('gcp.project', PROJECT_PROBLEM, gcp.project);
  }
  if (gcp.region !== undefined && !GCP_REGION.test(gcp.region)) {
    k.c.add('gcp.region', REGION_PROBLEM, gcp.region);
  }
  if (gcp.publicHost !== undefined && (!DNS_SUBDOMAIN.test(gcp.publicHost) || !gcp.publicHost.includes('.') || gcp.publicHost.length > 253 || gcp.publicHost.split('.').some((l) => l.length > 63))) {
    k.c.add('gcp.publicHost', HOST_PROBLEM, gcp.publicHost);
  }
}

/** Fills the GCP defaults. */
export function normalizeGcp(gcp: GcpInput | undefined): Gcp | undefined {
  return gcp ? compact({ project: gcp.project, region: gcp.region ?? GCP_DEFAULTS.region, publicHost: gcp.publicHost }) : undefined;
}
