/**
 * The benchmark fleet as an app definition: `FLEET_SERVICES` generated services (default 200),
 * so the example's entry points can be timed at fleet scale with the very same code.
 */
import { fleetPlatform } from '../fleet';

export const platform = fleetPlatform(Number(process.env.FLEET_SERVICES ?? 200));
