export * from './users.js';
export * from './organizations.js';
export * from './teams.js';
export * from './meetings.js';
export * from './chat.js';
export * from './clerk.js';
