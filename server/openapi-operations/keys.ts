/** The `Keys` tag: the secret key's rotation, the write key's origins, identity verification. */
import { OriginsBodySchema, RotateBodySchema } from '../routes/keys'
import { IdentityStatusSchema } from '../schemas/console-responses'
import { OriginsResponseSchema, RetireResponseSchema, RotateResponseSchema } from '../schemas/responses'
import type { Operation } from './types'

export const KEY_OPERATIONS: Operation[] = [
  {
    method: 'post',
    path: '/v1/keys/secret/rotate',
    summary: 'New secret key; the previous one stays valid for a grace period',
    tag: 'Keys',
    auth: 'secret',
    body: RotateBodySchema,
    bodyOptional: true,
    ok: {
      status: 200,
      description: '`{ secretKey, previousExpiresAt }`: the new key is shown this once',
      schema: RotateResponseSchema,
    },
    errors: [400, 413],
  },
  {
    method: 'post',
    path: '/v1/keys/secret/retire',
    summary: 'End the previous secret key now',
    tag: 'Keys',
    auth: 'secret',
    ok: { status: 200, description: '`retired`: false when there was none', schema: RetireResponseSchema },
  },
  {
    method: 'get',
    path: '/v1/keys/write/origins',
    summary: 'Origins allowed to use the write key',
    tag: 'Keys',
    auth: 'secret',
    ok: {
      status: 200,
      description: "The list (the server's own origin is always allowed)",
      schema: OriginsResponseSchema,
    },
  },
  {
    method: 'put',
    path: '/v1/keys/write/origins',
    summary: 'Replace the origins allowed to use the write key',
    tag: 'Keys',
    auth: 'secret',
    body: OriginsBodySchema,
    ok: { status: 200, description: 'The list now in force', schema: OriginsResponseSchema },
    errors: [400, 413],
  },
]

/** Listed after the console's operations (index.ts), where the document has always had it. */
export const IDENTITY_STATUS_OPERATION: Operation = {
  method: 'get',
  path: '/v1/keys/identity',
  summary: 'Whether identity verification is on (never the secret)',
  tag: 'Keys',
  auth: 'secret',
  ok: { status: 200, description: '`{ enabled }`', schema: IdentityStatusSchema },
}
