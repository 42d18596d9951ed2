/**
 * The local Snowflake over Snowflake's wire protocol: `startServer` (see server.ts), which
 * snowflake-sdk connects to with `accessUrl: server.url`.
 */
export { startServer, type LocalServer, type ServerOptions } from './server.js';
