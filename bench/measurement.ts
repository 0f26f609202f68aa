/** One benchmark figure: a synthesis of a fleet, in a fresh process. */
export interface Measurement {
  /** Number of services (each in 3 environments). */
  services: number;
  /** `full`, `floor` or one output side. */
  side: string;
  /** Wall time of the synthesis, milliseconds. */
  ms: number;
  /** Of which defining and validating the fleet, milliseconds. */
  defineMs: number;
  /** Peak resident memory of the process, MB. */
  maxRssMb: number;
  /** Files written. */
  files: number;
}
