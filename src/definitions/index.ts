// The definitions layer's surface, for the other layers of src (users import from src/index.ts).

export * from './asset.js';
export * from './context.js';
export * from './duration.js';
export * from './errors.js';
export * from './pipeline.js';
export * from './policies.js';
export * from './producers.js';
export * from './retry.js';
export * from './schema.js';
export { deepFreeze, parseSpec } from './validate.js';
