/**
 * The library API of medline, all of it: the Node-free core (`medline/core`), Node's streams
 * and files (`medline/node`) and the command as a function (`medline/engine`).
 */
export * from './api/core.js';
export * from './api/node.js';
export * from './api/engine.js';
