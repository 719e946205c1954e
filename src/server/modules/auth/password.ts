import { randomBytes, scrypt as scryptCallback, timingSafeEqual } from 'node:crypto';

const KEY_LENGTH = 64;

function scrypt(password: string, salt: Buffer, log2N: number): Promise<Buffer> {
  const N = 2 ** log2N;
  const r = 8;
  return new Promise((resolve, reject) => {
    // maxmem must exceed 128 * N * r bytes or node refuses the parameters.
    scryptCallback(password.normalize('NFKC'), salt, KEY_LENGTH, { N, r, p: 1, maxmem: 256 * N * r }, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

/**
 * Hashes passwords with scrypt (r = 8, p = 1, N = 2^log2N). The stored form names its own cost
 * (`scrypt$<log2N>$<salt>$<hash>`), so the cost can be raised later and old hashes still verify.
 */
export class PasswordHasher {
  constructor(private readonly log2N: number) {}

  async hash(password: string): Promise<string> {
    const salt = randomBytes(16);
    const key = await scrypt(password, salt, this.log2N);
    return `scrypt$${this.log2N}$${salt.toString('base64url')}$${key.toString('base64url')}`;
  }

  async verify(password: string, stored: string): Promise<boolean> {
    const [scheme, cost, salt, expected] = stored.split('$');
    if (scheme !== 'scrypt' || !cost || !salt || !expected) return false;
    const key = await scrypt(password, Buffer.from(salt, 'base64url'), Number(cost));
    const want = Buffer.from(expected, 'base64url');
    return want.length === key.length && timingSafeEqual(want, key);
  }

  /** True when a stored hash was made with another cost than the current one and should be redone. */
  needsRehash(stored: string): boolean {
    return stored.split('$')[1] !== String(this.log2N);
  }
}
