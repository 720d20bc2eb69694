export * from './permissions.js';
export * from './errors.js';
export * from './api/common.js';
export * from './api/auth.js';
export * from './api/orgs.js';
export * from './api/config.js';
export * from './api/meetings.js';
export * from './deep-links.js';
