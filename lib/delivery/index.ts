export * from './analysis-plan';
export * from './preview-analysis';
export { AnalysisTemplate, JOB_METRIC_RESOURCES } from './analysis-template';
export type { AnalysisTemplateProps } from './analysis-template';
export * from './rollout-commands';
