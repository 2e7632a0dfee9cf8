/** What the key routes answer: the secret key's rotation and the write key's origins. */
import { z } from 'zod'
import { iso } from './response-parts'

export const RotateResponseSchema = z.strictObject({
  secretKey: z.string().describe('the new key, shown this once'),
  previousExpiresAt: iso,
})
export const RetireResponseSchema = z.strictObject({
  retired: z.boolean().describe('false when there was no previous key'),
})
export const OriginsResponseSchema = z.strictObject({ origins: z.array(z.string()) })
