export * from './analysis-plan';
export { AnalysisTemplate } from './analysis-template';
export type { AnalysisTemplateProps } from './analysis-template';
