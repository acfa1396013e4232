export * from './role-matrix';
export * from './ability';
