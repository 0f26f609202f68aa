export * from './hypothesis';
export * from './game-day-plan';
export * from './game-day-experiment';
export * from './game-day-runbook';
export * from './game-day-files';
