export * from './right-sizing';
export * from './right-sizing-report';
