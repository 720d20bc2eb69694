/** Declared with the HTTP contract in shared/; re-exported for the routes not yet registered from it. */
export { resourceErrorResponses } from '@collaro/shared';
