export * from './role-matrix';
export * from './resource-actions';
export * from './markdown-table';
export * from './ability';
export * from './org-actions';
export * from './policies';
