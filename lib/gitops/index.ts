export * from './gitops-plan';
export * from './argo-cd-application';
export * from './app-project';
export * from './gitops-files';
