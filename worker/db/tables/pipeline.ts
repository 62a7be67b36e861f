// Tables of the pipeline area. Import column helpers from '../columns', never from '../schema'
// (schema.ts re-exports this file; importing it back would be a cycle).
export {};
