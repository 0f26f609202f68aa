export * from './types';
export * from './severity';
export * from './checklist';
export * from './evaluate';
export * from './report';
export * from './render';
