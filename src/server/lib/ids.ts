import { randomBytes, randomUUID } from 'node:crypto';

/** Makes opaque identifiers and secrets; injected so tests can predict them when they need to. */
export interface IdGenerator {
  /** A new opaque record id. */
  id(): string;
  /** A new unguessable secret of `bytes` random bytes, base64url-encoded. */
  secret(bytes?: number): string;
}

export const randomIds: IdGenerator = {
  id: () => randomUUID(),
  secret: (bytes = 32) => randomBytes(bytes).toString('base64url'),
};
