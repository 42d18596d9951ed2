/**
 * Secrets never reach the terminal: every line deploy and status print, and every error message,
 * passes through {@link redact}. It removes the exact values of the secrets the loaded
 * connection holds (password, token, private key and its passphrase, …), then applies the
 * driver's own secret detector for anything that looks like one (`password=…`, PEM keys, …).
 */
import { driverMask } from './driver.js';

/** Connection option keys (driver spelling and connections.toml spelling) whose values are secret. */
export const SECRET_KEYS = new Set(
  [
    'password',
    'passcode',
    'token',
    'privateKey',
    'private_key',
    'privateKeyPass',
    'private_key_pass',
    'private_key_file_pwd',
    'private_key_passphrase',
    'privateKeyFilePwd',
    'oauthClientSecret',
    'oauth_client_secret',
    'proxyPassword',
    'proxy_password',
    'sessionToken',
    'masterToken',
  ].map((k) => k.toLowerCase()),
);

const known = new Set<string>();

/** Remembers a secret value so it is masked wherever it would be printed. */
export function registerSecret(value: unknown): void {
  if (typeof value !== 'string') return;
  const v = value.trim();
  // Very short values (e.g. "x") would mask ordinary words; the detector still covers key=value forms.
  if (v.length >= 4) known.add(v);
  // A PEM key may be printed with its line breaks escaped or removed: mask its body lines too.
  if (v.includes('-----BEGIN')) {
    for (const line of v.split(/\r?\n/)) if (line.length >= 16 && !line.startsWith('-----')) known.add(line.trim());
  }
}

/** Registers every secret-looking option of a connection options object. */
export function registerSecretsOf(options: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(options)) if (SECRET_KEYS.has(k.toLowerCase())) registerSecret(v);
}

/** Text with every known secret and everything the driver's detector finds replaced by `****`. */
export function redact(text: string): string {
  let out = text;
  // Longest first, so a secret containing another is masked whole.
  for (const s of [...known].sort((a, b) => b.length - a.length)) out = out.split(s).join('****');
  return driverMask(out);
}

/** Forgets registered secrets (tests). */
export function clearSecrets(): void {
  known.clear();
}
