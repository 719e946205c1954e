import { describe, expect, it } from 'vitest';
import { PasswordHasher } from './password.js';

describe('password hashing', () => {
  const hasher = new PasswordHasher(10);

  it('verifies the password it hashed and refuses another', async () => {
    const stored = await hasher.hash('correct horse');
    expect(stored).toMatch(/^scrypt\$10\$/);
    expect(stored).not.toContain('correct horse');
    expect(await hasher.verify('correct horse', stored)).toBe(true);
    expect(await hasher.verify('correct horsf', stored)).toBe(false);
  });

  it('salts every hash, so one password hashes differently twice', async () => {
    expect(await hasher.hash('same')).not.toBe(await hasher.hash('same'));
  });

  it('treats unicode forms of one password as the same password', async () => {
    const stored = await hasher.hash('caf\u00e9 au lait');
    expect(await hasher.verify('cafe\u0301 au lait', stored)).toBe(true);
  });

  it('refuses malformed stored hashes instead of throwing', async () => {
    for (const stored of ['', 'bcrypt$10$a$b', 'scrypt$10$onlysalt'])
      expect(await hasher.verify('x', stored)).toBe(false);
  });

  it('verifies hashes made with another cost and says they need redoing', async () => {
    const old = await new PasswordHasher(11).hash('pw');
    expect(await hasher.verify('pw', old)).toBe(true);
    expect(hasher.needsRehash(old)).toBe(true);
    expect(hasher.needsRehash(await hasher.hash('pw'))).toBe(false);
  });
});
