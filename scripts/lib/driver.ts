/**
 * The parts of snowflake-sdk we use beyond its public API, loaded from the driver's own files so
 * connections.toml is parsed, permission-checked and masked exactly as the driver does it.
 * Typed here with only the members we call (the dependency stays at this edge).
 */
import { createRequire } from 'node:module';
import * as path from 'node:path';

// The driver loads the AWS SDK (for stage file transfers, which we do not use); on Node 20 that
// prints a multi-line NodeVersionSupportWarning about the SDK's future releases on every start.
// It says nothing about this tool; the SDK's own switch turns it off unless the user set it.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const requireHere = createRequire(import.meta.url);
const sdkPackage = requireHere.resolve('snowflake-sdk/package.json');
const sdkLib = path.join(path.dirname(sdkPackage), 'dist', 'lib');
/** `require` that resolves from inside the driver, so its own dependencies (toml) are found. */
const requireSdk = createRequire(sdkPackage);

/** The driver's TOML parser (`toml`, the package its connections.toml loader uses). */
export const toml = requireSdk('toml') as { parse(text: string): Record<string, unknown> };

// The driver's logger writes `snowflake.log` into the working directory from its first line
// (e.g. the permission warning below). Deploy and status say what matters themselves.
const loggerCore = requireSdk(path.join(sdkLib, 'logger', 'core.js')) as { logTagToLevel(tag: string): number };
(requireSdk(path.join(sdkLib, 'logger.js')) as { default: () => { configure(options: { level: number }): void } })
  .default()
  .configure({ level: loggerCore.logTagToLevel('OFF') });

/** The driver's check of a config file's mode: throws when group/others may write it (see file_util.js). */
export const validateNoExtraPermissionsForOthersSync = (requireSdk(path.join(sdkLib, 'file_util.js')) as {
  validateNoExtraPermissionsForOthersSync(file: string): void;
}).validateNoExtraPermissionsForOthersSync;

type MaskResult = { masked: boolean; maskedtxt: string; errstr: string | null };
const SecretDetector = requireSdk(path.join(sdkLib, 'secret_detector.js')) as new () => { maskSecrets(text: string): MaskResult };
const detector = new SecretDetector();

/** The driver's own secret masking (passwords, tokens, private keys in text). */
export function driverMask(text: string): string {
  return detector.maskSecrets(text).maskedtxt;
}

/** The driver's `normalizeConnectionOptions` (also `snowflake.normalizeConnectionOptions`), without loading the whole driver. */
export const normalizeConnectionOptions = (requireSdk(path.join(sdkLib, 'connection', 'normalize_connection_options.js')) as {
  normalizeConnectionOptions(options: Record<string, unknown>): Record<string, unknown>;
}).normalizeConnectionOptions;

/** Builders of the driver's error objects, for tests of the adapter boundary. */
export const driverErrors = requireSdk(path.join(sdkLib, 'errors.js')) as {
  createOperationFailedError(code: string | number, data: unknown, message: string, sqlState?: string): Error;
  createNetworkError(code: number, cause: Error): Error;
  createInvalidParameterError(code: number, ...args: unknown[]): Error;
};

/** The driver's error code table (`ErrorCode` enum of error_code.js). */
export const driverErrorCodes = (requireSdk(path.join(sdkLib, 'error_code.js')) as { default: Record<string, number> }).default;
